import type { DocumentCollection, DocumentDatabase } from '@commerce/common/embedded';
import { conflict } from '@commerce/common/errors';
import { pendingEvent, type PendingEvent } from '@commerce/common/mongo';
import type { OutgoingEvent } from '@commerce/common/events';
import { isOpen, type Order } from '../../domain/order.js';
import type { OrderStore, OrderWrite } from '../../domain/ports.js';
import { changedFields, toOrder, toOrderDocument, type OrderDocument } from '../mongo/documents.js';
import { ordersCollection } from '../mongo/order-store.js';
import { applyOnce } from './apply-once.js';

const toPending = (events: readonly OutgoingEvent[]): PendingEvent[] =>
  events.map((event) => pendingEvent(event.topic, event.key, event.envelope));

/** Newest first; the id breaks ties so the order is stable (as the Mongo indexes sort). */
function newestFirst(a: OrderDocument, b: OrderDocument): number {
  const byTime = b.createdAt.getTime() - a.createdAt.getTime();
  return byTime !== 0 ? byTime : a._id === b._id ? 0 : a._id < b._id ? 1 : -1;
}

/** The stored order is still `before` (as MongoOrderStore checks: version and payment claim). */
function unchangedSince(current: OrderDocument, before: Order): boolean {
  const stored = toOrder(current);
  return (
    stored.version === before.version &&
    stored.paymentClaimedUntil?.getTime() === before.paymentClaimedUntil?.getTime()
  );
}

/** Orders in the embedded document database: the same documents as in MongoDB, one write per change. */
export class EmbeddedOrderStore implements OrderStore {
  private readonly collection: DocumentCollection<OrderDocument>;

  constructor(database: DocumentDatabase) {
    this.collection = database.collection<OrderDocument>(ordersCollection);
  }

  insert(order: Order, events: readonly OutgoingEvent[]): Promise<void> {
    const inserted = this.collection.insert(toOrderDocument(order, toPending(events)));
    return inserted ? Promise.resolve() : Promise.reject(conflict(`Order ${order.id} already exists`));
  }

  findByIds(ids: readonly string[]): Promise<Order[]> {
    const documents = [...new Set(ids)].flatMap((id) => this.collection.get(id) ?? []);
    return Promise.resolve(documents.map(toOrder));
  }

  findByUserIds(userIds: readonly string[]): Promise<Order[]> {
    const users = new Set(userIds);
    return Promise.resolve(
      this.collection
        .find((document) => users.has(document.userId))
        .sort(newestFirst)
        .map(toOrder),
    );
  }

  findAll(): Promise<Order[]> {
    return Promise.resolve(this.collection.find().sort(newestFirst).map(toOrder));
  }

  countOpen(userId: string): Promise<number> {
    return Promise.resolve(
      this.collection.find((document) => document.userId === userId && isOpen(document.status)).length,
    );
  }

  findOverdue(now: Date, limit: number): Promise<Order[]> {
    const due = (document: OrderDocument): number => document.paymentDueAt?.getTime() ?? Infinity;
    return Promise.resolve(
      this.collection
        .find((document) => isOpen(document.status) && due(document) <= now.getTime())
        .sort((a, b) => due(a) - due(b))
        .slice(0, limit)
        .map(toOrder),
    );
  }

  update(write: OrderWrite): Promise<Order | undefined> {
    const apply = (current: OrderDocument | undefined): OrderDocument | undefined =>
      current && unchangedSince(current, write.before)
        ? {
            ...current,
            ...changedFields(write.after),
            pendingEvents: [...current.pendingEvents, ...toPending(write.events)],
          }
        : undefined;
    const after =
      write.causedByEventId === undefined
        ? this.collection.update(write.before.id, apply)
        : applyOnce(this.collection, write.before.id, write.causedByEventId, apply);
    return Promise.resolve(after && toOrder(after));
  }

  markProcessed(orderId: string, eventId: string): Promise<boolean> {
    return Promise.resolve(applyOnce(this.collection, orderId, eventId, (current) => current) !== undefined);
  }
}
