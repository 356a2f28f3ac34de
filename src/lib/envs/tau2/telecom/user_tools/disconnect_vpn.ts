import { tool } from '../../toolkit.ts';
import { disconnectVpn, withStatusBar } from '../device.ts';

export const disconnectVpnTool = tool({
  name: 'disconnect_vpn',
  params: [],
  required: [],
  type: 'write',
  schema: {
    description: 'Disconnects any active VPN (Virtual Private Network) connection. Stops routing your internet traffic through a VPN server, which might affect connection speed or access to content.',
    parameters: { properties: {}, title: 'parameters', type: 'object' },
  },
  call: (db) => withStatusBar(db, disconnectVpn(db) ? 'VPN disconnected successfully.' : 'No active VPN connection to disconnect.'),
});
