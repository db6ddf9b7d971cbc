import type { PendingEvent } from '@commerce/common/mongo';
import type { ProductModel } from '../../domain/product.js';

/** The name of the collection holding the catalog. */
export const productsCollection = 'products';

/** A product as stored in MongoDB / FerretDB. */
export interface ProductDocument {
  _id: string;
  name: string;
  description: string | null;
  category: string;
  priceCents: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  /** The outbox: events written with the change, removed by the relay once published. */
  pendingEvents: PendingEvent[];
}

/** The stored fields of a product, without the outbox. */
export type ProductFields = Omit<ProductDocument, 'pendingEvents'>;

export function toDocumentFields(product: ProductModel): ProductFields {
  return {
    _id: product.id,
    name: product.name,
    description: product.description,
    category: product.category,
    priceCents: product.priceCents,
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
    deletedAt: product.deletedAt,
  };
}

/** Narrows a document read from the database; throws on a document this code did not write. */
export function toProduct(doc: unknown): ProductModel {
  if (typeof doc !== 'object' || doc === null) throw new Error('Product document is not an object');
  const record = doc as Record<string, unknown>;
  const { _id: id, name, description, category, priceCents, createdAt, updatedAt, deletedAt } = record;
  if (
    typeof id !== 'string' ||
    typeof name !== 'string' ||
    (description !== null && description !== undefined && typeof description !== 'string') ||
    typeof category !== 'string' ||
    typeof priceCents !== 'number' ||
    !(createdAt instanceof Date) ||
    !(updatedAt instanceof Date) ||
    (deletedAt !== null && deletedAt !== undefined && !(deletedAt instanceof Date))
  ) {
    throw new Error(`Product document ${String(id)} has an unexpected shape`);
  }
  return {
    id,
    name,
    description: description ?? null,
    category,
    priceCents,
    createdAt,
    updatedAt,
    deletedAt: deletedAt ?? null,
  };
}
