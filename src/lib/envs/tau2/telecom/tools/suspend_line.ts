import { field } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';
import { getTargetLine, plainDict, TODAY } from '../db.ts';
import { LINE_STATUS } from '../model.ts';

export const suspendLine = tool({
  name: 'suspend_line',
  params: ['customer_id', 'line_id', 'reason'],
  required: ['customer_id', 'line_id', 'reason'],
  type: 'write',
  call(db, args) {
    const line = getTargetLine(db, arg(args, 'customer_id'), arg(args, 'line_id'));
    if (field(line, 'status') !== LINE_STATUS.ACTIVE) throw valueError('Line must be active to suspend');
    line.set('status', LINE_STATUS.SUSPENDED);
    line.set('suspension_start_date', TODAY);
    return plainDict([
      ['message', 'Line suspended successfully. $5/month holding fee will apply.'],
      ['line', line],
    ]);
  },
});
