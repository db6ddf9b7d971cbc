import type { OutgoingEvent } from '@commerce/common/events';
import type { Reservation } from './reservation.js';
import type { StockChange, StockItem } from './stock.js';

/** What a use case may do inside one database transaction. */
export interface InventoryTransaction {
  /** Serializes the handling of one order's events (placed, cancelled, status changes). */
  lockOrder(orderId: string): Promise<void>;
  /** Locks the existing stock rows of these products, in product-id order (no deadlocks). */
  lockItems(productIds: readonly string[]): Promise<ReadonlyMap<string, StockItem>>;
  /** Inserts a stock row; false when the product already has one. */
  insertItem(item: StockItem): Promise<boolean>;
  /**
   * Applies changes as deltas (`available = available + n`, `version = version + 1`), so the CHECK
   * constraints refuse an oversell and no two changes get one version even if a row was not locked;
   * throws when the result (counts or version) differs from `change.item`.
   */
  updateItems(changes: readonly StockChange[]): Promise<void>;
  findReservation(orderId: string): Promise<Reservation | undefined>;
  /** Inserts or replaces the order's reservation. */
  saveReservation(reservation: Reservation): Promise<void>;
  /** Records that `consumer` handled `eventId`; false when it already had (a redelivery). */
  markProcessed(consumer: string, eventId: string): Promise<boolean>;
  enqueue(events: readonly OutgoingEvent[]): Promise<void>;
}

/** The inventory's storage. */
export interface InventoryStore {
  /** Runs `work` in one transaction: all its writes and events commit together or not at all. */
  transaction<T>(work: (tx: InventoryTransaction) => Promise<T>): Promise<T>;
  /** The stock rows of these products in one query; products without a row are absent. */
  findItems(productIds: readonly string[]): Promise<readonly StockItem[]>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
}
