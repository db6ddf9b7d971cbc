/** Converts a price in currency units (as events and the API carry it) to integer cents. */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

/** Converts integer cents to currency units for the API and events (exact to the cent). */
export function fromCents(cents: number): number {
  return cents / 100;
}

/** Sum of quantity x unit price, in integer cents. */
export function totalCents(
  lines: readonly { readonly quantity: number; readonly unitPriceCents: number }[],
): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
}
