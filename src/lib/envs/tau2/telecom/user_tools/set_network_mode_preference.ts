import { typeName } from '../../../tau-bench/py.ts';
import { PyException } from '../../../tau-bench/pyops.ts';
import { s } from '../../pyhelp.ts';
import { arg, tool } from '../../toolkit.ts';
import { device, simulateNetworkSearch, withStatusBar } from '../device.ts';
import { NetworkModePreference } from '../model.ts';

export const setNetworkModePreference = tool({
  name: 'set_network_mode_preference',
  params: ['mode'],
  required: ['mode'],
  type: 'write',
  schema: {
    description: 'Changes the type of cellular network your phone prefers to connect to (e.g., 5G, LTE/4G, 3G). Higher-speed networks (LTE/5G) provide faster data but may use more battery.',
    parameters: {
      $defs: {
        NetworkModePreference: {
          enum: ['4g_5g_preferred', '4g_only', '3g_only', '2g_only'],
          title: 'NetworkModePreference',
          type: 'string',
        },
      },
      properties: {
        mode: {
          anyOf: [
            { $ref: '#/$defs/NetworkModePreference' },
            { type: 'string' },
          ],
          title: 'Mode',
        },
      },
      required: ['mode'],
      title: 'parameters',
      type: 'object',
    },
  },
  call(db, args) {
    const mode = arg(args, 'mode');
    // `NetworkModePreference(mode)` only for a str: any other value is stored as it is.
    if (typeof mode === 'string' && !NetworkModePreference.options.some((m) => m === mode)) {
      return withStatusBar(db, `Failed to set network mode: '${mode}' is not a valid option. Please use one of: ${NetworkModePreference.options.join(', ')}`);
    }
    device(db).set('network_mode_preference', mode);
    simulateNetworkSearch(db);
    if (mode === null) {
      return withStatusBar(db, `Failed to set network mode: '${s(mode)}' is not a valid option. Please use one of: ${NetworkModePreference.options.join(', ')}`);
    }
    if (typeof mode !== 'string') throw new PyException('AttributeError', `'${typeName(mode)}' object has no attribute 'value'`);
    return withStatusBar(db, `Preferred Network Mode set to: ${mode}`);
  },
});
