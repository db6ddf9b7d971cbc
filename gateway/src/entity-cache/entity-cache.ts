import type { GraphQLDataSource } from '@apollo/gateway';
import type { TopicLog } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import { Counter, type Registry } from 'prom-client';
import type { GatewayContext } from '../context.js';
import { EntityCachingDataSource, queriesKey } from './caching-data-source.js';
import { EntityStore } from './entity-store.js';
import { readInvalidations, type Invalidations } from './invalidations.js';
import { invalidatingTopics, publicData, type InvalidatingTopic } from './public-entities.js';

export interface EntityCacheOptions {
  /** ENTITY_CACHE: cache public entity results (Product and its inventory) in the gateway. */
  readonly enabled: boolean;
  /** Bytes of cached JSON per subgraph before the least recently used entities go (default 64 MiB). */
  readonly maxBytes?: number;
}

/** Told of each invalidating event once its entries are gone. */
export type InvalidationListener = (topic: InvalidatingTopic, productId: string) => void;

const defaultMaxBytes = 64 * 1024 * 1024;

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
    const store = new EntityStore(this.options?.maxBytes ?? defaultMaxBytes);
    this.stores.set(name, store);
    return new EntityCachingDataSource(name, dataSource, store, data, {
      lookups: (subgraph, hits, misses) => {
        if (hits > 0) this.lookups.inc({ subgraph, result: 'hit' }, hits);
        if (misses > 0) this.lookups.inc({ subgraph, result: 'miss' }, misses);
      },
    });
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
    });
    this.stores.forEach((store) => store.enable());
    this.logger.info({ subgraphs: [...this.stores.keys()] }, 'entity cache on');
  }

  /** Calls `listener` after each invalidating event is applied; returns the unsubscribe. */
  onInvalidated(listener: InvalidationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.stores.forEach((store) => store.disable());
    await this.reading?.stop();
  }
}
