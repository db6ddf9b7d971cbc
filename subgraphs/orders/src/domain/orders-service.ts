import { randomUUID } from 'node:crypto';
import type { Viewer } from '@commerce/common/auth';
import { conflict, notFound } from '@commerce/common/errors';
import type { EventOrigin } from '@commerce/common/events';
import { KeyedMutex } from '@commerce/common/keyed-mutex';
import { changeOrder } from './change-order.js';
import { orderPlacedEvent, statusChangeEvents } from './events.js';
import { newOrder, paymentInProgress, withStatus } from './lifecycle.js';
import type { Order, OrderStatus } from './order.js';
import { mergeLines, normalizeAddress, priceLines, type PlaceOrderRequest } from './place-order.js';
import { assertMayOpenAnother, assertQuantityLimit, defaultOrderPolicy, type OrderPolicy } from './policy.js';
import type { CatalogReader, OrderStore } from './ports.js';
import { assertStatusChange, requestedChangeReason } from './transitions.js';

export interface OrdersServiceDeps {
  readonly orders: OrderStore;
  readonly catalog: CatalogReader;
  /** Called after a write that stored events, so they go out without waiting (the relay's notify). */
  readonly eventsStored: () => void;
  readonly policy?: OrderPolicy;
  readonly now?: () => Date;
  readonly newId?: () => string;
}

/** The orders use cases of the API; authentication is checked by the caller, rules and ownership here. */
export class OrdersService {
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly policy: OrderPolicy;
  /** One placement at a time per customer, so that concurrent ones cannot all slip under the cap. */
  private readonly placements = new KeyedMutex();

  constructor(private readonly deps: OrdersServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
    this.policy = deps.policy ?? defaultOrderPolicy;
  }

  /**
   * Stores a PENDING order priced from the catalog, with its order.placed event, due to be paid
   * within the policy's payment TTL. QUANTITY_LIMIT and TOO_MANY_OPEN_ORDERS keep one customer from
   * holding the stock in unpaid orders.
   */
  async placeOrder(viewer: Viewer, request: PlaceOrderRequest, origin: EventOrigin): Promise<Order> {
    const lines = mergeLines(request.items);
    assertQuantityLimit(lines, this.policy);
    const shippingAddress = normalizeAddress(request.shippingAddress);
    const products = await this.deps.catalog.findByIds(lines.map((line) => line.productId));
    const items = priceLines(lines, new Map(products.map((product) => [product.productId, product])));
    const order = await this.placements.run(viewer.userId, async () => {
      assertMayOpenAnother(await this.deps.orders.countOpen(viewer.userId), this.policy);
      const now = this.now();
      const placed = newOrder(
        { id: this.newId(), userId: viewer.userId, items, shippingAddress },
        now,
        this.policy.paymentTtlSeconds,
      );
      await this.deps.orders.insert(placed, [orderPlacedEvent(placed, origin, now)]);
      return placed;
    });
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
   * conditional on the order read; when another change won meanwhile, the request is checked again
   * against the order as it now is. CONFLICT while a payment of the order is under way.
   */
  async changeStatus(viewer: Viewer, orderId: string, to: OrderStatus, origin: EventOrigin): Promise<Order> {
    const { order } = await changeOrder(this.deps.orders, orderId, (before) => {
      if (!before) throw notFound('Order', orderId);
      assertStatusChange(viewer, before, to);
      const now = this.now();
      if (paymentInProgress(before, now))
        throw conflict(`A payment of order ${orderId} is under way; try again in a moment`);
      const after = withStatus(before, to, now, requestedChangeReason(viewer, to));
      return { after, events: statusChangeEvents(before, after, origin, now) };
    });
    if (!order) throw notFound('Order', orderId);
    this.deps.eventsStored();
    return order;
  }

  /** Cancels a PENDING or CONFIRMED order (owner or admin); publishes order.cancelled and order.status_changed. */
  cancel(viewer: Viewer, orderId: string, origin: EventOrigin): Promise<Order> {
    return this.changeStatus(viewer, orderId, 'CANCELLED', origin);
  }
}
