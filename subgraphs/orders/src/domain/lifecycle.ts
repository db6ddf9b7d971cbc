import type { Order, OrderLine, OrderStatus, Payment, ShippingAddress } from './order.js';
import { totalCents } from './money.js';

/** A new order: PENDING, version 1, its placement as the first step of its history. */
export function newOrder(
  fields: {
    readonly id: string;
    readonly userId: string;
    readonly items: readonly OrderLine[];
    readonly shippingAddress: ShippingAddress;
  },
  now: Date,
  paymentTtlSeconds: number,
): Order {
  return {
    ...fields,
    totalCents: totalCents(fields.items),
    status: 'PENDING',
    rejectionReason: null,
    createdAt: now,
    updatedAt: now,
    version: 1,
    history: [{ status: 'PENDING', at: now, reason: 'placed' }],
    payments: [],
    paymentDueAt: new Date(now.getTime() + paymentTtlSeconds * 1000),
    paymentClaimedUntil: null,
  };
}

/** The order moved to `to` (the caller checked the step): one more history entry and version; any payment claim ends. */
export function withStatus(order: Order, to: OrderStatus, at: Date, reason: string): Order {
  return {
    ...order,
    status: to,
    rejectionReason: to === 'REJECTED' ? reason : order.rejectionReason,
    history: [...order.history, { status: to, at, reason }],
    version: order.version + 1,
    updatedAt: at,
    paymentClaimedUntil: null,
  };
}

/** A CONFIRMED order paid by `payment` (SUCCEEDED): PAID, the payment listed. */
export function paidBy(order: Order, payment: Payment, at: Date): Order {
  return withStatus({ ...order, payments: [...order.payments, payment] }, 'PAID', at, 'paid by card');
}

/** A refused charge listed on the order (which stays as it is, unclaimed). */
export function withFailedPayment(order: Order, payment: Payment, at: Date): Order {
  return {
    ...order,
    payments: [...order.payments, payment],
    version: order.version + 1,
    updatedAt: at,
    paymentClaimedUntil: null,
  };
}

/** Whether a payment is under way at `now` (see Order.paymentClaimedUntil). */
export function paymentInProgress(order: Order, now: Date): boolean {
  return order.paymentClaimedUntil !== null && order.paymentClaimedUntil.getTime() > now.getTime();
}

/** The order claimed for a payment at the provider until `until`. */
export function claimedForPayment(order: Order, until: Date): Order {
  return { ...order, paymentClaimedUntil: until };
}
