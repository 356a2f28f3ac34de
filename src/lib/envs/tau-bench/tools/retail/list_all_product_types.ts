import { compareCodePoints } from '../../hash.ts';
import { dumps, pyStr, type PyDict } from '../../py.ts';
import { dictOf, getItem, lt } from '../../pyops.ts';
import type { TauTool } from '../../tool.ts';

export const listAllProductTypes: TauTool = {
  name: 'list_all_product_types',
  pyClass: 'ListAllProductTypes',
  pyModule: 'tau_bench.envs.retail.tools.list_all_product_types',
  required: [],
  optional: [],
  invoke(data) {
    // {product["name"]: product["product_id"] for product in products.values()}
    const byName: PyDict = new Map();
    for (const product of dictOf(getItem(data, 'products'), 'values').values()) {
      byName.set(pyStr(getItem(product, 'name')), getItem(product, 'product_id'));
    }
    // dict(sorted(product_dict.items())): by name, then by id
    const entries = [...byName].sort(
      (a, b) => compareCodePoints(a[0], b[0]) || (lt(a[1], b[1]) ? -1 : lt(b[1], a[1]) ? 1 : 0),
    );
    return dumps(new Map(entries));
  },
};
