import { orderStatuses } from '@commerce/common/events';

/**
 * The states of an order (see transitions.ts for the steps between them; the list is shared with
 * the events). CONFIRMED, REJECTED and EXPIRED are set only by the system: inventory's answer to
 * the placement, and the expiry of unpaid orders.
 */
export { orderStatuses };
export type OrderStatus = (typeof orderStatuses)[number];

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (orderStatuses as readonly string[]).includes(value);
}

/** Open orders await payment: they hold (or are about to hold) reserved stock and may expire. */
export function isOpen(status: OrderStatus): boolean {
  return status === 'PENDING' || status === 'CONFIRMED';
}

/** One line of an order: name and unit price are copied from the catalog when the order is placed. */
export interface OrderLine {
  readonly productId: string;
  readonly productName: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

export interface ShippingAddress {
  readonly line1: string;
  readonly line2: string | null;
  readonly city: string;
  readonly state: string;
  readonly postalCode: string;
  readonly country: string;
}

/** One step of the order's history. */
export interface OrderStatusChange {
  readonly status: OrderStatus;
  readonly at: Date;
  readonly reason: string;
}

export type PaymentMethod = 'CARD';

/** A charge the payment provider answered (its id is the provider's charge id). */
export interface Payment {
  readonly id: string;
  readonly amountCents: number;
  readonly method: PaymentMethod;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly failureReason: string | null;
  readonly createdAt: Date;
}

/** An order as the domain sees it (money in integer cents). */
export interface Order {
  readonly id: string;
  readonly userId: string;
  readonly items: readonly OrderLine[];
  readonly totalCents: number;
  readonly status: OrderStatus;
  readonly rejectionReason: string | null;
  readonly shippingAddress: ShippingAddress;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** 1 when placed, incremented by every change (status, payments); events carry it. */
  readonly version: number;
  /** Oldest first, the placement included. */
  readonly history: readonly OrderStatusChange[];
  /** Oldest first. */
  readonly payments: readonly Payment[];
  /** When the order expires unless paid; null for orders placed before expiry existed. */
  readonly paymentDueAt: Date | null;
  /**
   * A payment is under way at the provider until then: meanwhile the order is neither cancelled
   * nor expired, so that a charge never lands on an order that moved on. Not a change of the order
   * (its version stays), but every write is conditional on it.
   */
  readonly paymentClaimedUntil: Date | null;
}

/** What the orders subgraph knows of a product, kept from product and stock events. */
export interface CatalogProduct {
  readonly productId: string;
  readonly name: string;
  readonly priceCents: number;
  readonly deleted: boolean;
  /** Null until a stock.updated event has been seen. */
  readonly available: number | null;
  readonly reserved: number | null;
}
