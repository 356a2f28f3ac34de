/** tau2 retail data model (src/tau2/domains/retail/data_model.py), field for field and in order. */
import { z } from 'zod';

export const Variant = z.object({
  item_id: z.string(),
  options: z.record(z.string(), z.string()),
  available: z.boolean(),
  price: z.number(),
});
export const Product = z.object({ name: z.string(), product_id: z.string(), variants: z.record(z.string(), Variant) });
export const UserName = z.object({ first_name: z.string(), last_name: z.string() });
export const UserAddress = z.object({
  address1: z.string(),
  address2: z.string(),
  city: z.string(),
  country: z.string(),
  state: z.string(),
  zip: z.string(),
});
export const CreditCard = z.object({ source: z.literal('credit_card'), id: z.string(), brand: z.string(), last_four: z.string() });
export const GiftCard = z.object({ source: z.literal('gift_card'), id: z.string(), balance: z.number() });
export const Paypal = z.object({ source: z.literal('paypal'), id: z.string() });
export const PaymentMethod = z.union([CreditCard, GiftCard, Paypal]);
export const User = z.object({
  user_id: z.string(),
  name: UserName,
  address: UserAddress,
  email: z.string(),
  payment_methods: z.record(z.string(), PaymentMethod),
  orders: z.array(z.string()),
});
export const OrderFullfilment = z.object({ tracking_id: z.array(z.string()), item_ids: z.array(z.string()) });
export const OrderItem = z.object({
  name: z.string(),
  product_id: z.string(),
  item_id: z.string(),
  price: z.number(),
  options: z.record(z.string(), z.string()),
});
export const OrderPayment = z.object({
  transaction_type: z.enum(['payment', 'refund']),
  amount: z.number(),
  payment_method_id: z.string(),
});
export const OrderStatus = z.enum([
  'processed', 'pending', 'pending (item modified)', 'delivered', 'cancelled', 'exchange requested', 'return requested',
]);
export const Order = z.object({
  order_id: z.string(),
  user_id: z.string(),
  address: UserAddress,
  items: z.array(OrderItem),
  status: OrderStatus,
  fulfillments: z.array(OrderFullfilment),
  payment_history: z.array(OrderPayment),
  cancel_reason: z.enum(['no longer needed', 'ordered by mistake']).nullable().default(null),
  exchange_items: z.array(z.string()).nullable().default(null),
  exchange_new_items: z.array(z.string()).nullable().default(null),
  exchange_payment_method_id: z.string().nullable().default(null),
  exchange_price_difference: z.number().nullable().default(null),
  return_items: z.array(z.string()).nullable().default(null),
  return_payment_method_id: z.string().nullable().default(null),
});
export const RetailDB = z.object({
  products: z.record(z.string(), Product),
  users: z.record(z.string(), User),
  orders: z.record(z.string(), Order),
});
