import { field } from '../../pyhelp.ts';
import { arg, tool } from '../../toolkit.ts';
import { addDays, getPlanById, getTargetLine, nextMonthFirst, plainDict, TODAY } from '../db.ts';

export const getDataUsage = tool({
  name: 'get_data_usage',
  params: ['customer_id', 'line_id'],
  required: ['customer_id', 'line_id'],
  type: 'read',
  call(db, args) {
    const lineId = arg(args, 'line_id');
    const line = getTargetLine(db, arg(args, 'customer_id'), lineId);
    const plan = getPlanById(db, field(line, 'plan_id'));
    return plainDict([
      ['line_id', lineId],
      ['data_used_gb', field(line, 'data_used_gb')],
      ['data_limit_gb', field(plan, 'data_limit_gb')],
      ['data_refueling_gb', field(line, 'data_refueling_gb')],
      ['cycle_end_date', addDays(nextMonthFirst(TODAY), -1)],
    ]);
  },
});
