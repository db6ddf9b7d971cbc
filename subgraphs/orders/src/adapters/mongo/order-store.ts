import type { Collection, Db, Filter, UpdateFilter } from 'mongodb';
import { pendingEvent, type PendingEvent } from '@commerce/common/mongo';
import type { OutgoingEvent } from '@commerce/common/events';
import type { Order } from '../../domain/order.js';
import type { OrderStore, StatusChange } from '../../domain/ports.js';
import { toOrder, type OrderDocument } from './documents.js';
import { withDocumentLock } from '@commerce/common/mongo';
import { applyOnce } from './processed-events.js';

export const ordersCollection = 'orders';

/** Newest first; the id breaks ties so the order is stable. */
const newestFirst = { createdAt: -1, _id: -1 } as const;
/** The outbox and idempotency bookkeeping stay in the database. */
const orderFields = { pendingEvents: 0, processedEventIds: 0 } as const;

const toPending = (events: readonly OutgoingEvent[]): PendingEvent[] =>
  events.map((event) => pendingEvent(event.topic, event.key, event.envelope));

/** Orders in MongoDB (FerretDB): every change and its events are one single-document write. */
export class MongoOrderStore implements OrderStore {
  private readonly collection: Collection<OrderDocument>;

  constructor(db: Db) {
    this.collection = db.collection<OrderDocument>(ordersCollection);
  }

  async insert(order: Order, events: readonly OutgoingEvent[]): Promise<void> {
    const { id, items, shippingAddress, ...rest } = order;
    await this.collection.insertOne({
      ...rest,
      _id: id,
      items: [...items],
      shippingAddress: { ...shippingAddress },
      pendingEvents: toPending(events),
      processedEventIds: [],
    });
  }

  async findByIds(ids: readonly string[]): Promise<Order[]> {
    if (ids.length === 0) return [];
    const docs = await this.collection
      .find({ _id: { $in: [...ids] } }, { projection: orderFields })
      .toArray();
    return docs.map(toOrder);
  }

  async findByUserIds(userIds: readonly string[]): Promise<Order[]> {
    if (userIds.length === 0) return [];
    const docs = await this.collection
      .find({ userId: { $in: [...userIds] } }, { projection: orderFields })
      .sort(newestFirst)
      .toArray();
    return docs.map(toOrder);
  }

  async findAll(): Promise<Order[]> {
    const docs = await this.collection.find({}, { projection: orderFields }).sort(newestFirst).toArray();
    return docs.map(toOrder);
  }

  async changeStatus(change: StatusChange): Promise<Order | undefined> {
    const condition: Filter<OrderDocument> = { status: change.from };
    const update: UpdateFilter<OrderDocument> = {
      $set: { status: change.to, rejectionReason: change.rejectionReason ?? null, updatedAt: change.at },
      $push: { pendingEvents: { $each: toPending(change.events) } },
    };
    if (change.causedByEventId !== undefined) {
      const after = await applyOnce(
        this.collection,
        change.orderId,
        change.causedByEventId,
        condition,
        update,
        { upsert: false },
      );
      return after && toOrder(after);
    }
    // FerretDB v1 has no projection in findOneAndUpdate: the bookkeeping fields come back and are ignored.
    const after = await withDocumentLock(this.collection, change.orderId, () =>
      this.collection.findOneAndUpdate({ ...condition, _id: change.orderId }, update, {
        returnDocument: 'after',
      }),
    );
    return after ? toOrder(after) : undefined;
  }
}
