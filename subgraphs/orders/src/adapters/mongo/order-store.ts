import type { Collection, Db, Filter, UpdateFilter } from 'mongodb';
import { pendingEvent, withDocumentLock, type PendingEvent } from '@commerce/common/mongo';
import type { OutgoingEvent } from '@commerce/common/events';
import type { Order } from '../../domain/order.js';
import type { OrderStore, OrderWrite } from '../../domain/ports.js';
import { changedFields, toOrder, toOrderDocument, type OrderDocument } from './documents.js';
import { applyOnce } from './processed-events.js';

export const ordersCollection = 'orders';

/** Newest first; the id breaks ties so the order is stable. */
const newestFirst = { createdAt: -1, _id: -1 } as const;
/** The outbox and idempotency bookkeeping stay in the database. */
const orderFields = { pendingEvents: 0, processedEventIds: 0 } as const;
const openStatuses: OrderDocument['status'][] = ['PENDING', 'CONFIRMED'];

const toPending = (events: readonly OutgoingEvent[]): PendingEvent[] =>
  events.map((event) => pendingEvent(event.topic, event.key, event.envelope));

/**
 * The stored order is still `before`: same version and payment claim. (Documents written before
 * versions and claims existed have neither field: version 1, no claim.)
 */
function unchangedSince(before: Order): Filter<OrderDocument> {
  const version: Filter<OrderDocument> =
    before.version === 1
      ? { $or: [{ version: 1 }, { version: { $exists: false } }] }
      : { version: before.version };
  const claim: Filter<OrderDocument> =
    before.paymentClaimedUntil === null
      ? { $or: [{ paymentClaimedUntil: null }, { paymentClaimedUntil: { $exists: false } }] }
      : { paymentClaimedUntil: before.paymentClaimedUntil };
  return { $and: [version, claim] };
}

/** Orders in MongoDB (FerretDB): every change and its events are one single-document write. */
export class MongoOrderStore implements OrderStore {
  private readonly collection: Collection<OrderDocument>;

  constructor(db: Db) {
    this.collection = db.collection<OrderDocument>(ordersCollection);
  }

  async insert(order: Order, events: readonly OutgoingEvent[]): Promise<void> {
    await this.collection.insertOne(toOrderDocument(order, toPending(events)));
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

  countOpen(userId: string): Promise<number> {
    return this.collection.countDocuments({ userId, status: { $in: openStatuses } });
  }

  async findOverdue(now: Date, limit: number): Promise<Order[]> {
    const docs = await this.collection
      .find({ status: { $in: openStatuses }, paymentDueAt: { $lte: now } }, { projection: orderFields })
      .sort({ paymentDueAt: 1, _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map(toOrder);
  }

  async update(write: OrderWrite): Promise<Order | undefined> {
    const orderId = write.before.id;
    const condition = unchangedSince(write.before);
    const update: UpdateFilter<OrderDocument> = {
      $set: changedFields(write.after),
      $push: { pendingEvents: { $each: toPending(write.events) } },
    };
    if (write.causedByEventId !== undefined) {
      const after = await applyOnce(this.collection, orderId, write.causedByEventId, condition, update, {
        upsert: false,
      });
      return after && toOrder(after);
    }
    // FerretDB v1 has no projection in findOneAndUpdate: the bookkeeping fields come back and are ignored.
    const after = await withDocumentLock(this.collection, orderId, () =>
      this.collection.findOneAndUpdate({ _id: orderId, $and: [condition] }, update, {
        returnDocument: 'after',
      }),
    );
    return after ? toOrder(after) : undefined;
  }

  async markProcessed(orderId: string, eventId: string): Promise<boolean> {
    const after = await applyOnce(this.collection, orderId, eventId, {}, {}, { upsert: false });
    return after !== undefined;
  }
}
