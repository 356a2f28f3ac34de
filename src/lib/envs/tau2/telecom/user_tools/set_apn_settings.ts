import { isDict, typeName } from '../../../tau-bench/py.ts';
import { PyException } from '../../../tau-bench/pyops.ts';
import { construct } from '../../model.ts';
import { field, s } from '../../pyhelp.ts';
import { arg, tool } from '../../toolkit.ts';
import { device, simulateNetworkSearch, withStatusBar } from '../device.ts';
import { APNSettings } from '../model.ts';

export const setApnSettings = tool({
  name: 'set_apn_settings',
  params: ['apn_settings'],
  required: ['apn_settings'],
  type: 'write',
  call(db, args) {
    const raw = arg(args, 'apn_settings');
    const settings = isDict(raw) ? construct('APNSettings', APNSettings, raw) : raw;
    device(db).set('active_apn_settings', settings);
    if (!isDict(settings)) throw new PyException('AttributeError', `'${typeName(settings)}' object has no attribute 'apn_name'`);
    const status = `APN settings set to: ${s(field(settings, 'apn_name'))}`;
    simulateNetworkSearch(db);
    return withStatusBar(db, status);
  },
});
