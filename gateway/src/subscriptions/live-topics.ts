import { advance, type LogPosition, type TopicLog } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import { fieldEventOf, subscriptionFields, type SubscriptionField } from './fields.js';
import type { PositionedEvent } from './subscriber.js';

/**
 * One live reader per subscription field's topic, from the end of the topic when the instance
 * starts, without a consumer group: every instance reads every event, and nothing stays in Kafka
 * when it stops. Knows, at any moment, the position it has dispatched up to.
 */
export class LiveTopics {
  private readonly positions = new Map<SubscriptionField, LogPosition>();
  private readonly stopping = new AbortController();
  private readonly reading: Promise<void>[] = [];

  constructor(
    private readonly log: TopicLog,
    private readonly fields: readonly SubscriptionField[],
    private readonly logger: Logger,
  ) {}

  /**
   * Starts reading every field's topic at its current end; `dispatch` gets each event in order,
   * with the record's timestamp in the log (when it was produced) where the log keeps one.
   */
  async start(dispatch: (event: PositionedEvent, producedAtMs: number | undefined) => void): Promise<void> {
    const ends = await Promise.all(
      this.fields.map(async (field) => (await this.log.bounds(subscriptionFields[field].topic)).end),
    );
    this.fields.forEach((field, index) => {
      const topic = subscriptionFields[field].topic;
      this.positions.set(field, ends[index] ?? []);
      const reading = this.log.read(
        topic,
        ends[index] ?? [],
        (records) => {
          const consumedAtMs = Date.now();
          let position = this.position(field);
          for (const record of records) {
            position = advance(position, record.partition, record.offset);
            this.positions.set(field, position);
            const input = fieldEventOf(field, record.event);
            const { partition, offset, timestamp } = record;
            dispatch({ input, partition, offset, position, consumedAtMs }, timestamp);
          }
        },
        {
          signal: this.stopping.signal,
          onInvalid: (partition, offset) =>
            this.logger.warn({ topic, partition, offset }, 'invalid event skipped'),
        },
      );
      this.reading.push(
        reading.catch((error: unknown) => this.logger.error({ err: error, topic }, 'live reader failed')),
      );
    });
  }

  /** The position after the last event dispatched for `field`. */
  position(field: SubscriptionField): LogPosition {
    return this.positions.get(field) ?? [];
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.reading);
  }
}
