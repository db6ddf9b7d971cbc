import { AppError } from '@commerce/common/errors';
import type { OrderPolicy } from '@commerce/common/server';
import type { RequestedLine } from './place-order.js';

export type { OrderPolicy } from '@commerce/common/server';

/** The defaults: room for any normal shopping, none for hoarding the stock unpaid. */
export const defaultOrderPolicy: OrderPolicy = Object.freeze({
  paymentTtlSeconds: 900,
  maxOpenOrdersPerCustomer: 10,
  maxQuantityPerLine: 10,
});

/** The policy with the defaults for what `overrides` leaves out. */
export function orderPolicy(overrides: Partial<OrderPolicy> = {}): OrderPolicy {
  return Object.freeze({ ...defaultOrderPolicy, ...overrides });
}

/** QUANTITY_LIMIT when a product's line (lines of one product merged) asks for more than the cap. */
export function assertQuantityLimit(lines: readonly RequestedLine[], policy: OrderPolicy): void {
  const max = policy.maxQuantityPerLine;
  const over = lines.find((line) => line.quantity > max);
  if (over) {
    throw new AppError(
      'QUANTITY_LIMIT',
      `At most ${max} of a product per order: ${over.quantity} of product ${over.productId} requested`,
      false,
      { productId: over.productId, requested: over.quantity, max },
    );
  }
}

/** TOO_MANY_OPEN_ORDERS when the customer already has the most unpaid (PENDING or CONFIRMED) orders allowed. */
export function assertMayOpenAnother(openOrders: number, policy: OrderPolicy): void {
  const max = policy.maxOpenOrdersPerCustomer;
  if (openOrders >= max) {
    throw new AppError(
      'TOO_MANY_OPEN_ORDERS',
      `${openOrders} unpaid orders are open (at most ${max}): pay or cancel one first`,
      false,
      { open: openOrders, max },
    );
  }
}
