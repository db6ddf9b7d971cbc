import type { EventOrigin } from '@commerce/common/events';
import {
  applyStatusChange,
  releaseOrder,
  reserveOrder,
  type ReservationOutcome,
} from './order-reservations.js';
import type { InventoryStore, InventoryTransaction } from './ports.js';
import { adjustStock, createProductStock } from './product-stock.js';
import type { OrderLine } from './reservation.js';
import type { StockItem } from './stock.js';

export interface StockServiceOptions {
  /** Wakes the outbox relay after a transaction that may have stored events. */
  readonly notify: () => void;
  readonly now?: () => Date;
}

/** The event a consumer is handling: its effect applies at most once per consumer and event id. */
export interface HandledEvent {
  /** The name processed event ids are kept under (the consumer group). */
  readonly consumer: string;
  readonly eventId: string;
}

/** A redelivery of an event already handled: nothing was done. */
export type Duplicate = 'duplicate';

interface OrderRef {
  readonly orderId: string;
  readonly items: readonly OrderLine[];
}

/**
 * The inventory use cases. Each runs in one transaction of the store, with the events it causes
 * (see product-stock.ts and order-reservations.ts for the steps), then wakes the relay. Those caused
 * by an event also record it as processed in that transaction, so a redelivery changes nothing.
 */
export class StockService {
  private readonly notify: () => void;
  private readonly now: () => Date;

  constructor(
    private readonly store: InventoryStore,
    options: StockServiceOptions,
  ) {
    this.notify = options.notify;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * adjustStock: adds `delta` (may be negative) to available stock. NOT_FOUND without a stock row,
   * INSUFFICIENT_STOCK when available would fall below zero.
   */
  async adjustStock(
    adjustment: { readonly productId: string; readonly delta: number },
    origin: EventOrigin,
  ): Promise<StockItem> {
    const item = await this.store.transaction((tx) => adjustStock(tx, adjustment, origin, this.now()));
    this.notify();
    return item;
  }

  /** product.created: the product's stock row, announced; a second creation of the same id is ignored. */
  createStock(
    product: { readonly productId: string; readonly quantity: number; readonly reorderThreshold: number },
    origin: EventOrigin,
    handled: HandledEvent,
  ): Promise<'created' | 'exists' | Duplicate> {
    return this.once(handled, async (tx) =>
      (await createProductStock(tx, product, origin, this.now())) ? 'created' : 'exists',
    );
  }

  /**
   * product.deleted: the stock row is kept, so that reservations of orders already placed can still
   * be released or consumed; the catalog no longer offers the product, so no new order reserves it.
   */
  keepDeletedProduct(handled: HandledEvent): Promise<'kept' | Duplicate> {
    return this.once(handled, () => Promise.resolve('kept' as const));
  }

  /** order.placed: reserves every line of the order or none. */
  reserve(
    order: OrderRef,
    origin: EventOrigin,
    handled: HandledEvent,
  ): Promise<ReservationOutcome | Duplicate> {
    return this.once(handled, (tx) => reserveOrder(tx, order, origin, this.now()));
  }

  /** order.cancelled: returns a held reservation to available (or records a cancel that came first). */
  release(
    order: OrderRef,
    origin: EventOrigin,
    handled: HandledEvent,
  ): Promise<ReservationOutcome | Duplicate> {
    return this.once(handled, (tx) => releaseOrder(tx, order, origin, this.now()));
  }

  /**
   * order.status_changed: shipping (or delivering) an order whose stock is still held consumes it;
   * an expired order's stock is released.
   */
  applyStatusChange(
    change: { readonly orderId: string; readonly status: string; readonly items: readonly OrderLine[] },
    origin: EventOrigin,
    handled: HandledEvent,
  ): Promise<ReservationOutcome | Duplicate> {
    return this.once(handled, (tx) => applyStatusChange(tx, change, origin, this.now()));
  }

  /** Runs `effect` unless the event was processed already: the mark, the effect and its events commit together. */
  private async once<T>(
    handled: HandledEvent,
    effect: (tx: InventoryTransaction) => Promise<T>,
  ): Promise<T | Duplicate> {
    const outcome = await this.store.transaction(async (tx) =>
      (await tx.markProcessed(handled.consumer, handled.eventId)) ? effect(tx) : ('duplicate' as const),
    );
    this.notify();
    return outcome;
  }
}
