/**
 * TelecomUserTools' private methods (src/tau2/domains/telecom/user_tools.py): the simulated phone's
 * behaviour over the user's own database (`device` and `surroundings`). Tools, set-up functions and
 * assertions on the user side are all built from these.
 */
import { isDict, roundFloat, typeName, type PyDict, type PyValue } from '../../tau-bench/py.ts';
import { PyException, truthy } from '../../tau-bench/pyops.ts';
import { construct } from '../model.ts';
import { asDict, field, s } from '../pyhelp.ts';
import { APNSettings } from './model.ts';

export const USER_CLASS = 'TelecomUserTools';

export const device = (db: PyDict): PyDict => asDict(field(db, 'device'), 'device');
export const surroundings = (db: PyDict): PyDict => asDict(field(db, 'surroundings'), 'surroundings');
const on = (d: PyDict, name: string): boolean => truthy(field(d, name));

/**
 * `device.active_apn_settings` for reading or setting `attribute`. `set_apn_settings` stores a value that is
 * not a dict as it is (the original assigns before it fails), so later uses fail as Python's would.
 */
export function apnSettings(db: PyDict, attribute: string): PyDict {
  const v = field(device(db), 'active_apn_settings');
  if (!isDict(v)) throw new PyException('AttributeError', `'${typeName(v)}' object has no attribute '${attribute}'`);
  return v;
}

/** `TelecomUserTools.default_vpn_details`: a class attribute that `connect_vpn` assigns by reference and
 * `break_vpn` then degrades in place, so every later connection is poor too. Here one per environment
 * (per user DB): every environment of an episode runs the same initialization actions. */
const defaultVpn = new WeakMap<PyDict, PyDict>();
function defaultVpnDetails(db: PyDict): PyDict {
  let d = defaultVpn.get(db);
  if (d === undefined) {
    d = new Map<string, PyValue>([
      ['server_address', '192.168.1.1'],
      ['protocol', 'OpenVPN'],
      ['server_performance', 'excellent'],
    ]);
    defaultVpn.set(db, d);
  }
  return d;
}

const SIGNAL_ICONS: Record<string, string> = {
  none: '📵 No Signal',
  poor: '📶¹ Poor',
  fair: '📶² Fair',
  good: '📶³ Good',
  excellent: '📶⁴ Excellent',
};

/** `_check_status_bar` */
export function statusBar(db: PyDict): string {
  const d = device(db);
  const out: string[] = [];
  if (on(d, 'airplane_mode')) out.push('✈️ Airplane Mode');
  else {
    out.push(SIGNAL_ICONS[String(field(d, 'network_signal_strength'))] ?? '📵 No Signal');
    const tech = field(d, 'network_technology_connected');
    if (tech !== 'none') out.push(s(tech));
    if (on(d, 'data_enabled') && tech !== 'none') {
      out.push('📱 Data Enabled');
      if (on(d, 'data_saver_mode')) out.push('🔽 Data Saver');
    } else out.push('📵 Data Disabled');
  }
  if (on(d, 'wifi_enabled') && on(d, 'wifi_connected')) {
    const ssid = field(d, 'wifi_ssid');
    out.push(truthy(ssid) ? `📡 Connected to ${s(ssid)}` : '📡 Enabled');
  }
  if (on(d, 'vpn_connected')) out.push('🔒 VPN Connected');
  out.push(`🔋 ${s(field(d, 'battery_level'))}%`);
  return out.join(' | ');
}

export const withStatusBar = (db: PyDict, text: string): string => `${text}\nStatus Bar: ${statusBar(db)}`;

/** `_check_sim_status` */
export function simStatus(db: PyDict): PyValue {
  const d = device(db);
  return on(d, 'sim_card_missing') ? 'missing' : field(d, 'sim_card_status');
}

function noService(d: PyDict): void {
  d.set('network_connection_status', 'no_service');
  d.set('network_technology_connected', 'none');
  d.set('network_signal_strength', 'none');
}

/** `simulate_network_search` */
export function simulateNetworkSearch(db: PyDict): void {
  const d = device(db);
  const sur = surroundings(db);
  const signals = asDict(field(sur, 'signal_strength'), 'signal_strength');
  const signal = (tech: string): PyValue => signals.get(tech) ?? 'none';
  const connect = (tech: string): void => {
    d.set('network_technology_connected', tech);
    d.set('network_signal_strength', signal(tech));
  };
  if (simStatus(db) === 'active') {
    d.set('network_connection_status', 'connected');
    const pref = field(d, 'network_mode_preference');
    if (pref === '4g_5g_preferred') {
      const five = signal('5G');
      if (five === 'none') connect('4G');
      else {
        d.set('network_technology_connected', '5G');
        d.set('network_signal_strength', five);
      }
    } else if (pref === '4g_only') connect('4G');
    else if (pref === '3g_only') connect('3G');
    else if (pref === '2g_only') connect('2G');
    else connect('4G');
  } else noService(d);
  if (on(d, 'airplane_mode')) noService(d);
  if (field(apnSettings(db, 'apn_name'), 'apn_name') === 'broken') noService(d);
  if (!on(sur, 'line_active')) noService(d);
}

