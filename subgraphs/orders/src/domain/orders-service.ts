import { randomUUID } from 'node:crypto';
import type { Viewer } from '@commerce/common/auth';
import { AppError, conflict, notFound } from '@commerce/common/errors';
import { causedBy, type Envelope, type EventOrigin, type Topics } from '@commerce/common/events';
import { orderPlacedEvent, statusChangeEvents } from './events.js';
import { totalCents } from './money.js';
import type { Order, OrderStatus } from './order.js';
import { mergeLines, normalizeAddress, priceLines, type PlaceOrderRequest } from './place-order.js';
import type { CatalogReader, OrderStore } from './ports.js';
import { assertStatusChange } from './transitions.js';

export interface OrdersServiceDeps {
  readonly orders: OrderStore;
  readonly catalog: CatalogReader;
  /** Called after a write that stored events, so they go out without waiting (the relay's notify). */
  readonly eventsStored: () => void;
  readonly now?: () => Date;
  readonly newId?: () => string;
}

/** How often a status change is re-evaluated when another change to the same order won the race. */
const maxStatusAttempts = 3;

/** The orders use cases; authentication is checked by the caller, rules and ownership here. */
export class OrdersService {
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: OrdersServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
  }

  /** Stores a PENDING order priced from the catalog, with its order.placed event. */
  async placeOrder(viewer: Viewer, request: PlaceOrderRequest, origin: EventOrigin): Promise<Order> {
    const lines = mergeLines(request.items);
    const shippingAddress = normalizeAddress(request.shippingAddress);
    const products = await this.deps.catalog.findByIds(lines.map((line) => line.productId));
    const items = priceLines(lines, new Map(products.map((product) => [product.productId, product])));
    const now = this.now();
    const order: Order = {
      id: this.newId(),
      userId: viewer.userId,
      items,
      totalCents: totalCents(items),
      status: 'PENDING',
      rejectionReason: null,
      shippingAddress,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.orders.insert(order, [orderPlacedEvent(order, origin, now)]);
    this.deps.eventsStored();
    return order;
  }

  /** The orders a viewer may list: their own, or all for an admin; newest first. */
  visibleOrders(viewer: Viewer): Promise<Order[]> {
    return viewer.role === 'ADMIN'
      ? this.deps.orders.findAll()
      : this.deps.orders.findByUserIds([viewer.userId]);
  }

  /**
   * A status change requested through the API (moving to CANCELLED is a cancellation). The write is
   * conditional on the status read; when another change won meanwhile, the request is re-checked
   * against the new status.
   */
  async changeStatus(viewer: Viewer, orderId: string, to: OrderStatus, origin: EventOrigin): Promise<Order> {
    for (let attempt = 0; attempt < maxStatusAttempts; attempt += 1) {
      const [order] = await this.deps.orders.findByIds([orderId]);
      if (!order) throw notFound('Order', orderId);
      assertStatusChange(viewer, order, to);
      const now = this.now();
      const changed = await this.deps.orders.changeStatus({
        orderId,
        from: order.status,
        to,
        at: now,
        rejectionReason: null,
        events: statusChangeEvents(order, to, origin, now),
      });
      if (changed) {
        this.deps.eventsStored();
        return changed;
      }
    }
    throw conflict(`Order ${orderId} is being changed concurrently; try again`);
  }

  /** Cancels a PENDING or PAID order (owner or admin); publishes order.cancelled and order.status_changed. */
  cancel(viewer: Viewer, orderId: string, origin: EventOrigin): Promise<Order> {
    return this.changeStatus(viewer, orderId, 'CANCELLED', origin);
  }

  /**
   * Inventory could not reserve the stock: an order not yet past payment (PENDING, or PAID by its
   * owner before the failure arrived) becomes REJECTED with the reason, since nothing was reserved
   * for it to ship. Anything else (already rejected, cancelled meanwhile, a redelivery) changes nothing.
   */
  async rejectAfterFailedReservation(
    event: Envelope<Topics['inventory.reservation_failed']>,
  ): Promise<Order | undefined> {
    const { orderId, reason } = event.payload;
    for (let attempt = 0; attempt < maxStatusAttempts; attempt += 1) {
      const [order] = await this.deps.orders.findByIds([orderId]);
      if (order?.status !== 'PENDING' && order?.status !== 'PAID') return undefined;
      const now = this.now();
      const changed = await this.deps.orders.changeStatus({
        orderId,
        from: order.status,
        to: 'REJECTED',
        at: now,
        rejectionReason: reason,
        events: statusChangeEvents(order, 'REJECTED', causedBy(event, 'orders'), now),
        causedByEventId: event.metadata.eventId,
      });
      if (changed) {
        this.deps.eventsStored();
        return changed;
      }
      // Lost to a concurrent change, or a redelivery already applied: read again and decide.
    }
    throw new AppError('CONFLICT', `Order ${orderId} is being changed concurrently; will retry`, true);
  }
}
