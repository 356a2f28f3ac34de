import { dumps } from '../../py.ts';
import { contains, dict, getItem, pyEq, setItem } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';

const FIELDS = ['address1', 'address2', 'city', 'state', 'country', 'zip'] as const;

export const modifyPendingOrderAddress: TauTool = {
  name: 'modify_pending_order_address',
  pyClass: 'ModifyPendingOrderAddress',
  pyModule: 'tau_bench.envs.retail.tools.modify_pending_order_address',
  required: ['order_id', ...FIELDS],
  optional: [],
  invoke(data, args) {
    const orderId = arg(args, 'order_id');
    const orders = getItem(data, 'orders');
    if (!contains(orders, orderId)) return 'Error: order not found';
    const order = getItem(orders, orderId);
    if (!pyEq(getItem(order, 'status'), 'pending')) return 'Error: non-pending order cannot be modified';
    setItem(order, 'address', dict(FIELDS.map((f) => [f, arg(args, f)])));
    return dumps(order);
  },
};
