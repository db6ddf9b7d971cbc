import type { Viewer } from '@commerce/common/auth';
import { AppError, forbidden } from '@commerce/common/errors';
import { assertCanSeeOrdersOf } from './access.js';
import type { Order, OrderStatus } from './order.js';

/** The lifecycle: every step an order may take. SHIPPED only from PAID, PAID only from CONFIRMED. */
const transitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['CONFIRMED', 'REJECTED', 'CANCELLED', 'EXPIRED'],
  CONFIRMED: ['PAID', 'CANCELLED', 'EXPIRED'],
  PAID: ['SHIPPED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: [],
  CANCELLED: [],
  REJECTED: [],
  EXPIRED: [],
};

/** Statuses only the system sets (inventory's answer to a placement, the expiry): never updateOrderStatus. */
export const systemStatuses: readonly OrderStatus[] = ['CONFIRMED', 'REJECTED', 'EXPIRED'];

export function isValidTransition(from: OrderStatus, to: OrderStatus): boolean {
  return transitions[from].includes(to);
}

export function invalidTransition(from: OrderStatus, to: OrderStatus): AppError {
  return new AppError('INVALID_TRANSITION', `Cannot change an order from ${from} to ${to}`, false, {
    from,
    to,
  });
}

/** Throws INVALID_TRANSITION naming both statuses when `from -> to` is not a step of the lifecycle. */
export function assertValidTransition(from: OrderStatus, to: OrderStatus): void {
  if (!isValidTransition(from, to)) throw invalidTransition(from, to);
}

/**
 * Who may request a (valid) step through updateOrderStatus: ADMIN any step but the system's (PAID
 * is then a manual payment); the owner only cancels (paying is payOrder); anybody else nothing.
 */
export function mayChangeStatus(viewer: Viewer, order: Pick<Order, 'userId'>, to: OrderStatus): boolean {
  if (systemStatuses.includes(to)) return false;
  if (viewer.role === 'ADMIN') return true;
  return viewer.userId === order.userId && to === 'CANCELLED';
}

/**
 * Checks a step requested through updateOrderStatus: visibility; a customer asking for PAID is
 * FORBIDDEN (they pay with payOrder); the system's statuses and steps outside the lifecycle are
 * INVALID_TRANSITION; then permission.
 */
export function assertStatusChange(
  viewer: Viewer,
  order: Pick<Order, 'userId' | 'status'>,
  to: OrderStatus,
): void {
  assertCanSeeOrdersOf(viewer, order.userId);
  if (to === 'PAID' && viewer.role !== 'ADMIN')
    throw forbidden('Customers pay with payOrder; only an admin may record a manual payment');
  if (systemStatuses.includes(to)) {
    throw new AppError('INVALID_TRANSITION', `${to} is set by the system, not by updateOrderStatus`, false, {
      from: order.status,
      to,
    });
  }
  assertValidTransition(order.status, to);
  if (!mayChangeStatus(viewer, order, to))
    throw forbidden(`Only an admin may move an order from ${order.status} to ${to}`);
}

/** How the history records a step requested through the API. */
export function requestedChangeReason(viewer: Viewer, to: OrderStatus): string {
  const by = viewer.role === 'ADMIN' ? 'an admin' : 'the customer';
  if (to === 'PAID') return 'manual payment recorded by an admin';
  if (to === 'CANCELLED') return `cancelled by ${by}`;
  return `${to.toLowerCase()} (set by ${by})`;
}
