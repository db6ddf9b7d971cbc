import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { type LogReadOptions, type LogRecord, type TopicLog, type TopicName } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { parse } from 'graphql';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { numberedEvent } from '../../../test/faults/publish-log.js';
import type { GatewayContext } from '../context.js';
import { EntityCache } from './entity-cache.js';

const query =
  'query($representations:[_Any!]!){_entities(representations:$representations){...on Product{inventory{available}}}}';

/** A topic log on a broker of our own: each reader is kept, to be fed records and polled by hand. */
class FakeLog implements TopicLog {
  readonly namespace = 'fake:';
  readonly readers = new Map<
    TopicName,
    {
      from: readonly number[];
      onRecords: (records: readonly LogRecord[]) => void | Promise<void>;
      options: LogReadOptions;
    }
  >();

  bounds(): Promise<{ start: number[]; end: number[] }> {
    return Promise.resolve({ start: [0], end: [7] });
  }

  read<T extends TopicName>(
    topic: T,
    from: readonly number[],
    onRecords: (records: readonly LogRecord<T>[]) => void | Promise<void>,
    options: LogReadOptions,
  ): Promise<void> {
    this.readers.set(topic, {
      from,
      onRecords: onRecords as (records: readonly LogRecord[]) => void,
      options,
    });
    return new Promise((resolve) =>
      options.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  }

  /** Every reader polls once (nothing new). */
  poll(): void {
    for (const reader of this.readers.values()) reader.options.onPosition?.([7]);
  }

  async stockUpdated(productId: string): Promise<void> {
    const event = numberedEvent(productId, 1);
    await this.readers.get('stock.updated')?.onRecords([{ partition: 0, offset: 7, key: productId, event }]);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('EntityCache', () => {
  let cache: EntityCache | undefined;
  afterEach(async () => {
    await cache?.close();
  });

  async function started(
    stalledAfterMs = 60_000,
  ): Promise<{ log: FakeLog; fetch: () => Promise<void>; asked: () => number }> {
    const log = new FakeLog();
    cache = new EntityCache({ enabled: true, stalledAfterMs }, log, new Registry(), createLogger('test'));
    let asked = 0;
    const inventory = cache.wrap('inventory', {
      process: () => {
        asked += 1;
        return Promise.resolve({ data: { _entities: [{ inventory: { available: asked } }] } });
      },
    });
    await cache.start();
    const options = {
      kind: 'incoming operation',
      request: { query, variables: { representations: [{ __typename: 'Product', id: 'p1' }] } },
      incomingRequestContext: {},
      context: {},
      document: parse(query),
    } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
    return { log, fetch: async () => void (await inventory.process(options)), asked: () => asked };
  }

  it('reads every invalidating topic from its end, without a group', async () => {
    const { log } = await started();
    expect([...log.readers.keys()].sort()).toEqual([
      'product.created',
      'product.deleted',
      'product.updated',
      'stock.updated',
    ]);
    for (const reader of log.readers.values()) expect(reader.from).toEqual([7]);
  });

  it('fetches an entity again once its event is read, and tells the listeners after', async () => {
    const { log, fetch, asked } = await started();
    const told: string[] = [];
    cache?.onInvalidated((topic, productId) => told.push(`${topic} ${productId}`));
    await fetch();
    await fetch();
    expect(asked()).toBe(1);
    await log.stockUpdated('p2');
    await fetch();
    expect(asked()).toBe(1);
    await log.stockUpdated('p1');
    await fetch();
    expect(asked()).toBe(2);
    expect(told).toEqual(['stock.updated p2', 'stock.updated p1']);
  });

  it('stops serving while a reader does not poll, and serves again once it does', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      const { log, fetch, asked } = await started(60);
      log.poll();
      await fetch();
      vi.advanceTimersByTime(50);
      await fetch();
      expect(asked()).toBe(1);
      vi.advanceTimersByTime(100);
      await fetch();
      expect(asked()).toBe(2);
      log.poll();
      vi.advanceTimersByTime(20);
      await fetch();
      expect(asked()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('serves subscription executions from the same entries, except where their own events change them', async () => {
    const { asked } = await started();
    const plain = { process: () => Promise.reject(new Error('not asked here')) };
    // Stock changes come on stock.updated itself: its execution must see the new row, not an entry.
    expect(cache?.wrapForEvents('inventory', plain, ['stock.updated', 'order.placed'])).toBe(plain);
    let askedForNames = 0;
    const products = {
      process: () => {
        askedForNames += 1;
        return Promise.resolve({ data: { _entities: [{ name: 'Lamp' }] } });
      },
    };
    const namesQuery =
      'query($representations:[_Any!]!){_entities(representations:$representations){...on Product{name}}}';
    const options = {
      kind: 'incoming operation',
      request: { query: namesQuery, variables: { representations: [{ __typename: 'Product', id: 'p1' }] } },
      incomingRequestContext: {},
      context: {},
      document: parse(namesQuery),
    } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>;
    await cache?.wrap('products', products).process(options);
    const forEvents = cache?.wrapForEvents('products', products, ['stock.updated']);
    expect(forEvents).not.toBe(products);
    expect(await forEvents?.process(options)).toEqual({ data: { _entities: [{ name: 'Lamp' }] } });
    expect(askedForNames).toBe(1);
    expect(asked()).toBe(0);
  });

  it('passes through when off', () => {
    cache = new EntityCache({ enabled: false }, new FakeLog(), new Registry(), createLogger('test'));
    const dataSource = { process: () => Promise.resolve({}) };
    expect(cache.wrap('inventory', dataSource)).toBe(dataSource);
  });
});
