import type { Db } from 'mongodb';
import { ordersCollection } from './order-store.js';

/** Creates the collections' indexes (idempotent). Catalog lookups use _id only. */
export async function ensureOrdersIndexes(db: Db): Promise<void> {
  const orders = db.collection(ordersCollection);
  await orders.createIndex({ userId: 1, createdAt: -1, _id: -1 }, { name: 'orders_by_user_newest' });
  await orders.createIndex({ createdAt: -1, _id: -1 }, { name: 'orders_newest' });
  // The expiry sweep: open orders by payment deadline.
  await orders.createIndex({ status: 1, paymentDueAt: 1 }, { name: 'orders_by_status_due' });
}
