import { iadd, mul } from '../../../tau-bench/pyops.ts';
import { field, s } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';
import { applyOneTimeCharge, fixed2, getPlanById, getTargetLine, le, plainDict } from '../db.ts';

export const refuelData = tool({
  name: 'refuel_data',
  params: ['customer_id', 'line_id', 'gb_amount'],
  required: ['customer_id', 'line_id', 'gb_amount'],
  type: 'write',
  call(db, args) {
    const customerId = arg(args, 'customer_id');
    const lineId = arg(args, 'line_id');
    const gb = arg(args, 'gb_amount');
    const line = getTargetLine(db, customerId, lineId);
    if (le(gb, 0)) throw valueError('Refuel amount must be positive');
    const plan = getPlanById(db, field(line, 'plan_id'));
    const price = field(plan, 'data_refueling_price_per_gb');
    const charge = mul(gb, price);
    line.set('data_refueling_gb', iadd(field(line, 'data_refueling_gb'), gb));
    applyOneTimeCharge(db, customerId, charge, `Data refueling: ${s(gb)} GB at $${s(price)}/GB`);
    return plainDict([
      ['message', `Successfully added ${s(gb)} GB of data for line ${s(lineId)} for $${fixed2(charge)}`],
      ['new_data_refueling_gb', field(line, 'data_refueling_gb')],
      ['charge', charge],
    ]);
  },
});
