import { AppError, forbidden } from '@commerce/common/errors';
import type { Viewer } from '@commerce/common/auth';
import { assertCanSeeOrdersOf } from './access.js';
import type { Order, OrderStatus } from './order.js';

/** Valid status changes. REJECTED is reached only from a failed reservation, never through the API. */
const transitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['PAID', 'CANCELLED'],
  PAID: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: [],
  CANCELLED: [],
  REJECTED: [],
};

export function isValidTransition(from: OrderStatus, to: OrderStatus): boolean {
  return transitions[from].includes(to);
}

export function invalidTransition(from: OrderStatus, to: OrderStatus): AppError {
  return new AppError('INVALID_TRANSITION', `Cannot change an order from ${from} to ${to}`, false, {
    from,
    to,
  });
}

/** Throws INVALID_TRANSITION naming both statuses when `from -> to` is not allowed. */
export function assertValidTransition(from: OrderStatus, to: OrderStatus): void {
  if (!isValidTransition(from, to)) throw invalidTransition(from, to);
}

/**
 * Who may make a (valid) status change: ADMIN any; the owner only pays (PENDING -> PAID) or
 * cancels; anybody else nothing.
 */
export function mayChangeStatus(
  viewer: Viewer,
  order: Pick<Order, 'userId' | 'status'>,
  to: OrderStatus,
): boolean {
  if (viewer.role === 'ADMIN') return true;
  if (viewer.userId !== order.userId) return false;
  return to === 'CANCELLED' || (order.status === 'PENDING' && to === 'PAID');
}

/** Checks a status change requested through the API: visibility, then validity, then permission. */
export function assertStatusChange(
  viewer: Viewer,
  order: Pick<Order, 'userId' | 'status'>,
  to: OrderStatus,
): void {
  assertCanSeeOrdersOf(viewer, order.userId);
  assertValidTransition(order.status, to);
  if (!mayChangeStatus(viewer, order, to))
    throw forbidden(`Only an admin may move an order from ${order.status} to ${to}`);
}
