/**
 * tau2 telecom data models (src/tau2/domains/telecom/data_model.py and user_data_model.py), field for
 * field and in order. Every model there is a BaseModelNoExtra (`extra="forbid"`): strict objects here.
 * Dates hold `str(date)`, datetimes `str(datetime)` (see ../model.ts).
 */
import { z } from 'zod';
import { pyEnum } from '../model.ts';

const date = z.iso.date();
const datetime = z.iso.datetime({ local: true });

// ---------------------------------------------------------------- agent side: TelecomDB

export const Address = z.strictObject({ street: z.string(), city: z.string(), state: z.string(), zip_code: z.string() });
export const Plan = z.strictObject({
  plan_id: z.string(),
  name: z.string(),
  data_limit_gb: z.number(),
  price_per_month: z.number(),
  data_refueling_price_per_gb: z.number(),
});
export const DeviceType = pyEnum(z.enum(['phone', 'router', 'tablet', 'watch', 'other']));
export const Device = z.strictObject({
  device_id: z.string(),
  device_type: DeviceType,
  model: z.string(),
  imei: z.string().nullable().default(null),
  is_esim_capable: z.boolean(),
  activated: z.boolean().default(false),
  activation_date: datetime.nullable().default(null),
  last_esim_transfer_date: datetime.nullable().default(null),
});
export const LINE_STATUS = { ACTIVE: 'Active', SUSPENDED: 'Suspended', PENDING_ACTIVATION: 'Pending Activation', CLOSED: 'Closed' } as const;
export const LineStatus = pyEnum(z.enum(['Active', 'Suspended', 'Pending Activation', 'Closed']));
export const Line = z.strictObject({
  line_id: z.string(),
  phone_number: z.string(),
  status: LineStatus.default('Pending Activation'),
  plan_id: z.string(),
  device_id: z.string().nullable().default(null),
  data_used_gb: z.number().default(0),
  data_refueling_gb: z.number().default(0),
  roaming_enabled: z.boolean().default(false),
  contract_end_date: date.nullable().default(null),
  last_plan_change_date: date.nullable().default(null),
  last_sim_replacement_date: date.nullable().default(null),
  suspension_start_date: date.nullable().default(null),
});
export const LineItem = z.strictObject({ description: z.string(), amount: z.number(), date, item_type: z.string() });
export const BILL_STATUS = { DRAFT: 'Draft', ISSUED: 'Issued', AWAITING_PAYMENT: 'Awaiting Payment', PAID: 'Paid', OVERDUE: 'Overdue', DISPUTED: 'Disputed' } as const;
export const BillStatus = pyEnum(z.enum(['Draft', 'Issued', 'Awaiting Payment', 'Paid', 'Overdue', 'Disputed']));
export const Bill = z.strictObject({
  bill_id: z.string(),
  customer_id: z.string(),
  period_start: date,
  period_end: date,
  issue_date: date,
  total_due: z.number(),
  due_date: date,
  line_items: z.array(LineItem).default([]),
  status: BillStatus.default('Draft'),
});
export const AccountStatus = pyEnum(z.enum(['Active', 'Suspended', 'Pending Verification', 'Closed']));
export const PaymentMethodType = pyEnum(z.enum(['Credit Card', 'Debit Card', 'PayPal']));
export const PaymentMethod = z.strictObject({ method_type: PaymentMethodType, account_number_last_4: z.string(), expiration_date: z.string() });
export const Customer = z.strictObject({
  customer_id: z.string(),
  full_name: z.string(),
  date_of_birth: z.string(),
  email: z.string(),
  phone_number: z.string(),
  address: Address,
  account_status: AccountStatus.default('Pending Verification'),
  payment_methods: z.array(PaymentMethod).default([]),
  line_ids: z.array(z.string()).default([]),
  bill_ids: z.array(z.string()).default([]),
  // The default is DEFAULT_START_DATE, a date (pydantic does not validate defaults): str() is "2025-01-01".
  created_at: datetime.default('2025-01-01'),
  last_extension_date: date.nullable().default(null),
  goodwill_credit_used_this_year: z.number().default(0),
});
export const TelecomDB = z.strictObject({
  plans: z.array(Plan).default([]),
  customers: z.array(Customer).default([]),
  lines: z.array(Line).default([]),
  bills: z.array(Bill).default([]),
  devices: z.array(Device).default([]),
});

