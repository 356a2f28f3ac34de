import { arg, tool } from '../../toolkit.ts';
import { getProduct } from '../db.ts';

export const getProductDetails = tool({
  name: 'get_product_details',
  params: ['product_id'],
  required: ['product_id'],
  type: 'read',
  call: (db, args) => getProduct(db, arg(args, 'product_id')),
});
