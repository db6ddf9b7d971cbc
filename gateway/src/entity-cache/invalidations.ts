import type { TopicLog } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import { invalidatingTopics, type InvalidatingTopic } from './public-data.js';

export interface InvalidationHandlers {
  /** An event changed this product. */
  invalidate(topic: InvalidatingTopic, productId: string): void;
  /** An event was skipped (not a valid envelope): which product it changed is unknown. */
  lost(topic: InvalidatingTopic): void;
  /** A reader stopped for good: no invalidation will come any more. */
  failed(topic: InvalidatingTopic): void;
  /** A reader has polled its topic (after each batch, and after each empty poll). */
  polled(topic: InvalidatingTopic): void;
}

/** The readers of the invalidating topics. */
export interface Invalidations {
  stop(): Promise<void>;
}

/**
 * Reads every invalidating topic from its end as of this call (the ends are taken before it
 * resolves), handing each event to `handlers` in order.
 */
export async function readInvalidations(
  log: TopicLog,
  logger: Logger,
  handlers: InvalidationHandlers,
): Promise<Invalidations> {
  const topics = Object.keys(invalidatingTopics) as InvalidatingTopic[];
  const ends = await Promise.all(topics.map(async (topic) => (await log.bounds(topic)).end));
  const stopping = new AbortController();
  const reading = topics.map((topic, index) =>
    log
      .read(
        topic,
        ends[index] ?? [],
        (records) => {
          for (const record of records) handlers.invalidate(topic, record.event.payload.productId);
        },
        {
          signal: stopping.signal,
          onPosition: () => handlers.polled(topic),
          onInvalid: (partition, offset) => {
            logger.warn({ topic, partition, offset }, 'entity cache: invalid event, cache cleared');
            handlers.lost(topic);
          },
        },
      )
      .then(() => {
        if (!stopping.signal.aborted) throw new Error('the reader stopped');
      })
      .catch((error: unknown) => {
        logger.error({ err: error, topic }, 'entity cache: reader failed, cache off');
        handlers.failed(topic);
      }),
  );
  return {
    async stop() {
      stopping.abort();
      await Promise.all(reading);
    },
  };
}
