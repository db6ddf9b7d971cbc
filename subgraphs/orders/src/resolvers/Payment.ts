import { fromCents } from '../domain/money.js';
import type { PaymentResolvers } from '../generated/resolvers-types.js';

export const Payment: PaymentResolvers = {
  amount: (payment) => fromCents(payment.amountCents),
  createdAt: (payment) => payment.createdAt.toISOString(),
};
