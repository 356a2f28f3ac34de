import { dumps } from '../../py.ts';
import { contains, getItem } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';

export const getProductDetails: TauTool = {
  name: 'get_product_details',
  pyClass: 'GetProductDetails',
  pyModule: 'tau_bench.envs.retail.tools.get_product_details',
  required: ['product_id'],
  optional: [],
  invoke(data, args) {
    const id = arg(args, 'product_id');
    const table = getItem(data, 'products');
    if (contains(table, id)) return dumps(getItem(table, id));
    return 'Error: product not found';
  },
};
