/** Shared checks of the item-changing retail tools, as the original writes them inline. */
import type { PyDict, PyValue } from '../../tau-bench/py.ts';
import { count, pyEq } from '../../tau-bench/pyops.ts';
import { asList, field } from '../pyhelp.ts';

/** `[item.item_id for item in order.items]` */
export const orderItemIds = (order: PyDict): PyValue[] => asList(field(order, 'items'), 'items').map((i) => field(i, 'item_id'));

/** The first item id asked for more often than the order holds it, or undefined. */
export function overAsked(itemIds: PyValue, all: PyValue[]): PyValue | undefined {
  for (const id of asList(itemIds, 'item_ids')) if (count(itemIds, id) > count(all, id)) return id;
  return undefined;
}

/** `next((item for item in order.items if item.item_id == item_id), None)` */
export function findItem(order: PyDict, itemId: PyValue): PyDict | undefined {
  const hit = asList(field(order, 'items'), 'items').find((i) => pyEq(field(i, 'item_id'), itemId));
  return hit instanceof Map ? hit : undefined;
}
