import { pyStr } from '../../py.ts';
import { contains, dict, getItem, setItem } from '../../pyops.ts';
import { arg, type TauTool } from '../../tool.ts';

export const sendCertificate: TauTool = {
  name: 'send_certificate',
  pyClass: 'SendCertificate',
  pyModule: 'tau_bench.envs.airline.tools.send_certificate',
  required: ['user_id', 'amount'],
  optional: [],
  invoke(data, args) {
    const userId = arg(args, 'user_id');
    const amount = arg(args, 'amount');
    const users = getItem(data, 'users');
    if (!contains(users, userId)) return 'Error: user not found';
    const user = getItem(users, userId);
    // The original assumes at most 3 certificates per task.
    for (const id of [3221322, 3221323, 3221324]) {
      const paymentId = `certificate_${id}`;
      const methods = getItem(user, 'payment_methods');
      if (!contains(methods, paymentId)) {
        setItem(methods, paymentId, dict([['source', 'certificate'], ['amount', amount], ['id', paymentId]]));
        return `Certificate ${paymentId} added to user ${pyStr(userId)} with amount ${pyStr(amount)}.`;
      }
    }
    // The original falls off the end and returns None (which then fails its pydantic
    // EnvResponse); str(None) is the closest observation this port can give.
    return 'None';
  },
};
