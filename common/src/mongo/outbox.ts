import type { Collection, Db } from 'mongodb';
import type { Envelope } from '../events/envelope.js';
import type { OutboxRecord, OutboxSource } from '../events/outbox-relay.js';
import { isTopicName, type TopicName } from '../events/topics.js';
import { withDocumentLock } from './document-lock.js';

/**
 * An event kept inside the document whose change it describes. FerretDB has no multi-document
 * transactions, so the change and its event must be one single-document write.
 */
export interface PendingEvent {
  readonly eventId: string;
  readonly topic: TopicName;
  readonly key: string;
  readonly envelope: Envelope<unknown>;
}

/** A document that can carry pending events. Documents of this project use string ids (UUIDs). */
export interface WithPendingEvents {
  pendingEvents?: PendingEvent[];
}

export function pendingEvent(topic: TopicName, key: string, envelope: Envelope<unknown>): PendingEvent {
  return { eventId: envelope.metadata.eventId, topic, key, envelope };
}

interface OutboxDocument extends WithPendingEvents {
  _id: string;
}

/**
 * The relay's view of one collection's pending events, in write order per document.
 *
 * Sent events are removed with `$pullAll` of the exact stored objects: FerretDB v1 ignores `$pull`
 * with a condition (`{ eventId: { $in } }` modifies nothing and reports no error), which would
 * publish the same events again on every poll. `$pullAll` works on FerretDB and MongoDB alike.
 */
export class MongoOutboxSource implements OutboxSource {
  private readonly collection: Collection<OutboxDocument>;
  /** The stored event behind each record handed out, to remove exactly that object. */
  private readonly stored = new WeakMap<
    OutboxRecord,
    { readonly docId: string; readonly event: PendingEvent }
  >();

  constructor(db: Db, collectionName: string) {
    this.collection = db.collection<OutboxDocument>(collectionName);
  }

  async pending(limit: number): Promise<readonly OutboxRecord[]> {
    const docs = await this.collection
      .find({ 'pendingEvents.0': { $exists: true } }, { projection: { pendingEvents: 1 } })
      .limit(limit)
      .toArray();
    const records: OutboxRecord[] = [];
    for (const doc of docs) {
      for (const event of doc.pendingEvents ?? []) {
        if (!isTopicName(event.topic)) continue;
        const record: OutboxRecord = {
          id: `${doc._id}/${event.eventId}`,
          topic: event.topic,
          key: event.key,
          envelope: event.envelope,
        };
        this.stored.set(record, { docId: doc._id, event });
        records.push(record);
        if (records.length >= limit) return records;
      }
    }
    return records;
  }

  async markSent(records: readonly OutboxRecord[]): Promise<void> {
    const byDocument = new Map<string, PendingEvent[]>();
    for (const record of records) {
      const stored = this.stored.get(record);
      if (!stored) continue;
      byDocument.set(stored.docId, [...(byDocument.get(stored.docId) ?? []), stored.event]);
    }
    for (const [docId, events] of byDocument) {
      await withDocumentLock(this.collection, docId, () =>
        this.collection.updateOne({ _id: docId }, { $pullAll: { pendingEvents: events } }),
      );
    }
  }
}
