import { truthy } from '../../../tau-bench/pyops.ts';
import { field } from '../../pyhelp.ts';
import { arg, tool } from '../../toolkit.ts';
import { getTargetLine } from '../db.ts';

export const disableRoaming = tool({
  name: 'disable_roaming',
  params: ['customer_id', 'line_id'],
  required: ['customer_id', 'line_id'],
  type: 'write',
  schema: {
    description: 'Disables international roaming on a line.',
    parameters: {
      properties: {
        customer_id: { description: 'ID of the customer who owns the line.', title: 'Customer Id', type: 'string' },
        line_id: { description: 'ID of the line to disable roaming for.', title: 'Line Id', type: 'string' },
      },
      required: ['customer_id', 'line_id'],
      title: 'parameters',
      type: 'object',
    },
  },
  call(db, args) {
    const line = getTargetLine(db, arg(args, 'customer_id'), arg(args, 'line_id'));
    if (!truthy(field(line, 'roaming_enabled'))) return 'Roaming was already disabled';
    line.set('roaming_enabled', false);
    return 'Roaming disabled successfully';
  },
});
