import { randomUUID } from 'node:crypto';
import {
  createEnvelope,
  InMemoryEventBus,
  type Envelope,
  type Publication,
  type TopicName,
  type Topics,
} from '@commerce/common/events';

/** One publish the broker acknowledged, in acknowledgement order. */
export interface PublishedEvent {
  readonly relay: string;
  readonly key: string;
  readonly eventId: string;
  /** The `available` of a stock.updated: the event's position in its aggregate's history. */
  readonly sequence: number;
}

/**
 * Test helper for the outbox sources: stock.updated events numbered per aggregate, and a log of
 * what relays published (a shared bus with a small random delay per publish, so that relays interleave).
 */
export class PublishLog {
  readonly published: PublishedEvent[] = [];

  /** The bus of one relay: publishes land in this log, tagged with the relay's name. */
  busFor(relay: string, maxDelayMs = 2): InMemoryEventBus {
    return new LoggingBus(relay, maxDelayMs, (event) => this.published.push(event));
  }

  /** Per aggregate, the sequence numbers in the order they were published. */
  sequencesByKey(): Map<string, number[]> {
    const byKey = new Map<string, number[]>();
    for (const event of this.published)
      byKey.set(event.key, [...(byKey.get(event.key) ?? []), event.sequence]);
    return byKey;
  }
}

/** The `sequence`-th stock.updated of product `key` (sequence = available = version, 1, 2, 3 ...). */
export function numberedEvent(key: string, sequence: number): Envelope<Topics['stock.updated']> {
  return createEnvelope(
    'stock.updated',
    {
      productId: key,
      available: sequence,
      reserved: 0,
      reorderThreshold: 0,
      lowStock: false,
      reason: 'ADJUSTED',
      orderId: null,
      updatedAt: new Date().toISOString(),
      version: sequence,
    },
    { source: 'outbox-test', correlationId: randomUUID() },
  );
}

class LoggingBus extends InMemoryEventBus {
  constructor(
    private readonly relay: string,
    private readonly maxDelayMs: number,
    private readonly record: (event: PublishedEvent) => void,
  ) {
    super();
  }

  override async publish<T extends TopicName>(
    topic: T,
    key: string,
    event: Envelope<Topics[T]>,
  ): Promise<void> {
    await this.delay();
    await super.publish(topic, key, event);
    this.logged(key, event);
  }

  /** A batch goes out in one go, as one produce request does. */
  override async publishAll(events: readonly Publication[]): Promise<void> {
    await this.delay();
    await super.publishAll(events);
    for (const { key, event } of events) this.logged(key, event);
  }

  private delay(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.random() * this.maxDelayMs));
  }

  private logged(key: string, event: Envelope<unknown>): void {
    const payload = event.payload as { available?: number };
    this.record({
      relay: this.relay,
      key,
      eventId: event.metadata.eventId,
      sequence: payload.available ?? -1,
    });
  }
}
