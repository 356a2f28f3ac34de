import { iadd, mul } from '../../../tau-bench/pyops.ts';
import { field, s } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';
import { applyOneTimeCharge, fixed2, getPlanById, getTargetLine, le, plainDict } from '../db.ts';

export const refuelData = tool({
  name: 'refuel_data',
  params: ['customer_id', 'line_id', 'gb_amount'],
  required: ['customer_id', 'line_id', 'gb_amount'],
  type: 'write',
  schema: {
    description: "Refuels data for a specific line, adding to the customer's bill.\n\nChecks: Line status must be Active, Customer owns the line.\nLogic: Adds data to the line and charges customer based on the plan's refueling rate.",
    parameters: {
      properties: {
        customer_id: { description: 'ID of the customer who owns the line.', title: 'Customer Id', type: 'string' },
        line_id: { description: 'ID of the line to refuel data for.', title: 'Line Id', type: 'string' },
        gb_amount: { description: 'Amount of data to add in gigabytes.', title: 'Gb Amount', type: 'number' },
      },
      required: ['customer_id', 'line_id', 'gb_amount'],
      title: 'parameters',
      type: 'object',
    },
  },
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
