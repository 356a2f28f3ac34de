import { pyRepr, strRepr, type PyDict } from '../../../tau-bench/py.ts';
import { truthy } from '../../../tau-bench/pyops.ts';
import { asDict, field } from '../../pyhelp.ts';
import { tool } from '../../toolkit.ts';
import { device } from '../device.ts';

/** `str(vpn_details.model_dump())`: python-mode dump keeps the enum member, whose repr shows. */
function detailsRepr(d: PyDict): string {
  const items = [...d].map(([k, v]) => {
    const value = k === 'server_performance' && typeof v === 'string' ? `<PerformanceLevel.${v.toUpperCase()}: ${strRepr(v)}>` : pyRepr(v);
    return `${strRepr(k)}: ${value}`;
  });
  return `{${items.join(', ')}}`;
}

export const checkVpnStatus = tool({
  name: 'check_vpn_status',
  params: [],
  required: [],
  type: 'read',
  call(db) {
    const d = device(db);
    const details = field(d, 'vpn_details');
    if (truthy(field(d, 'vpn_connected'))) {
      if (truthy(details)) return `VPN is ON and connected. Details: ${detailsRepr(asDict(details, 'vpn_details'))}`;
      return 'VPN is ON and connected (no specific details available).';
    }
    if (truthy(field(d, 'vpn_enabled_setting'))) return 'VPN is turned ON in settings, but currently not connected.';
    return 'VPN is turned OFF.';
  },
});