/** `_get_mobile_data_working` */
export function mobileDataWorking(db: PyDict): boolean {
  const d = device(db);
  const sur = surroundings(db);
  if (on(d, 'airplane_mode') || field(d, 'network_signal_strength') === 'none') return false;
  if (field(d, 'network_connection_status') === 'no_service') return false;
  if (on(sur, 'is_abroad') && (!on(d, 'roaming_enabled') || !on(sur, 'roaming_allowed'))) return false;
  if (!on(d, 'data_enabled')) return false;
  if (on(sur, 'mobile_data_usage_exceeded')) return false;
  return true;
}

const TECH_SPEED: Record<string, [number, number]> = { '2G': [0.1, 0.4], '3G': [1.0, 5.0], '4G': [10.0, 100.0], '5G': [50.0, 500.0], none: [0, 0] };
const SIGNAL_FACTOR: Record<string, number> = { poor: 0.2, fair: 0.5, good: 0.8, excellent: 1.0, none: 0.0 };

/** `_run_speed_test`: [Mbps or null, description]. */
export function speedTest(db: PyDict): [number | null, string] {
  if (!mobileDataWorking(db)) return [null, 'No Connection'];
  const d = device(db);
  const vpn = field(d, 'vpn_details');
  let base = on(d, 'vpn_connected') && truthy(vpn) && field(asDict(vpn, 'vpn_details'), 'server_performance') === 'poor' ? 0.1 : 1.0;
  if (on(d, 'data_saver_mode')) base *= 0.2;
  const [lo, hi] = TECH_SPEED[String(field(d, 'network_technology_connected'))] ?? [0, 0];
  const factor = SIGNAL_FACTOR[String(field(d, 'network_signal_strength'))] ?? 0.0;
  const speed = roundFloat(((lo + hi) / 2.0) * factor * base, 2);
  const desc = speed < 1 ? 'Very Poor' : speed < 5 ? 'Poor' : speed < 25 ? 'Fair' : speed < 100 ? 'Good' : 'Excellent';
  return [speed, desc];
}

/** `_can_send_mms` */
export function canSendMms(db: PyDict): boolean {
  if (!mobileDataWorking(db)) return false;
  const d = device(db);
  if (field(d, 'network_technology_connected') === '2G') return false;
  if (on(d, 'wifi_calling_enabled') && on(d, 'wifi_calling_mms_over_wifi')) return false;
  if (field(apnSettings(db, 'mmsc_url'), 'mmsc_url') === null) return false;
  const app = asDict(field(d, 'app_statuses'), 'app_statuses').get('messaging');
  if (app === undefined || app === null) return false;
  const perms = asDict(field(app, 'permissions'), 'permissions');
  return on(perms, 'storage') && on(perms, 'sms');
}

/** `APNSettings()` */
export const defaultApnSettings = (): PyDict => construct('APNSettings', APNSettings, new Map());

// ---------------------------------------------------------------- toggles (the `_toggle_*` methods)

function clearWifi(d: PyDict): void {
  d.set('wifi_connected', false);
  d.set('wifi_ssid', null);
  d.set('wifi_signal_strength', 'none');
}

export function toggleAirplaneMode(db: PyDict): boolean {
  const d = device(db);
  const wasOn = on(d, 'airplane_mode');
  d.set('airplane_mode', !wasOn);
  if (wasOn) {
    d.set('network_connection_status', 'searching');
    if (on(d, 'wifi_enabled')) clearWifi(d);
  } else {
    clearWifi(d);
    if (on(d, 'vpn_connected')) disconnectVpn(db);
  }
  simulateNetworkSearch(db);
  return on(d, 'airplane_mode');
}

function flip(db: PyDict, name: string, search: boolean): boolean {
  const d = device(db);
  const next = !on(d, name);
  d.set(name, next);
  if (search) simulateNetworkSearch(db);
  return next;
}

export const toggleData = (db: PyDict): boolean => flip(db, 'data_enabled', true);
export const toggleRoaming = (db: PyDict): boolean => flip(db, 'roaming_enabled', true);
export const toggleDataSaverMode = (db: PyDict): boolean => flip(db, 'data_saver_mode', false);
export const toggleWifiCalling = (db: PyDict): boolean => flip(db, 'wifi_calling_enabled', false);

/** `_toggle_wifi`: null while airplane mode is on. */
export function toggleWifi(db: PyDict): boolean | null {
  const d = device(db);
  if (on(d, 'airplane_mode')) return null;
  const next = !on(d, 'wifi_enabled');
  d.set('wifi_enabled', next);
  if (!next) clearWifi(d);
  return next;
}

/** `_connect_vpn`: null when already connected. */
export function connectVpn(db: PyDict): boolean | null {
  const d = device(db);
  if (on(d, 'vpn_connected')) return null;
  d.set('vpn_connected', true);
  d.set('vpn_details', defaultVpnDetails(db));
  return true;
}

export function disconnectVpn(db: PyDict): boolean {
  const d = device(db);
  if (!on(d, 'vpn_connected')) return false;
  d.set('vpn_connected', false);
  d.set('vpn_details', null);
  return true;
}

/** `_check_payment_request` */
export function paymentRequest(db: PyDict): PyDict | null {
  const p = field(surroundings(db), 'payment_request');
  return p === null ? null : asDict(p, 'payment_request');
}