// ---------------------------------------------------------------- user side: TelecomUserDB (the phone)

export const SimStatus = pyEnum(z.enum(['active', 'missing', 'locked_pin', 'locked_puk']));
export const NetworkTechnology = pyEnum(z.enum(['none', '2G', '3G', '4G', '5G']));
export const NetworkModePreference = pyEnum(z.enum(['4g_5g_preferred', '4g_only', '3g_only', '2g_only']));
export const SignalStrength = pyEnum(z.enum(['none', 'poor', 'fair', 'good', 'excellent']));
export const PerformanceLevel = pyEnum(z.enum(['unknown', 'poor', 'fair', 'good', 'excellent']));
export const NetworkStatus = pyEnum(z.enum(['connected', 'searching', 'no_service', 'emergency_only']));
export const APNNames = pyEnum(z.enum(['internet', 'broken']));

export const DEFAULT_MMSC_URL = 'http://mms.carrier.com/mms/wapenc';
export const APNSettings = z.strictObject({
  apn_name: APNNames.default('internet'),
  reset_at_reboot: z.boolean().default(false),
  mms_apn: z.string().nullable().default('mms'),
  mmsc_url: z.string().nullable().default(DEFAULT_MMSC_URL),
  mms_proxy: z.string().nullable().default(null),
  mms_port: z.int().nullable().default(null),
});
export const VpnDetails = z.strictObject({
  server_address: z.string().nullable().default(null),
  protocol: z.string().nullable().default(null),
  server_performance: PerformanceLevel.default('unknown'),
});
export const AppPermissions = z.strictObject({
  sms: z.boolean().default(false),
  storage: z.boolean().default(false),
  phone: z.boolean().default(false),
  network: z.boolean().default(false),
});
export const AppStatus = z.strictObject({
  app_name: z.string(),
  permissions: AppPermissions.default({ sms: false, storage: false, phone: false, network: false }),
});
export const MockPhoneAttributes = z.strictObject({
  sim_card_status: SimStatus.default('active'),
  sim_card_missing: z.boolean().default(false),
  airplane_mode: z.boolean().default(false),
  network_signal_strength: SignalStrength.default('good'),
  network_technology_connected: NetworkTechnology.default('5G'),
  network_connection_status: NetworkStatus.default('connected'),
  battery_level: z.int().default(80),
  data_enabled: z.boolean().default(true),
  roaming_enabled: z.boolean().default(false),
  network_mode_preference: NetworkModePreference.default('4g_5g_preferred'),
  active_apn_settings: APNSettings.default({
    apn_name: 'internet', reset_at_reboot: false, mms_apn: 'mms', mmsc_url: DEFAULT_MMSC_URL, mms_proxy: null, mms_port: null,
  }),
  wifi_enabled: z.boolean().default(false),
  wifi_connected: z.boolean().default(false),
  wifi_ssid: z.string().nullable().default(null),
  wifi_signal_strength: SignalStrength.default('none'),
  wifi_calling_enabled: z.boolean().default(false),
  wifi_calling_mms_over_wifi: z.boolean().default(false),
  data_saver_mode: z.boolean().default(false),
  vpn_enabled_setting: z.boolean().default(false),
  vpn_connected: z.boolean().default(false),
  vpn_details: VpnDetails.nullable().default(null),
  app_statuses: z.record(z.string(), AppStatus).default({
    messaging: { app_name: 'messaging', permissions: { sms: true, storage: true, phone: true, network: false } },
    browser: { app_name: 'browser', permissions: { sms: false, storage: true, phone: false, network: true } },
  }),
});
export const PaymentRequest = z.strictObject({ bill_id: z.string(), amount_due: z.number(), paid: z.boolean().default(false) });
export const UserSurroundings = z.strictObject({
  name: z.string().nullable().default(null),
  phone_number: z.string().nullable().default(null),
  is_abroad: z.boolean().default(false),
  roaming_allowed: z.boolean().default(false),
  signal_strength: z.record(z.string(), SignalStrength).default({ '2G': 'poor', '3G': 'fair', '4G': 'good', '5G': 'excellent' }),
  mobile_data_usage_exceeded: z.boolean().default(false),
  line_active: z.boolean().default(true),
  payment_request: PaymentRequest.nullable().default(null),
});
export const TelecomUserDB = z.strictObject({
  device: MockPhoneAttributes.prefault({}),
  surroundings: UserSurroundings.prefault({}),
});
