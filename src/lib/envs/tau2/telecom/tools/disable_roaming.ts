import { truthy } from '../../../tau-bench/pyops.ts';
import { field } from '../../pyhelp.ts';
import { arg, tool } from '../../toolkit.ts';
import { getTargetLine } from '../db.ts';

export const disableRoaming = tool({
  name: 'disable_roaming',
  params: ['customer_id', 'line_id'],
  required: ['customer_id', 'line_id'],
  type: 'write',
  call(db, args) {
    const line = getTargetLine(db, arg(args, 'customer_id'), arg(args, 'line_id'));
    if (!truthy(field(line, 'roaming_enabled'))) return 'Roaming was already disabled';
    line.set('roaming_enabled', false);
    return 'Roaming disabled successfully';
  },
});
