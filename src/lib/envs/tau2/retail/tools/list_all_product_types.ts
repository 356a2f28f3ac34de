import type { PyValue } from '../../../tau-bench/py.ts';
import { dumpsSorted } from '../../hash.ts';
import { asDict, at, field } from '../../pyhelp.ts';
import { tool } from '../../toolkit.ts';

export const listAllProductTypes = tool({
  name: 'list_all_product_types',
  params: [],
  required: [],
  type: 'read',
  call(db) {
    const byName = new Map<string, PyValue>();
    for (const product of asDict(at(db, 'products'), 'products').values()) {
      byName.set(String(field(product, 'name')), field(product, 'product_id'));
    }
    return dumpsSorted(byName);
  },
});
