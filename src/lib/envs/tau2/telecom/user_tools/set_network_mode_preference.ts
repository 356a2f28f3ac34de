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
