import type { Db } from 'mongodb';
import { productsCollection } from './documents.js';

/**
 * Creates the products indexes (idempotent): the listing filters and the newest-first order.
 * FerretDB v1 has no partial or text indexes, so deletedAt leads the filter index instead.
 */
export async function ensureProductsIndexes(db: Db): Promise<void> {
  const products = db.collection(productsCollection);
  // One index per call: FerretDB v1 panics on a createIndexes of several specs that already exist.
  await products.createIndex(
    { deletedAt: 1, category: 1, priceCents: 1 },
    { name: 'deletedAt_category_priceCents' },
  );
  await products.createIndex({ createdAt: -1, _id: -1 }, { name: 'createdAt_desc_id_desc' });
}
