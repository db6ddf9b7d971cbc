import type { OrderPolicy } from '@commerce/common/server';

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
