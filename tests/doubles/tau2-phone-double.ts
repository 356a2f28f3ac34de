/**
 * A stub of telecom's user toolkit for testing dual control before (and apart from) the telecom port:
 * three of the original's user tools, by their real names, on a tiny phone state. Not the original's
 * semantics: only what the user simulator, the human seat and the session need to be exercised.
 */
import type { PyDict } from '../../src/lib/envs/tau-bench/py.ts';
import { PyException } from '../../src/lib/envs/tau-bench/pyops.ts';
import { Tau2Environment } from '../../src/lib/envs/tau2/environment.ts';
import type { Tau2Pack } from '../../src/lib/envs/tau2/pack.ts';
import type { Tau2Task } from '../../src/lib/envs/tau2/tasks.ts';
import { arg, tool, Toolkit } from '../../src/lib/envs/tau2/toolkit.ts';

const MODES = ['4g_5g_preferred', '4g_only', '3g_only', '2g_only'];

export function phoneToolkitDouble(): Toolkit {
  const db: PyDict = new Map<string, string | boolean>([
    ['airplane_mode', true],
    ['network_mode', '2g_only'],
  ]);
  return new Toolkit(
    'TelecomUserToolsDouble',
    [
      tool({
        name: 'check_status_bar',
        params: [],
        required: [],
        type: 'read',
        call: (d) => `Status Bar: ${d.get('airplane_mode') === true ? '✈️ Airplane Mode' : '📶 Signal'}`,
      }),
      tool({
        name: 'toggle_airplane_mode',
        params: [],
        required: [],
        type: 'write',
        call: (d) => {
          d.set('airplane_mode', d.get('airplane_mode') !== true);
          return `Airplane Mode is now ${d.get('airplane_mode') === true ? 'ON' : 'OFF'}.`;
        },
      }),
      tool({
        name: 'set_network_mode_preference',
        params: ['mode'],
        required: ['mode'],
        type: 'write',
        call: (d, args) => {
          const mode = arg(args, 'mode');
          if (typeof mode !== 'string' || !MODES.includes(mode)) throw new PyException('ValueError', `Invalid network mode: ${String(mode)}`);
          d.set('network_mode', mode);
          return `Preferred Network Mode set to: ${mode}`;
        },
      }),
    ],
    db,
  );
}

/** A telecom-shaped pack on the stub phone (the agent has no tools): enough to run the user side. */
export function phonePackDouble(task: Tau2Task): Tau2Pack {
  return {
    domain: 'telecom',
    domainPolicy: 'Help the user fix their phone.',
    tasks: [task],
    rawTasks: [],
    splits: { small: [task.id] },
    makeEnv: () => new Tau2Environment('telecom', new Toolkit('TelecomToolsDouble', [], new Map()), phoneToolkitDouble()),
    describe: 'phone double',
  };
}
