import { tool } from '../../toolkit.ts';
import { disconnectVpn, withStatusBar } from '../device.ts';

export const disconnectVpnTool = tool({
  name: 'disconnect_vpn',
  params: [],
  required: [],
  type: 'write',
  call: (db) => withStatusBar(db, disconnectVpn(db) ? 'VPN disconnected successfully.' : 'No active VPN connection to disconnect.'),
});
