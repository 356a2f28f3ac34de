/**
 * TelecomUserTools' methods that are not tools: the set-up functions tasks' initialization_actions
 * call to break the phone (`turn_data_off`, `unseat_sim_card`, `break_vpn`, ...) and the assertions
 * their env_assertions name (`assert_internet_speed`, `assert_can_send_mms`, ...).
 */
import { PyFloat, pyRepr, type PyValue } from '../../tau-bench/py.ts';
import { PyException, lower, pyEq, truthy } from '../../tau-bench/pyops.ts';
import { asDict, field, s } from '../pyhelp.ts';
import { arg, tool, type Tau2Tool } from '../toolkit.ts';
import { setPermission } from './apps.ts';
import {
  apnSettings, canSendMms, device, mobileDataWorking, simulateNetworkSearch, speedTest, surroundings, toggleAirplaneMode, toggleData,
  toggleDataSaverMode, toggleRoaming, toggleWifiCalling, USER_CLASS,
} from './device.ts';
import { ge } from './db.ts';
import { envFunctions } from './functions.ts';
import { NetworkStatus } from './model.ts';
import { connectVpnTool } from './user_tools/connect_vpn.ts';

const fn = (spec: Omit<Tau2Tool, 'mutates' | 'type'>): Tau2Tool => tool({ ...spec, type: 'generic' });
const noArgs = { params: [], required: [] };

/** `turn_x_on` / `turn_x_off` written as the original does: toggle, and toggle back if that went the wrong way. */
const turn = (name: string, toggle: (db: Parameters<Tau2Tool['call']>[0]) => boolean, want: boolean, text: string): Tau2Tool =>
  fn({
    name,
    ...noArgs,
    call(db) {
      if (toggle(db) !== want) toggle(db);
      return text;
    },
  });

const USER_SETUP: Tau2Tool[] = [
  fn({
    name: 'set_user_info',
    params: ['name', 'phone_number'],
    required: ['name', 'phone_number'],
    call(db, args) {
      surroundings(db).set('name', arg(args, 'name'));
      surroundings(db).set('phone_number', arg(args, 'phone_number'));
      return null;
    },
  }),
  fn({
    name: 'set_user_location',
    params: ['abroad'],
    required: ['abroad'],
    call(db, args) {
      surroundings(db).set('is_abroad', arg(args, 'abroad'));
      return null;
    },
  }),
  turn('turn_airplane_mode_on', toggleAirplaneMode, true, 'Airplane Mode is now ON.'),
  turn('turn_airplane_mode_off', toggleAirplaneMode, false, 'Airplane Mode is now OFF.'),
  fn({
    name: 'unseat_sim_card',
    ...noArgs,
    call(db) {
      device(db).set('sim_card_missing', true);
      simulateNetworkSearch(db);
      return 'SIM card un-seated successfully.';
    },
  }),
  fn({
    name: 'lock_sim_card',
    params: ['mode'],
    required: ['mode'],
    call(db, args) {
      const mode = arg(args, 'mode');
      if (mode === 'pin') device(db).set('sim_card_status', 'locked_pin');
      else if (mode === 'puk') device(db).set('sim_card_status', 'locked_puk');
      simulateNetworkSearch(db);
      return `SIM card locked successfully in ${s(mode)} mode.`;
    },
  }),
  fn({
    name: 'turn_data_on',
    ...noArgs,
    call(db) {
      device(db).set('data_enabled', true);
      return 'Data connection restored.';
    },
  }),
  turn('turn_data_off', toggleData, false, 'Data connection broken.'),
  turn('turn_roaming_on', toggleRoaming, true, 'Data Roaming is now ON.'),
  turn('turn_roaming_off', toggleRoaming, false, 'Data Roaming is now OFF.'),
  turn('turn_data_saver_mode_on', toggleDataSaverMode, true, 'Data Saver Mode is now ON.'),
  turn('turn_data_saver_mode_off', toggleDataSaverMode, false, 'Data Saver Mode is now OFF.'),
  fn({
    name: 'break_apn_settings',
    ...noArgs,
    call(db) {
      apnSettings(db, 'apn_name').set('apn_name', 'broken');
      simulateNetworkSearch(db);
      return 'APN settings broken. Please call reset_apn_settings() to fix.';
    },
  }),
  fn({
    name: 'break_apn_mms_setting',
    ...noArgs,
    call(db) {
      apnSettings(db, 'mmsc_url').set('mmsc_url', null);
      return 'APN MMS setting broken. Please call reset_apn_settings() to fix.';
    },
  }),
  fn({
    name: 'set_wifi_calling',
    params: ['enabled', 'mms_over_wifi'],
    required: ['enabled'],
    call(db, args) {
      const enabled = arg(args, 'enabled');
      const mms = arg(args, 'mms_over_wifi');
      if (!pyEq(field(device(db), 'wifi_calling_enabled'), enabled)) toggleWifiCalling(db);
      let msg = `Wi-Fi Calling is now ${truthy(enabled) ? 'ON' : 'OFF'}.`;
      if (mms !== null) {
        device(db).set('wifi_calling_mms_over_wifi', mms);
        msg += `\nMMS over Wi-Fi is now ${truthy(mms) ? 'ON' : 'OFF'}.`;
      }
      return msg;
    },
  }),
  fn({
    name: 'break_vpn',
    ...noArgs,
    call(db) {
      connectVpnTool.call(db, {});
      const details = field(device(db), 'vpn_details');
      if (details === null) throw new PyException('AttributeError', "'NoneType' object has no attribute 'server_performance'");
      asDict(details, 'vpn_details').set('server_performance', 'poor');
      return 'VPN connection broken.';
    },
  }),
  fn({
    name: 'remove_app_permission',
    params: ['app_name', 'permission'],
    required: ['app_name', 'permission'],
    call: (db, args) => setPermission(db, arg(args, 'app_name'), arg(args, 'permission'), false),
  }),
  fn({
    name: 'simulate_network_search',
    ...noArgs,
    call(db) {
      simulateNetworkSearch(db);
      return null;
    },
  }),
];

