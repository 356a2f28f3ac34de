import { field } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';
import { getTargetLine, plainDict } from '../db.ts';
import { LINE_STATUS } from '../model.ts';

export const resumeLine = tool({
  name: 'resume_line',
  params: ['customer_id', 'line_id'],
  required: ['customer_id', 'line_id'],
  type: 'write',
  call(db, args) {
    const line = getTargetLine(db, arg(args, 'customer_id'), arg(args, 'line_id'));
    const status = field(line, 'status');
    if (status !== LINE_STATUS.SUSPENDED && status !== LINE_STATUS.PENDING_ACTIVATION) throw valueError('Line must be suspended to resume');
    line.set('status', LINE_STATUS.ACTIVE);
    line.set('suspension_start_date', null);
    return plainDict([
      ['message', 'Line resumed successfully'],
      ['line', line],
    ]);
  },
});
