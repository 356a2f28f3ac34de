/** Expressions shared by the item-changing retail tools, evaluated as the Python does. */
import type { PyValue } from '../../py.ts';
import { count, getItem, gt, iter, pyEq } from '../../pyops.ts';

/** `[item["item_id"] for item in order["items"]]` */
export function itemIds(order: PyValue): PyValue[] {
  return iter(getItem(order, 'items')).map((item) => getItem(item, 'item_id'));
}

/** `[item for item in order["items"] if item["item_id"] == item_id][0]` */
export function findItem(order: PyValue, itemId: PyValue): PyValue {
  const matches = iter(getItem(order, 'items')).filter((item) => pyEq(getItem(item, 'item_id'), itemId));
  return getItem(matches, 0);
}

/** The first id in `item_ids` asked for more often than the order holds it, if any. */
export function missingItem(itemIdsArg: PyValue, all: PyValue[]): PyValue | undefined {
  for (const itemId of iter(itemIdsArg)) {
    if (gt(count(itemIdsArg, itemId), count(all, itemId))) return itemId;
  }
  return undefined;
}
