import { AppError, badInput } from '@commerce/common/errors';
import type { CatalogProduct, OrderLine, ShippingAddress } from './order.js';

/** An order as the client asks for it: products and quantities only, never prices. */
export interface PlaceOrderRequest {
  readonly items: readonly { readonly productId: string; readonly quantity: number }[];
  readonly shippingAddress: {
    readonly line1: string;
    readonly line2?: string | null | undefined;
    readonly city: string;
    readonly state: string;
    readonly postalCode: string;
    readonly country: string;
  };
}

export interface RequestedLine {
  readonly productId: string;
  readonly quantity: number;
}

/**
 * Validates the requested lines and merges lines of the same product (first occurrence keeps its
 * place). BAD_USER_INPUT when there is no line or a quantity is not a positive integer.
 */
export function mergeLines(items: PlaceOrderRequest['items']): RequestedLine[] {
  if (items.length === 0) throw badInput('An order needs at least one item');
  const merged = new Map<string, number>();
  for (const { productId, quantity } of items) {
    const id = productId.trim();
    if (!id) throw badInput('Every item needs a productId');
    if (!Number.isSafeInteger(quantity) || quantity <= 0) {
      throw badInput(`Quantity of product ${id} must be a positive integer, got ${quantity}`, {
        productId: id,
        quantity,
      });
    }
    const total = (merged.get(id) ?? 0) + quantity;
    if (!Number.isSafeInteger(total))
      throw badInput(`Quantity of product ${id} is too large`, { productId: id });
    merged.set(id, total);
  }
  return [...merged].map(([productId, quantity]) => ({ productId, quantity }));
}

const requiredAddressFields = ['line1', 'city', 'state', 'postalCode', 'country'] as const;

/** Trims the address; BAD_USER_INPUT naming the first required field that is empty. */
export function normalizeAddress(input: PlaceOrderRequest['shippingAddress']): ShippingAddress {
  for (const field of requiredAddressFields) {
    if (!input[field].trim()) throw badInput(`Shipping address ${field} must not be empty`, { field });
  }
  const line2 = input.line2?.trim();
  return {
    line1: input.line1.trim(),
    line2: line2 ? line2 : null,
    city: input.city.trim(),
    state: input.state.trim(),
    postalCode: input.postalCode.trim(),
    country: input.country.trim(),
  };
}

/**
 * Prices the lines from the catalog (names and unit prices come from there, never from the client).
 * BAD_USER_INPUT naming the ids the catalog does not know (or that were deleted);
 * INSUFFICIENT_STOCK when the catalog knows the available stock and a quantity exceeds it.
 * The stock check is only a pre-check: inventory makes the reservation and has the last word.
 */
export function priceLines(
  lines: readonly RequestedLine[],
  catalog: ReadonlyMap<string, CatalogProduct>,
): OrderLine[] {
  const known: { line: RequestedLine; product: CatalogProduct }[] = [];
  const unknown: string[] = [];
  for (const line of lines) {
    const product = catalog.get(line.productId);
    if (product && !product.deleted) known.push({ line, product });
    else unknown.push(line.productId);
  }
  if (unknown.length > 0) {
    throw badInput(`Unknown product${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
      productIds: unknown,
    });
  }
  return known.map(({ line: { productId, quantity }, product }) => {
    if (product.available !== null && quantity > product.available) {
      throw new AppError(
        'INSUFFICIENT_STOCK',
        `Only ${product.available} of product ${productId} available, ${quantity} requested`,
        false,
        { productId, requested: quantity, available: product.available },
      );
    }
    return { productId, productName: product.name, quantity, unitPriceCents: product.priceCents };
  });
}
