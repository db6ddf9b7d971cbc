import type { OutgoingEvent } from '@commerce/common/events';
import type { CatalogProduct, Order, OrderStatus } from './order.js';

/** A status change applied only while the order is still in `from` (so concurrent changes cannot both win). */
export interface StatusChange {
  readonly orderId: string;
  readonly from: OrderStatus;
  readonly to: OrderStatus;
  readonly at: Date;
  /** Set with REJECTED; cleared otherwise. */
  readonly rejectionReason?: string | null;
  /** Stored in the same write as the change. */
  readonly events: readonly OutgoingEvent[];
  /** The consumed event causing the change: recorded as processed in the same write, and skipped when it already was. */
  readonly causedByEventId?: string;
}

/** Where orders live. Every write stores its events with it (one atomic write). */
export interface OrderStore {
  insert(order: Order, events: readonly OutgoingEvent[]): Promise<void>;
  findByIds(ids: readonly string[]): Promise<Order[]>;
  /** The orders of these users, newest first. */
  findByUserIds(userIds: readonly string[]): Promise<Order[]>;
  /** Every order, newest first. */
  findAll(): Promise<Order[]>;
  /** The order after the change, or undefined when it is gone, no longer in `from`, or the cause was already processed. */
  changeStatus(change: StatusChange): Promise<Order | undefined>;
}

/** The products the orders subgraph knows, read when pricing an order. */
export interface CatalogReader {
  findByIds(productIds: readonly string[]): Promise<CatalogProduct[]>;
}

/** A product event or stock event to apply to the catalog, once. */
export interface CatalogEventRef {
  readonly eventId: string;
  /** When the event happened: older product events than the last one applied are ignored. */
  readonly occurredAt: Date;
}

/** Keeps the catalog from product and stock events. Each method returns false when nothing was applied (a redelivery, or stale). */
export interface CatalogWriter {
  upsertProduct(
    event: CatalogEventRef,
    product: { productId: string; name: string; priceCents: number },
  ): Promise<boolean>;
  markDeleted(event: CatalogEventRef, productId: string): Promise<boolean>;
  /** Ignored when older than the stock already stored. */
  updateStock(
    event: CatalogEventRef,
    stock: { productId: string; available: number; reserved: number; updatedAt: Date },
  ): Promise<boolean>;
}
