import { arg, tool } from '../../toolkit.ts';
import { searchDirect } from '../search.ts';

export const searchDirectFlight = tool({
  name: 'search_direct_flight',
  params: ['origin', 'destination', 'date'],
  required: ['origin', 'destination', 'date'],
  type: 'read',
  call: (db, args) => searchDirect(db, arg(args, 'date'), arg(args, 'origin'), arg(args, 'destination'), null),
});
