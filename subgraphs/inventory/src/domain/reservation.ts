/** A product and a quantity of it, as an order line. */
export interface OrderLine {
  readonly productId: string;
  readonly quantity: number;
}

/**
 * What inventory knows of an order. CANCELLED_EARLY records a cancel that arrived before the
 * order.placed event (different topics are not ordered), so that the late placement reserves nothing.
 */
export type ReservationStatus = 'RESERVED' | 'RELEASED' | 'CONSUMED' | 'FAILED' | 'CANCELLED_EARLY';

export interface Reservation {
  readonly orderId: string;
  readonly status: ReservationStatus;
  readonly items: readonly OrderLine[];
  readonly updatedAt: Date;
}

/** A line that cannot be reserved; `available` is 0 for an unknown product. */
export interface Shortage {
  readonly productId: string;
  readonly requested: number;
  readonly available: number;
}

/** A stock row and the quantity to reserve from it. */
export interface Allocation<S> {
  readonly stock: S;
  readonly quantity: number;
}

export type ReservationDecision<S> =
  | { readonly kind: 'reserve'; readonly allocations: readonly Allocation<S>[] }
  | { readonly kind: 'reject'; readonly reason: string; readonly shortages: readonly Shortage[] };

/** One line per product (quantities of repeated products summed), in product-id order: the lock order. */
export function mergeLines(lines: readonly OrderLine[]): OrderLine[] {
  const totals = new Map<string, number>();
  for (const { productId, quantity } of lines) totals.set(productId, (totals.get(productId) ?? 0) + quantity);
  return [...totals]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => compareIds(a.productId, b.productId));
}

/** Code-point order, the same on every machine (unlike localeCompare). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * All or nothing: the order is reserved only when every product is known and has enough
 * available; otherwise it is rejected naming each line that falls short.
 */
export function decideReservation<S extends { readonly available: number }>(
  lines: readonly OrderLine[],
  stockByProduct: ReadonlyMap<string, S>,
): ReservationDecision<S> {
  const allocations: Allocation<S>[] = [];
  const unknown: Shortage[] = [];
  const short: Shortage[] = [];
  for (const { productId, quantity } of mergeLines(lines)) {
    const stock = stockByProduct.get(productId);
    if (stock === undefined) unknown.push({ productId, requested: quantity, available: 0 });
    else if (stock.available < quantity)
      short.push({ productId, requested: quantity, available: stock.available });
    else allocations.push({ stock, quantity });
  }
  if (unknown.length === 0 && short.length === 0) return { kind: 'reserve', allocations };
  const reasons = [
    ...(unknown.length > 0 ? [`Unknown product ${unknown.map((s) => s.productId).join(', ')}`] : []),
    ...(short.length > 0
      ? [`Insufficient stock for product ${short.map((s) => s.productId).join(', ')}`]
      : []),
  ];
  return { kind: 'reject', reason: reasons.join('; '), shortages: [...unknown, ...short] };
}

/** What an order.cancelled event does, given the order's reservation (if any). */
export function cancelAction(
  reservation: Reservation | undefined,
): 'release' | 'record-early-cancel' | 'ignore' {
  if (!reservation) return 'record-early-cancel';
  return reservation.status === 'RESERVED' ? 'release' : 'ignore';
}

/** What an order status change does: shipping (or delivery) consumes a reservation still held. */
export function statusChangeAction(
  status: string,
  reservation: Reservation | undefined,
): 'consume' | 'ignore' {
  const ships = status === 'SHIPPED' || status === 'DELIVERED';
  return ships && reservation?.status === 'RESERVED' ? 'consume' : 'ignore';
}
