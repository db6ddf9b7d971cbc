import type { OutgoingEvent } from '@commerce/common/events';
import type { CatalogProduct, Order, PaymentMethod } from './order.js';

/**
 * A change of one order: `after` is written only while the stored order is still `before` (same
 * version and payment claim), so that of two concurrent changes exactly one wins.
 */
export interface OrderWrite {
  readonly before: Order;
  readonly after: Order;
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
  /** How many open (PENDING or CONFIRMED) orders the user has. */
  countOpen(userId: string): Promise<number>;
  /** Open orders whose payment is due at or before `now`, the most overdue first; at most `limit`. */
  findOverdue(now: Date, limit: number): Promise<Order[]>;
  /** The order after the write, or undefined when it is gone, changed meanwhile, or the cause was already processed. */
  update(write: OrderWrite): Promise<Order | undefined>;
  /** Records a consumed event that changed nothing (a late one): false when it was recorded already. */
  markProcessed(orderId: string, eventId: string): Promise<boolean>;
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
  /** Ignored unless its version is above the stock already stored (the stock row's version). */
  updateStock(
    event: CatalogEventRef,
    stock: { productId: string; available: number; reserved: number; version: number },
  ): Promise<boolean>;
}

/** A charge to make at the payment provider. */
export interface ChargeRequest {
  /**
   * Requests with the same key are one charge: the provider answers a repeated key with the first
   * request's outcome instead of charging again.
   */
  readonly idempotencyKey: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly method: PaymentMethod;
  /** The payment method's token, from the client (e.g. tok_visa in the sandbox). */
  readonly token: string;
  /** The order id, for the provider's records. */
  readonly reference: string;
}

/** What the provider answered: the charge went through, or it was refused (the card declined). */
export type ChargeOutcome =
  | { readonly status: 'SUCCEEDED'; readonly chargeId: string }
  | { readonly status: 'FAILED'; readonly chargeId: string; readonly reason: string };

/**
 * The payment provider (a port: the sandbox adapter is the default). `charge` resolves with the
 * provider's answer, or rejects with PAYMENT_PROVIDER_UNAVAILABLE (retriable) when the provider
 * cannot be reached or fails: the charge may then not have happened, and the same key may be retried.
 */
export interface PaymentProvider {
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
}

/**
 * A lease held by one instance at a time (the expiry sweep). `acquire` takes or renews it and says
 * whether this instance holds it; `release` gives it up.
 */
export interface Lease {
  acquire(): Promise<boolean>;
  release(): Promise<void>;
}
