/** The states of an order; REJECTED is set only by the system (a failed stock reservation). */
export const orderStatuses = ['PENDING', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'REJECTED'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (orderStatuses as readonly string[]).includes(value);
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
