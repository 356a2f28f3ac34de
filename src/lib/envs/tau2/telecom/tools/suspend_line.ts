import { field } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';
import { getTargetLine, plainDict, TODAY } from '../db.ts';
import { LINE_STATUS } from '../model.ts';

export const suspendLine = tool({
  name: 'suspend_line',
  params: ['customer_id', 'line_id', 'reason'],
  required: ['customer_id', 'line_id', 'reason'],
  type: 'write',
  schema: {
    description: 'Suspends a specific line (max 6 months).\n\nChecks: Line status must be Active.\nLogic: Sets line status to Suspended, records suspension_start_date.',
    parameters: {
      properties: {
        customer_id: { description: 'ID of the customer who owns the line.', title: 'Customer Id', type: 'string' },
        line_id: { description: 'ID of the line to suspend.', title: 'Line Id', type: 'string' },
        reason: { description: 'Reason for suspension.', title: 'Reason', type: 'string' },
      },
      required: ['customer_id', 'line_id', 'reason'],
      title: 'parameters',
      type: 'object',
    },
  },
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
