import { dumps } from '../../py.ts';
import { contains, getItem } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';

export const getOrderDetails: TauTool = {
  name: 'get_order_details',
  pyClass: 'GetOrderDetails',
  pyModule: 'tau_bench.envs.retail.tools.get_order_details',
  required: ['order_id'],
  optional: [],
  invoke(data, args) {
    const id = arg(args, 'order_id');
    const table = getItem(data, 'orders');
    if (contains(table, id)) return dumps(getItem(table, id));
    return 'Error: order not found';
  },
};
