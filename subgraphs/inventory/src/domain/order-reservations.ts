import type { EventOrigin, OutgoingEvent } from '@commerce/common/events';
import { reservationFailedEvent, reservedEvent, stockChangeEvents } from './events.js';
import type { InventoryTransaction } from './ports.js';
import {
  cancelAction,
  decideReservation,
  mergeLines,
  statusChangeAction,
  type OrderLine,
  type Reservation,
} from './reservation.js';
import { changeStock, type StockChange } from './stock.js';

/**
 * What happened to an order's stock, for logs and tests. `late`: a placement handled after the
 * order ended (cancelled or expired, its reservation released or never made), so nothing was reserved.
 */
export type ReservationOutcome =
  'reserved' | 'rejected' | 'released' | 'consumed' | 'recorded-early-cancel' | 'late' | 'ignored';

interface OrderRef {
  readonly orderId: string;
  readonly items: readonly OrderLine[];
}

/**
 * order.placed: reserves every line or none, announced by stock.updated per product and
 * inventory.reserved (the order becomes payable). Locks the order, then its stock rows in
 * product-id order, so concurrent orders queue on the rows they share and never oversell.
 */
export async function reserveOrder(
  tx: InventoryTransaction,
  order: OrderRef,
  origin: EventOrigin,
  now = new Date(),
): Promise<ReservationOutcome> {
  await tx.lockOrder(order.orderId);
  const existing = await tx.findReservation(order.orderId);
  // The order ended (cancelled or expired) before this placement was handled: nothing to reserve.
  if (existing?.status === 'CANCELLED_EARLY' || existing?.status === 'RELEASED') return 'late';
  // A re-published order.placed: handled already.
  if (existing) return 'ignored';
  const lines = mergeLines(order.items);
  const stock = await tx.lockItems(lines.map((line) => line.productId));
  const decision = decideReservation(lines, stock);
  if (decision.kind === 'reject') {
    await tx.saveReservation({ orderId: order.orderId, status: 'FAILED', items: lines, updatedAt: now });
    await tx.enqueue([reservationFailedEvent(order.orderId, decision.reason, decision.shortages, origin)]);
    return 'rejected';
  }
  const changes = decision.allocations.map(({ stock: item, quantity }) =>
    changeStock(item, { available: -quantity, reserved: quantity }, now),
  );
  await commitChanges(
    tx,
    changes,
    'RESERVED',
    { orderId: order.orderId, status: 'RESERVED', items: lines, updatedAt: now },
    origin,
  );
  await tx.enqueue([reservedEvent(order.orderId, lines, origin)]);
  return 'reserved';
}

/**
 * order.cancelled, or the order's expiry: returns a held reservation to available stock. An end
 * that arrives before the order is recorded as CANCELLED_EARLY so the placement, when it comes,
 * reserves nothing.
 */
export async function releaseOrder(
  tx: InventoryTransaction,
  order: OrderRef,
  origin: EventOrigin,
  now = new Date(),
): Promise<ReservationOutcome> {
  await tx.lockOrder(order.orderId);
  const reservation = await tx.findReservation(order.orderId);
  const action = cancelAction(reservation);
  if (action === 'record-early-cancel') {
    await tx.saveReservation({
      orderId: order.orderId,
      status: 'CANCELLED_EARLY',
      items: mergeLines(order.items),
      updatedAt: now,
    });
    return 'recorded-early-cancel';
  }
  if (action === 'ignore' || !reservation) return 'ignored';
  const changes = await moveReserved(tx, reservation, 'release', now);
  await commitChanges(
    tx,
    changes,
    'RELEASED',
    { ...reservation, status: 'RELEASED', updatedAt: now },
    origin,
  );
  return 'released';
}

/**
 * order.status_changed: shipping (or delivering) an order whose stock is still held consumes it;
 * an expired order's stock is released (as a cancelled one's); other statuses change nothing.
 */
export async function applyStatusChange(
  tx: InventoryTransaction,
  change: { readonly orderId: string; readonly status: string; readonly items: readonly OrderLine[] },
  origin: EventOrigin,
  now = new Date(),
): Promise<ReservationOutcome> {
  if (change.status === 'EXPIRED') return releaseOrder(tx, change, origin, now);
  if (change.status !== 'SHIPPED' && change.status !== 'DELIVERED') return 'ignored';
  await tx.lockOrder(change.orderId);
  const reservation = await tx.findReservation(change.orderId);
  if (statusChangeAction(change.status, reservation) === 'ignore' || !reservation) return 'ignored';
  const changes = await moveReserved(tx, reservation, 'consume', now);
  await commitChanges(
    tx,
    changes,
    'CONSUMED',
    { ...reservation, status: 'CONSUMED', updatedAt: now },
    origin,
  );
  return 'consumed';
}

/** Releases (back to available) or consumes (gone) the reserved quantities of a reservation. */
async function moveReserved(
  tx: InventoryTransaction,
  reservation: Reservation,
  move: 'release' | 'consume',
  now: Date,
): Promise<StockChange[]> {
  const lines = mergeLines(reservation.items);
  const stock = await tx.lockItems(lines.map((line) => line.productId));
  return lines.map(({ productId, quantity }) => {
    const item = stock.get(productId);
    // Stock rows are never deleted, so a reserved product still has its row.
    if (!item) throw new Error(`Stock row of reserved product ${productId} is missing`);
    return changeStock(item, { available: move === 'release' ? quantity : 0, reserved: -quantity }, now);
  });
}

async function commitChanges(
  tx: InventoryTransaction,
  changes: readonly StockChange[],
  reason: 'RESERVED' | 'RELEASED' | 'CONSUMED',
  reservation: Reservation,
  origin: EventOrigin,
): Promise<void> {
  await tx.updateItems(changes);
  await tx.saveReservation(reservation);
  const events: OutgoingEvent[] = changes.flatMap((change) =>
    stockChangeEvents(change, reason, reservation.orderId, origin),
  );
  await tx.enqueue(events);
}
