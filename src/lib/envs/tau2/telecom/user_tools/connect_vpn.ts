import { tool } from '../../toolkit.ts';
import { connectVpn, withStatusBar } from '../device.ts';

export const connectVpnTool = tool({
  name: 'connect_vpn',
  params: [],
  required: [],
  type: 'write',
  call(db) {
    const connected = connectVpn(db);
    if (connected === null) return 'VPN already connected.';
    return withStatusBar(db, connected ? 'VPN connected successfully.' : 'No VPN connection to connect.');
  },
});
