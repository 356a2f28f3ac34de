/**
 * tau2 telecom (src/tau2/domains/telecom): the agent's TelecomTools over the carrier's TelecomDB
 * (db.toml), the user's TelecomUserTools over their own phone (user_db.toml), the set-up and
 * assertion functions tasks name, and `sync_tools` between the two.
 */
import { parse as parseToml, TomlDate } from 'smol-toml';
import { deepCopy, fromJs, type PyDict, type PyValue } from '../../tau-bench/py.ts';
import { Tau2Environment } from '../environment.ts';
import { construct } from '../model.ts';
import { Toolkit, type Tau2Tool } from '../toolkit.ts';
import { CLASS, setBillIdSource } from './db.ts';
import { USER_CLASS } from './device.ts';
import { TELECOM_AGENT_FUNCTIONS } from './functions.ts';
import { TelecomDB, TelecomUserDB } from './model.ts';
import { syncTools } from './sync.ts';
import { disableRoaming } from './tools/disable_roaming.ts';
import { enableRoaming } from './tools/enable_roaming.ts';
import { getBillsForCustomer } from './tools/get_bills_for_customer.ts';
import { getCustomerByIdTool } from './tools/get_customer_by_id.ts';
import { getCustomerByName } from './tools/get_customer_by_name.ts';
import { getCustomerByPhoneTool } from './tools/get_customer_by_phone.ts';
import { getDataUsage } from './tools/get_data_usage.ts';
import { getDetailsById } from './tools/get_details_by_id.ts';
import { refuelData } from './tools/refuel_data.ts';
import { resumeLine } from './tools/resume_line.ts';
import { sendPaymentRequest } from './tools/send_payment_request.ts';
import { suspendLine } from './tools/suspend_line.ts';
import { transferToHumanAgents } from './tools/transfer_to_human_agents.ts';
import { TELECOM_USER_FUNCTIONS } from './user_functions.ts';
import { canSendMmsTool } from './user_tools/can_send_mms.ts';
import { checkApnSettings } from './user_tools/check_apn_settings.ts';
import { checkAppPermissions } from './user_tools/check_app_permissions.ts';
import { checkAppStatus } from './user_tools/check_app_status.ts';
import { checkDataRestrictionStatus } from './user_tools/check_data_restriction_status.ts';
import { checkInstalledApps } from './user_tools/check_installed_apps.ts';
import { checkNetworkModePreference } from './user_tools/check_network_mode_preference.ts';
import { checkNetworkStatus } from './user_tools/check_network_status.ts';
import { checkPaymentRequest } from './user_tools/check_payment_request.ts';
import { checkSimStatus } from './user_tools/check_sim_status.ts';
import { checkStatusBar } from './user_tools/check_status_bar.ts';
import { checkVpnStatus } from './user_tools/check_vpn_status.ts';
import { checkWifiCallingStatus } from './user_tools/check_wifi_calling_status.ts';
import { checkWifiStatus } from './user_tools/check_wifi_status.ts';
import { connectVpnTool } from './user_tools/connect_vpn.ts';
import { disconnectVpnTool } from './user_tools/disconnect_vpn.ts';
import { grantAppPermission } from './user_tools/grant_app_permission.ts';
import { makePayment } from './user_tools/make_payment.ts';
import { rebootDevice } from './user_tools/reboot_device.ts';
import { resetApnSettings } from './user_tools/reset_apn_settings.ts';
import { reseatSimCard } from './user_tools/reseat_sim_card.ts';
import { runSpeedTest } from './user_tools/run_speed_test.ts';
import { setApnSettings } from './user_tools/set_apn_settings.ts';
import { setNetworkModePreference } from './user_tools/set_network_mode_preference.ts';
import { toggleAirplaneModeTool } from './user_tools/toggle_airplane_mode.ts';
import { toggleDataTool } from './user_tools/toggle_data.ts';
import { toggleDataSaverModeTool } from './user_tools/toggle_data_saver_mode.ts';
import { toggleRoamingTool } from './user_tools/toggle_roaming.ts';
import { toggleWifiTool } from './user_tools/toggle_wifi.ts';
import { toggleWifiCallingTool } from './user_tools/toggle_wifi_calling.ts';

