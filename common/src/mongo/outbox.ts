import type { Collection, Db } from 'mongodb';
import type { Envelope } from '../events/envelope.js';
import type { OutboxRecord, OutboxSource } from '../events/outbox-relay.js';
import { isTopicName, type TopicName } from '../events/topics.js';

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

/** The relay's view of one collection's pending events, in write order per document. */
export class MongoOutboxSource implements OutboxSource {
  private readonly collection: Collection<{ _id: string } & WithPendingEvents>;

  constructor(db: Db, collectionName: string) {
    this.collection = db.collection(collectionName);
  }

  async pending(limit: number): Promise<readonly OutboxRecord[]> {
    const docs = await this.collection
      .find({ 'pendingEvents.0': { $exists: true } })
      .limit(limit)
      .toArray();
    const records: OutboxRecord[] = [];
    for (const doc of docs) {
      for (const event of doc.pendingEvents ?? []) {
        if (!isTopicName(event.topic)) continue;
        records.push({ id: `${String(doc._id)}/${event.eventId}`, topic: event.topic, key: event.key, envelope: event.envelope });
        if (records.length >= limit) return records;
      }
    }
    return records;
  }

  async markSent(records: readonly OutboxRecord[]): Promise<void> {
    const byDocument = new Map<string, string[]>();
    for (const record of records) {
      const [docId = '', eventId = ''] = record.id.split('/');
      byDocument.set(docId, [...(byDocument.get(docId) ?? []), eventId]);
    }
    for (const [docId, eventIds] of byDocument) {
      await this.collection.updateOne(
        { _id: docId },
        { $pull: { pendingEvents: { eventId: { $in: eventIds } } } },
      );
    }
  }
}
