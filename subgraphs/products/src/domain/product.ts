import { badInput } from '@commerce/common/errors';

/** A catalog product as the domain sees it. Money is kept in integer cents. */
export interface ProductModel {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly category: string;
  readonly priceCents: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Set by deleteProduct; deleted products stay resolvable by reference (order history). */
  readonly deletedAt: Date | null;
}

/** A validated createProduct input. */
export interface NewProduct {
  readonly name: string;
  readonly description: string | null;
  readonly category: string;
  readonly priceCents: number;
  readonly quantity: number;
  readonly reorderThreshold: number;
}

/** A validated updateProduct input: only the fields the client sent. */
export interface ProductChanges {
  readonly name?: string;
  readonly description?: string | null;
  readonly category?: string;
  readonly priceCents?: number;
}

export const defaultReorderThreshold = 5;

const maxLength = { name: 200, category: 100, description: 5_000 } as const;

/** Price (a decimal amount) -> integer cents; BAD_USER_INPUT unless finite, > 0, with at most 2 decimals. */
export function priceToCents(price: number, field = 'price'): number {
  if (!Number.isFinite(price)) throw badInput(`${field} must be a finite number`, { field });
  if (price <= 0) throw badInput(`${field} must be greater than 0`, { field });
  // toFixed(2) round-trips exactly when the client's number has at most two decimals.
  if (Number(price.toFixed(2)) !== price) throw badInput(`${field} must have at most 2 decimals`, { field });
  const cents = Math.round(price * 100);
  if (!Number.isSafeInteger(cents)) throw badInput(`${field} is too large`, { field });
  return cents;
}

/** Integer cents -> the decimal amount exposed by the API. */
export function centsToPrice(cents: number): number {
  return cents / 100;
}

/** Validates a createProduct input; BAD_USER_INPUT naming the first bad field. */
export function parseNewProduct(input: {
  name: string;
  description?: string | null;
  category: string;
  price: number;
  quantity: number;
  reorderThreshold?: number | null;
}): NewProduct {
  return {
    name: requiredText(input.name, 'name'),
    description: optionalText(input.description, 'description'),
    category: requiredText(input.category, 'category'),
    priceCents: priceToCents(input.price),
    quantity: nonNegativeInt(input.quantity, 'quantity'),
    reorderThreshold: nonNegativeInt(input.reorderThreshold ?? defaultReorderThreshold, 'reorderThreshold'),
  };
}

/**
 * Validates an updateProduct input. Omitted fields stay as they are; `description: null` clears
 * the description; null for a required field is BAD_USER_INPUT.
 */
export function parseProductChanges(input: {
  name?: string | null;
  description?: string | null;
  category?: string | null;
  price?: number | null;
}): ProductChanges {
  const changes: { -readonly [K in keyof ProductChanges]: ProductChanges[K] } = {};
  if (input.name !== undefined) changes.name = requiredText(input.name, 'name');
  if (input.description !== undefined) changes.description = optionalText(input.description, 'description');
  if (input.category !== undefined) changes.category = requiredText(input.category, 'category');
  if (input.price !== undefined) {
    if (input.price === null) throw badInput('price cannot be null', { field: 'price' });
    changes.priceCents = priceToCents(input.price);
  }
  return changes;
}

/** The product after applying `changes`, or undefined when they change nothing. */
export function applyChanges(
  product: ProductModel,
  changes: ProductChanges,
  now: Date,
): ProductModel | undefined {
  const next = { ...product, ...changes };
  const changed =
    next.name !== product.name ||
    next.description !== product.description ||
    next.category !== product.category ||
    next.priceCents !== product.priceCents;
  if (!changed) return undefined;
  // Strictly increasing: updatedAt doubles as the version checked by the conditional write.
  const updatedAt = new Date(Math.max(now.getTime(), product.updatedAt.getTime() + 1));
  return { ...next, updatedAt };
}

function requiredText(value: string | null | undefined, field: keyof typeof maxLength): string {
  const text = value?.trim() ?? '';
  if (!text) throw badInput(`${field} must not be empty`, { field });
  if (text.length > maxLength[field])
    throw badInput(`${field} must be at most ${maxLength[field]} characters`, { field });
  return text;
}

function optionalText(value: string | null | undefined, field: keyof typeof maxLength): string | null {
  const text = value?.trim() ?? '';
  if (!text) return null;
  if (text.length > maxLength[field])
    throw badInput(`${field} must be at most ${maxLength[field]} characters`, { field });
  return text;
}

function nonNegativeInt(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0) throw badInput(`${field} must be an integer >= 0`, { field });
  return value;
}