/** The agent's tools, in the original's method order (TelecomTools' class body). */
export const TELECOM_TOOLS: readonly Tau2Tool[] = [
  getCustomerByPhoneTool, getCustomerByIdTool, getCustomerByName, getDetailsById, suspendLine, resumeLine, getBillsForCustomer,
  sendPaymentRequest, getDataUsage, enableRoaming, disableRoaming, transferToHumanAgents, refuelData,
];

/** The user's phone tools, in the original's method order (TelecomUserTools' class body). */
export const TELECOM_USER_TOOLS: readonly Tau2Tool[] = [
  checkStatusBar, checkNetworkStatus, checkNetworkModePreference, setNetworkModePreference, runSpeedTest, toggleAirplaneModeTool,
  checkSimStatus, reseatSimCard, toggleDataTool, toggleRoamingTool, checkDataRestrictionStatus, toggleDataSaverModeTool,
  checkApnSettings, setApnSettings, resetApnSettings, checkWifiStatus, toggleWifiTool, checkWifiCallingStatus, toggleWifiCallingTool,
  checkVpnStatus, connectVpnTool, disconnectVpnTool, checkInstalledApps, checkAppStatus, checkAppPermissions, grantAppPermission,
  canSendMmsTool, rebootDevice, checkPaymentRequest, makePayment,
];

/**
 * The policy the agent gets (`get_environment(policy_type="manual")`, not solo): these files of the
 * domain's data folder, assembled by `telecomPolicy`.
 */
export const TELECOM_POLICY_FILES = { main: 'main_policy.md', techSupport: 'tech_support_manual.md', workflow: 'tech_support_workflow.md' } as const;

/** `get_environment`'s policy text: the main policy and the tech-support policy (the manual by default, or the workflow). */
export function telecomPolicy(mainPolicy: string, techSupportPolicy: string): string {
  return `<main_policy>\n${mainPolicy}\n</main_policy>\n<tech_support_policy>\n${techSupportPolicy}\n</tech_support_policy>`;
}

/** TOML as Python's `toml.load` hands it to pydantic (ints stay ints; dates as their ISO text). */
export function tomlToPy(text: string, source: string): PyValue {
  let parsed: unknown;
  try {
    parsed = parseToml(text);
  } catch (e) {
    throw new Error(`${source}: not valid TOML: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const conv = (v: unknown): unknown => {
    if (v instanceof TomlDate) return v.toISOString();
    if (Array.isArray(v)) return v.map(conv);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, conv(x)]));
    return v;
  };
  return fromJs(conv(parsed));
}

/** `TelecomDB.load(db.toml)` */
export function loadTelecomDb(json: PyValue): PyDict {
  return construct('TelecomDB', TelecomDB, json instanceof Map ? json : new Map());
}

/** `TelecomUserDB.load(user_db.toml)` */
export function loadTelecomUserDb(json: PyValue): PyDict {
  return construct('TelecomUserDB', TelecomUserDB, json instanceof Map ? json : new Map());
}

export interface TelecomEnvOptions {
  /** New draft-bill ids (random `B` + 8 hex, as the original's uuid4); parity tests fix it. */
  newBillId?: () => string;
}

/** A fresh TelecomEnvironment on private copies of both validated databases. */
export function telecomEnvFactory(dbText: string, userDbText: string, opts: TelecomEnvOptions = {}): () => Tau2Environment {
  return telecomEnvFromDbs(loadTelecomDb(tomlToPy(dbText, 'telecom db.toml')), loadTelecomUserDb(tomlToPy(userDbText, 'telecom user_db.toml')), opts);
}

/** `telecomEnvFactory` over databases already validated (`loadTelecomDb`, `loadTelecomUserDb`). */
export function telecomEnvFromDbs(db: PyDict, userDb: PyDict, opts: TelecomEnvOptions = {}): () => Tau2Environment {
  return () => {
    const tools = new Toolkit(CLASS, TELECOM_TOOLS, deepCopy(db));
    const userTools = new Toolkit(USER_CLASS, TELECOM_USER_TOOLS, deepCopy(userDb));
    if (opts.newBillId) setBillIdSource(tools.db, opts.newBillId);
    return new Tau2Environment('telecom', tools, userTools, { assistant: TELECOM_AGENT_FUNCTIONS, user: TELECOM_USER_FUNCTIONS }, () =>
      syncTools(tools.db, userTools.db),
    );
  };
}
