import { typeName } from '../../../tau-bench/py.ts';
import { PyException } from '../../../tau-bench/pyops.ts';
import { s } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';
import { getBillById, getCustomerById, getDeviceById, getLineById, getPlanById } from '../db.ts';

export const getDetailsById = tool({
  name: 'get_details_by_id',
  params: ['id'],
  required: ['id'],
  type: 'read',
  call(db, args) {
    const id = arg(args, 'id');
    if (typeof id !== 'string') throw new PyException('AttributeError', `'${typeName(id)}' object has no attribute 'startswith'`);
    if (id.startsWith('L')) return getLineById(db, id);
    if (id.startsWith('D')) return getDeviceById(db, id);
    if (id.startsWith('B')) return getBillById(db, id);
    if (id.startsWith('C')) return getCustomerById(db, id);
    if (id.startsWith('P')) return getPlanById(db, id);
    throw valueError(`Unknown ID format or type: ${s(id)}`);
  },
});
