/** RetailTools' private helpers over the stored RetailDB. */
import type { PyDict, PyValue } from '../../tau-bench/py.ts';
import { asDict, at, field, has } from '../pyhelp.ts';
import { valueError } from '../toolkit.ts';

export const CLASS = 'RetailTools';

const table = (db: PyDict, name: string): PyDict => asDict(at(db, name), name);

export function getOrder(db: PyDict, orderId: PyValue): PyDict {
  const orders = table(db, 'orders');
  if (!has(orders, orderId)) throw valueError('Order not found');
  return asDict(at(orders, orderId), 'Order');
}

export function getUser(db: PyDict, userId: PyValue): PyDict {
  const users = table(db, 'users');
  if (!has(users, userId)) throw valueError('User not found');
  return asDict(at(users, userId), 'User');
}

export function getProduct(db: PyDict, productId: PyValue): PyDict {
  const products = table(db, 'products');
  if (!has(products, productId)) throw valueError('Product not found');
  return asDict(at(products, productId), 'Product');
}

export function getItem(db: PyDict, itemId: PyValue): PyDict {
  for (const product of table(db, 'products').values()) {
    const variants = asDict(field(product, 'variants'), 'variants');
    if (has(variants, itemId)) return asDict(at(variants, itemId), 'Variant');
  }
  throw valueError('Item not found');
}

export function getVariant(db: PyDict, productId: PyValue, variantId: PyValue): PyDict {
  const variants = asDict(field(getProduct(db, productId), 'variants'), 'variants');
  if (!has(variants, variantId)) throw valueError('Variant not found');
  return asDict(at(variants, variantId), 'Variant');
}

export function getPaymentMethod(db: PyDict, userId: PyValue, paymentMethodId: PyValue): PyDict {
  const methods = asDict(field(getUser(db, userId), 'payment_methods'), 'payment_methods');
  if (!has(methods, paymentMethodId)) throw valueError('Payment method not found');
  return asDict(at(methods, paymentMethodId), 'PaymentMethod');
}

export const isGiftCard = (m: PyDict): boolean => m.get('source') === 'gift_card';

/** `"pending" in order.status` */
export const isPending = (order: PyDict): boolean => String(field(order, 'status')).includes('pending');
