import { arg, tool } from '../../toolkit.ts';
import { getItem } from '../db.ts';

export const getItemDetails = tool({
  name: 'get_item_details',
  params: ['item_id'],
  required: ['item_id'],
  type: 'read',
  call: (db, args) => getItem(db, arg(args, 'item_id')),
});
