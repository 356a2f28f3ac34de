import type { PyValue } from '../../../tau-bench/py.ts';
import { construct } from '../../model.ts';
import { asDict, field, s } from '../../pyhelp.ts';
import { arg, tool, valueError } from '../../toolkit.ts';
import { getUser, NEW_PAYMENT_IDS } from '../db.ts';
import { Certificate } from '../model.ts';

export const sendCertificate = tool({
  name: 'send_certificate',
  params: ['user_id', 'amount'],
  required: ['user_id', 'amount'],
  type: 'write',
  call(db, args) {
    const userId = arg(args, 'user_id');
    const amount = arg(args, 'amount');
    const user = getUser(db, userId);
    const methods = asDict(field(user, 'payment_methods'), 'payment_methods');
    for (const paymentId of NEW_PAYMENT_IDS.map((id) => `certificate_${id}`)) {
      if (!methods.has(paymentId)) {
        methods.set(paymentId, construct('Certificate', Certificate, new Map<string, PyValue>([
          ['id', paymentId], ['amount', amount], ['source', 'certificate'],
        ])));
        return `Certificate ${paymentId} added to user ${s(userId)} with amount ${s(amount)}.`;
      }
    }
    throw valueError('Too many certificates');
  },
});