const expected = (args: Parameters<Tau2Tool['call']>[1]): PyValue => arg(args, 'expected_status');

const USER_ASSERTIONS: Tau2Tool[] = [
  fn({
    name: 'assert_airplane_mode_status',
    params: ['expected_status'],
    required: ['expected_status'],
    call: (db, args) => pyEq(field(device(db), 'airplane_mode'), expected(args)),
  }),
  fn({
    name: 'assert_service_status',
    params: ['expected_status'],
    required: ['expected_status'],
    call(db, args) {
      const want = expected(args);
      if (!NetworkStatus.options.some((o) => o === want)) throw new PyException('ValueError', `${pyRepr(want)} is not a valid NetworkStatus`);
      return field(device(db), 'network_connection_status') === want;
    },
  }),
  fn({
    name: 'assert_mobile_data_status',
    params: ['expected_status'],
    required: ['expected_status'],
    call: (db, args) => pyEq(mobileDataWorking(db), expected(args)),
  }),
  fn({
    name: 'assert_mobile_roaming_status',
    params: ['expected_status'],
    required: ['expected_status'],
    call: (db, args) => pyEq(field(device(db), 'roaming_enabled'), expected(args)),
  }),
  fn({
    name: 'assert_mobile_data_saver_mode_status',
    params: ['expected_status'],
    required: ['expected_status'],
    call: (db, args) => pyEq(field(device(db), 'data_saver_mode'), expected(args)),
  }),
  fn({
    name: 'assert_internet_speed',
    params: ['expected_speed', 'expected_desc'],
    required: ['expected_speed'],
    call(db, args) {
      const [speed, desc] = speedTest(db);
      const want = arg(args, 'expected_speed');
      const wantDesc = arg(args, 'expected_desc');
      const fast = ge(new PyFloat(speed ?? 0), want);
      if (wantDesc === null) return fast;
      return fast && desc.toLowerCase() === lower(wantDesc);
    },
  }),
  fn({
    name: 'assert_internet_not_excellent',
    ...noArgs,
    call: (db) => speedTest(db)[1].toLowerCase() !== 'excellent',
  }),
  fn({
    name: 'assert_can_send_mms',
    params: ['expected_status'],
    required: ['expected_status'],
    call: (db, args) => pyEq(canSendMms(db), expected(args)),
  }),
  fn({
    name: 'assert_mobile_data_usage_exceeded',
    params: ['expected_status'],
    required: ['expected_status'],
    call: (db, args) => pyEq(field(surroundings(db), 'mobile_data_usage_exceeded'), expected(args)),
  }),
];

export const TELECOM_USER_FUNCTIONS = envFunctions(USER_CLASS, [...USER_SETUP, ...USER_ASSERTIONS]);
