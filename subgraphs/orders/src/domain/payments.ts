import type { Viewer } from '@commerce/common/auth';
import { AppError, badInput, forbidden, notFound } from '@commerce/common/errors';
import type { EventOrigin } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import { assertCanSeeOrdersOf } from './access.js';
import { changeOrder } from './change-order.js';
import { paymentEvent, statusChangeEvents } from './events.js';
import { claimedForPayment, paidBy, withFailedPayment } from './lifecycle.js';
import type { Order, Payment, PaymentMethod } from './order.js';
import type { ChargeOutcome, OrderStore, PaymentProvider } from './ports.js';

export interface PaymentsDeps {
  readonly orders: OrderStore;
  readonly provider: PaymentProvider;
  readonly eventsStored: () => void;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** How long a payment keeps its order from being cancelled or expiring: well above a charge's longest call. */
export const paymentClaimMs = 60_000;
/** The currency of the catalog's prices. */
export const currency = 'USD';

/** PAID through payOrder: a repeated call (a retry, or a concurrent one that lost the race) answers it as it is. */
function paidByCard(order: Order): boolean {
  return order.status === 'PAID' && order.payments.some((payment) => payment.status === 'SUCCEEDED');
}

export function notPayable(order: Pick<Order, 'id' | 'status'>): AppError {
  return new AppError(
    'ORDER_NOT_PAYABLE',
    `Order ${order.id} is ${order.status}: only a CONFIRMED order can be paid`,
    false,
    { orderId: order.id, status: order.status },
  );
}

/**
 * payOrder: the owner pays a CONFIRMED order's total through the PaymentProvider port.
 *
 * 1. Claim: the order, still CONFIRMED, is marked as being paid (Order.paymentClaimedUntil), so
 *    that it is neither cancelled nor expired while the provider charges it.
 * 2. Charge with the idempotency key `<orderId>:<attempt>`, the attempt counting the declines
 *    recorded so far: concurrent calls share a key and the provider charges once; a retry after a
 *    decline is a new attempt.
 * 3. Record the outcome once (a payment's id is the provider's charge id): PAID with
 *    payment.succeeded, or the failed payment with payment.failed (the order stays CONFIRMED).
 *    A concurrent call that finds the outcome recorded answers the same.
 *
 * Paying an order already PAID by card charges nothing and answers the PAID order, so that a
 * client's retry, or a concurrent call that came second, gets the answer of the first.
 */
export class Payments {
  private readonly now: () => Date;

  constructor(private readonly deps: PaymentsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async pay(
    viewer: Viewer,
    orderId: string,
    payment: { readonly method: PaymentMethod; readonly token: string },
    origin: EventOrigin,
  ): Promise<Order> {
    const token = payment.token.trim();
    if (!token) throw badInput('payment.token must not be empty');
    const claim = await this.claim(viewer, orderId);
    if ('paid' in claim) return claim.paid;
    const { order: claimed, until } = claim;
    const attempt = claimed.payments.filter((each) => each.status === 'FAILED').length + 1;
    let outcome: ChargeOutcome;
    try {
      outcome = await this.deps.provider.charge({
        idempotencyKey: `${orderId}:${attempt}`,
        amountCents: claimed.totalCents,
        currency,
        method: payment.method,
        token,
        reference: orderId,
      });
    } catch (error) {
      await this.unclaim(orderId, until);
      if (error instanceof AppError && error.code === 'PAYMENT_PROVIDER_UNAVAILABLE') throw error;
      this.deps.logger.warn({ err: error, orderId }, 'payment provider failed');
      throw new AppError(
        'PAYMENT_PROVIDER_UNAVAILABLE',
        'The payment provider is unavailable; try again later',
        true,
      );
    }
    return this.record(orderId, outcome, { method: payment.method, amountCents: claimed.totalCents }, origin);
  }

  /** Claims the order for this payment, or finds it paid by card already (then answered as it is). */
  private async claim(
    viewer: Viewer,
    orderId: string,
  ): Promise<{ order: Order; until: Date } | { paid: Order }> {
    const until = new Date(this.now().getTime() + paymentClaimMs);
    const { order, written } = await changeOrder(this.deps.orders, orderId, (before) => {
      if (!before) throw notFound('Order', orderId);
      assertCanSeeOrdersOf(viewer, before.userId);
      if (viewer.userId !== before.userId) throw forbidden("Only the order's owner pays it");
      if (paidByCard(before)) return { unchanged: before };
      if (before.status !== 'CONFIRMED') throw notPayable(before);
      return { after: claimedForPayment(before, until), events: [] };
    });
    if (!order) throw notFound('Order', orderId);
    return written ? { order, until } : { paid: order };
  }

  /** Ends this call's claim after an outage, unless a concurrent call claimed the order since. */
  private async unclaim(orderId: string, until: Date): Promise<void> {
    await changeOrder(this.deps.orders, orderId, (before) =>
      before && before.paymentClaimedUntil?.getTime() === until.getTime()
        ? { after: { ...before, paymentClaimedUntil: null }, events: [] }
        : { unchanged: before },
    ).catch((error: unknown) => this.deps.logger.warn({ err: error, orderId }, 'payment claim kept'));
  }

  private async record(
    orderId: string,
    outcome: ChargeOutcome,
    charge: { readonly method: PaymentMethod; readonly amountCents: number },
    origin: EventOrigin,
  ): Promise<Order> {
    const { order, written } = await changeOrder(this.deps.orders, orderId, (before) => {
      if (!before) throw notFound('Order', orderId);
      const recorded = before.payments.some((each) => each.id === outcome.chargeId);
      if (recorded || before.status !== 'CONFIRMED') return { unchanged: before };
      const now = this.now();
      const payment: Payment = {
        id: outcome.chargeId,
        ...charge,
        status: outcome.status,
        failureReason: outcome.status === 'FAILED' ? outcome.reason : null,
        createdAt: now,
      };
      if (outcome.status === 'FAILED') {
        const after = withFailedPayment(before, payment, now);
        return { after, events: [paymentEvent(after, payment, origin, now)] };
      }
      const after = paidBy(before, payment, now);
      return {
        after,
        events: [
          ...statusChangeEvents(before, after, origin, now),
          paymentEvent(after, payment, origin, now),
        ],
      };
    });
    if (!order) throw notFound('Order', orderId);
    if (written) this.deps.eventsStored();
    const recorded = order.payments.some((each) => each.id === outcome.chargeId);
    if (outcome.status === 'FAILED') {
      if (!recorded)
        this.deps.logger.info(
          { orderId, status: order.status, chargeId: outcome.chargeId },
          'late payment failure: the order had moved on, nothing changed',
        );
      throw new AppError('PAYMENT_DECLINED', `Payment declined: ${outcome.reason}`, false, {
        orderId,
        paymentId: outcome.chargeId,
        reason: outcome.reason,
      });
    }
    if (!recorded) {
      // The claim keeps this from happening unless the charge outlasted it: the money must go back.
      this.deps.logger.error(
        { orderId, status: order.status, chargeId: outcome.chargeId },
        'charged an order that is no longer payable: refund the charge at the provider',
      );
      throw notPayable(order);
    }
    return order;
  }
}
