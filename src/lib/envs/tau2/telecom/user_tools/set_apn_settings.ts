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
  schema: {
    description: 'Sets the APN settings for the phone.',
    parameters: {
      $defs: {
        APNNames: { enum: ['internet', 'broken'], title: 'APNNames', type: 'string' },
        APNSettings: {
          additionalProperties: false,
          description: 'Represents the configuration for a single Access Point Name (APN).',
          properties: {
            apn_name: {
              $ref: '#/$defs/APNNames',
              default: 'internet',
              description: 'The name identifier for the APN connection.',
            },
            reset_at_reboot: {
              default: false,
              description: 'Whether the APN settings will be reset at the next reboot.',
              title: 'Reset At Reboot',
              type: 'boolean',
            },
            mms_apn: {
              anyOf: [
                { type: 'string' },
                { type: 'null' },
              ],
              default: 'mms',
              description: 'Specific APN name used for MMS traffic, if different from general data.',
              title: 'Mms Apn',
            },
            mmsc_url: {
              anyOf: [
                { type: 'string' },
                { type: 'null' },
              ],
              default: 'http://mms.carrier.com/mms/wapenc',
              description: 'The URL of the Multimedia Messaging Service Center (MMSC). Crucial for MMS.',
              title: 'Mmsc Url',
            },
            mms_proxy: {
              anyOf: [
                { type: 'string' },
                { type: 'null' },
              ],
              default: null,
              description: 'The proxy server address required for MMS traffic on some networks.',
              title: 'Mms Proxy',
            },
            mms_port: {
              anyOf: [
                { type: 'integer' },
                { type: 'null' },
              ],
              default: null,
              description: 'The proxy server port required for MMS traffic on some networks.',
              title: 'Mms Port',
            },
          },
          title: 'APNSettings',
          type: 'object',
        },
      },
      properties: {
        apn_settings: {
          anyOf: [
            { $ref: '#/$defs/APNSettings' },
            { additionalProperties: true, type: 'object' },
          ],
          title: 'Apn Settings',
        },
      },
      required: ['apn_settings'],
      title: 'parameters',
      type: 'object',
    },
  },
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
