import { causedBy, type Envelope, type Topics } from '@commerce/common/events';
import { changeOrder } from './change-order.js';
import { statusChangeEvents } from './events.js';
import { withStatus } from './lifecycle.js';
import type { Order, OrderStatus } from './order.js';
import type { OrderStore } from './ports.js';

/**
 * What inventory's answer did to the order: moved it on; nothing, as it was applied already (a
 * redelivery); nothing, as the order had moved on before the answer came (`late`: recorded as
 * processed on the order and logged by the consumer); or nothing, as no such order exists.
 */
export type InventoryOutcome =
  | { readonly kind: 'applied'; readonly order: Order }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'late'; readonly status: OrderStatus }
  | { readonly kind: 'unknown-order' };

export interface InventoryOutcomesDeps {
  readonly orders: OrderStore;
  readonly eventsStored: () => void;
  readonly now?: () => Date;
}

/** Applies inventory's answers to placements: a PENDING order becomes CONFIRMED or REJECTED, once. */
export class InventoryOutcomes {
  private readonly now: () => Date;

  constructor(private readonly deps: InventoryOutcomesDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** inventory.reserved: every item is reserved, the PENDING order becomes CONFIRMED (payable). */
  confirm(event: Envelope<Topics['inventory.reserved']>): Promise<InventoryOutcome> {
    // Anything past CONFIRMED went through it: this answer was applied already.
    const applied: readonly OrderStatus[] = ['CONFIRMED', 'PAID', 'SHIPPED', 'DELIVERED'];
    return this.answer(event, 'CONFIRMED', 'stock reserved', applied);
  }

  /**
   * inventory.reservation_failed: the PENDING order becomes REJECTED with the reason. A failure for
   * an order that moved on (cancelled, expired, or paid) changes nothing.
   */
  reject(event: Envelope<Topics['inventory.reservation_failed']>): Promise<InventoryOutcome> {
    return this.answer(event, 'REJECTED', event.payload.reason, ['REJECTED']);
  }

  private async answer(
    event: Envelope<{ readonly orderId: string }>,
    to: OrderStatus,
    reason: string,
    appliedStatuses: readonly OrderStatus[],
  ): Promise<InventoryOutcome> {
    const { orderId } = event.payload;
    const { order, written } = await changeOrder(
      this.deps.orders,
      orderId,
      (before) => {
        if (before?.status !== 'PENDING') return { unchanged: before };
        const now = this.now();
        const after = withStatus(before, to, now, reason);
        return { after, events: statusChangeEvents(before, after, causedBy(event, 'orders'), now) };
      },
      event.metadata.eventId,
    );
    if (written && order) {
      this.deps.eventsStored();
      return { kind: 'applied', order };
    }
    if (!order) return { kind: 'unknown-order' };
    if (appliedStatuses.includes(order.status)) return { kind: 'duplicate' };
    await this.deps.orders.markProcessed(orderId, event.metadata.eventId);
    return { kind: 'late', status: order.status };
  }
}
