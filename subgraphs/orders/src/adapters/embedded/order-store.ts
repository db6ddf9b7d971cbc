import type { DocumentCollection, DocumentDatabase } from '@commerce/common/embedded';
import { conflict } from '@commerce/common/errors';
import { pendingEvent, type PendingEvent } from '@commerce/common/mongo';
import type { OutgoingEvent } from '@commerce/common/events';
import type { Order } from '../../domain/order.js';
import type { OrderStore, StatusChange } from '../../domain/ports.js';
import { toOrder, type OrderDocument } from '../mongo/documents.js';
import { ordersCollection } from '../mongo/order-store.js';
import { applyOnce } from './apply-once.js';

const toPending = (events: readonly OutgoingEvent[]): PendingEvent[] =>
  events.map((event) => pendingEvent(event.topic, event.key, event.envelope));

/** Newest first; the id breaks ties so the order is stable (as the Mongo indexes sort). */
function newestFirst(a: OrderDocument, b: OrderDocument): number {
  const byTime = b.createdAt.getTime() - a.createdAt.getTime();
  return byTime !== 0 ? byTime : a._id === b._id ? 0 : a._id < b._id ? 1 : -1;
}

/** Orders in the embedded document database: the same documents as in MongoDB, one write per change. */
export class EmbeddedOrderStore implements OrderStore {
  private readonly collection: DocumentCollection<OrderDocument>;

  constructor(database: DocumentDatabase) {
    this.collection = database.collection<OrderDocument>(ordersCollection);
  }

  insert(order: Order, events: readonly OutgoingEvent[]): Promise<void> {
    const { id, items, shippingAddress, ...rest } = order;
    const inserted = this.collection.insert({
      ...rest,
      _id: id,
      items: [...items],
      shippingAddress: { ...shippingAddress },
      pendingEvents: toPending(events),
      processedEventIds: [],
    });
    return inserted ? Promise.resolve() : Promise.reject(conflict(`Order ${id} already exists`));
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

  changeStatus(change: StatusChange): Promise<Order | undefined> {
    const apply = (current: OrderDocument | undefined): OrderDocument | undefined =>
      current?.status === change.from
        ? {
            ...current,
            status: change.to,
            rejectionReason: change.rejectionReason ?? null,
            updatedAt: change.at,
            pendingEvents: [...current.pendingEvents, ...toPending(change.events)],
          }
        : undefined;
    const after =
      change.causedByEventId === undefined
        ? this.collection.update(change.orderId, apply)
        : applyOnce(this.collection, change.orderId, change.causedByEventId, apply);
    return Promise.resolve(after && toOrder(after));
  }
}
