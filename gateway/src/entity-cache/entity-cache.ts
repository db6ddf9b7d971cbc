import type { GraphQLDataSource } from '@apollo/gateway';
import type { TopicLog, TopicName } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import { Counter, type Registry } from 'prom-client';
import type { GatewayContext } from '../context.js';
import { EntityCachingDataSource, queriesKey } from './caching-data-source.js';
import { EntityStore } from './entity-store.js';
import { readInvalidations, type Invalidations } from './invalidations.js';
import { invalidatingTopics, publicData, type InvalidatingTopic } from './public-data.js';

export interface EntityCacheOptions {
  /** ENTITY_CACHE: cache public entity results (Product and its inventory) in the gateway. */
  readonly enabled: boolean;
  /** Bytes of cached JSON per subgraph before the least recently used entities go (default 64 MiB). */
  readonly maxBytes?: number;
  /**
   * A reader that has not polled its topic for this long (the broker unreachable) stops the serving,
   * not the filling, until it polls again (default 3 000 ms). Not for an in-process log (memory:),
   * whose readers wait for appends without polling and never lose the broker.
   */
  readonly stalledAfterMs?: number;
}

/** Told of each invalidating event once its entries are gone. */
export type InvalidationListener = (topic: InvalidatingTopic, productId: string) => void;

const defaultMaxBytes = 64 * 1024 * 1024;
const defaultStalledAfterMs = 3_000;

/**
 * The gateway's event-driven entity cache: wraps the subgraph data sources of `publicData`,
 * and drops entries as the invalidating events are read from `log` (from the topics' end when the
 * gateway starts, without a consumer group). No TTL: an entry lives until its entity changes or it
 * is the least recently used when space is needed. Without a log, or when off, it passes through.
 */
export class EntityCache {
  private readonly stores = new Map<string, EntityStore>();
  private readonly listeners = new Set<InvalidationListener>();
  private readonly lookups: Counter<'subgraph' | 'result'>;
  private readonly invalidations: Counter<'topic'>;
  private reading: Invalidations | undefined;
  private readonly polledAt = new Map<InvalidatingTopic, number>();
  private watching: NodeJS.Timeout | undefined;
  private serving = true;

  constructor(
    private readonly options: EntityCacheOptions | undefined,
    private readonly log: TopicLog | undefined,
    registry: Registry,
    private readonly logger: Logger,
  ) {
    this.lookups = new Counter({
      name: 'gateway_entity_cache_lookups_total',
      help: 'Entity representations looked up in the entity cache, by subgraph and result (hit, miss).',
      labelNames: ['subgraph', 'result'],
      registers: [registry],
    });
    this.invalidations = new Counter({
      name: 'gateway_entity_cache_invalidations_total',
      help: 'Events read by the entity cache that invalidated an entity, by topic.',
      labelNames: ['topic'],
      registers: [registry],
    });
  }

  /** Whether the cache serves (on, and the events can be read). */
  get enabled(): boolean {
    return (this.options?.enabled ?? false) && this.log !== undefined;
  }

  /** `dataSource` with the cache in front when `name` has public entities, else itself. */
  wrap(name: string, dataSource: GraphQLDataSource<GatewayContext>): GraphQLDataSource<GatewayContext> {
    const data = Object.hasOwn(publicData, name) ? publicData[name] : undefined;
    if (!this.enabled || !data) return dataSource;
    // One store per subgraph, whatever wraps it (the HTTP path and the subscriptions share it).
    let store = this.stores.get(name);
    if (!store) {
      store = new EntityStore(this.options?.maxBytes ?? defaultMaxBytes);
      this.stores.set(name, store);
      // Wrapped after `start`: its events are read already.
      if (this.reading) {
        store.enable();
        store.serve(this.serving);
      }
    }
    return new EntityCachingDataSource(name, dataSource, store, data, {
      lookups: (subgraph, hits, misses) => {
        if (hits > 0) this.lookups.inc({ subgraph, result: 'hit' }, hits);
        if (misses > 0) this.lookups.inc({ subgraph, result: 'miss' }, misses);
      },
    });
  }

  /**
   * `wrap` for the subscription executor, which answers each event of `liveTopics` as soon as it
   * reads it, possibly before this cache has read the same event (their readers are separate): a
   * subgraph whose entities those events change is asked directly, never from the cache. The
   * others change only on events of other topics, to which nothing orders an execution anyway.
   */
  wrapForEvents(
    name: string,
    dataSource: GraphQLDataSource<GatewayContext>,
    liveTopics: readonly TopicName[],
  ): GraphQLDataSource<GatewayContext> {
    const changedByLiveTopic = Object.entries(invalidatingTopics).some(
      ([topic, subgraphs]) =>
        liveTopics.includes(topic as TopicName) && (subgraphs as readonly string[]).includes(name),
    );
    return changedByLiveTopic ? dataSource : this.wrap(name, dataSource);
  }

  /** Reads the invalidating topics from their end, then serves: nothing cached before predates that end. */
  async start(): Promise<void> {
    if (!this.enabled || !this.log) {
      if (this.options?.enabled) this.logger.warn('entity cache off: the gateway reads no events');
      return;
    }
    this.reading = await readInvalidations(this.log, this.logger, {
      invalidate: (topic, productId) => {
        for (const subgraph of invalidatingTopics[topic]) {
          this.stores.get(subgraph)?.invalidate(`Product:${productId}`);
        }
        for (const [subgraph, store] of this.stores) {
          if (publicData[subgraph]?.queries?.changedBy.includes(topic)) store.invalidate(queriesKey);
        }
        this.invalidations.inc({ topic });
        for (const listener of this.listeners) listener(topic, productId);
      },
      // An event that could not be decoded names no product: drop everything.
      lost: () => this.stores.forEach((store) => store.clear()),
      failed: () => this.stores.forEach((store) => store.disable()),
      polled: (topic) => this.polledAt.set(topic, Date.now()),
    });
    this.stores.forEach((store) => store.enable());
    if (!this.log.namespace.startsWith('memory:')) {
      const stalledAfterMs = this.options?.stalledAfterMs ?? defaultStalledAfterMs;
      const started = Date.now();
      this.watching = setInterval(() => this.watchReaders(started, stalledAfterMs), stalledAfterMs / 6);
      this.watching.unref();
    }
    this.logger.info({ subgraphs: [...this.stores.keys()] }, 'entity cache on');
  }

  /** Calls `listener` after each invalidating event is applied; returns the unsubscribe. */
  onInvalidated(listener: InvalidationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Serves only while every reader has polled within `stalledAfterMs`. */
  private watchReaders(started: number, stalledAfterMs: number): void {
    const now = Date.now();
    const stalled = Object.keys(invalidatingTopics).filter(
      (topic) => now - (this.polledAt.get(topic as InvalidatingTopic) ?? started) > stalledAfterMs,
    );
    const serving = stalled.length === 0;
    if (serving === this.serving) return;
    this.serving = serving;
    this.stores.forEach((store) => store.serve(serving));
    if (serving) this.logger.info('entity cache serving again: its topics are read');
    else this.logger.warn({ topics: stalled }, 'entity cache not serving: its topics are not read');
  }

  async close(): Promise<void> {
    clearInterval(this.watching);
    this.stores.forEach((store) => store.disable());
    await this.reading?.stop();
    this.reading = undefined;
  }
}
