/** Expressions shared by the item-changing retail tools, evaluated as the Python does. */
import { pyStr, type PyValue } from '../../py.ts';
import { contains, count, getItem, gt, iadd, iter, pyEq, sub, truthy, zip } from '../../pyops.ts';

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

/**
 * The price-difference loop both item-swapping tools share: new minus old
 * price summed over the pairs (unrounded), or the original's error for the
 * first new item that is unknown or unavailable.
 */
export function priceDifference(products: PyValue, order: PyValue, itemIdsArg: PyValue, newItemIds: PyValue): { diff: PyValue } | { error: string } {
  let diff: PyValue = 0;
  for (const [itemId, newItemId] of zip(itemIdsArg, newItemIds)) {
    const item = findItem(order, itemId);
    const variants = getItem(getItem(products, getItem(item, 'product_id')), 'variants');
    if (!(contains(variants, newItemId) && truthy(getItem(getItem(variants, newItemId), 'available')))) {
      return { error: `Error: new item ${pyStr(newItemId)} not found or available` };
    }
    diff = iadd(diff, sub(getItem(getItem(variants, newItemId), 'price'), getItem(item, 'price')));
  }
  return { diff };
}
