import { print } from 'graphql';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CountedSubscription,
  startCountingServer,
  type CountingServer,
} from '../../../test/fixtures/counting-server.js';
import { waitFor } from '../../../test/harness/wait.js';
import { createPlaygroundFetcher } from './fetcher.js';
import { describeEvent, isAsyncIterable, streamEventOf, type StreamEvent } from './stream-events.js';

describe('the playground’s subscription events', () => {
  let server: CountingServer;

  beforeEach(async () => {
    server = await startCountingServer();
  });

  afterEach(async () => {
    await server.close();
    vi.unstubAllGlobals();
  });

  it('lists the cursor and snapshot flag of every result of a subscription, and stops at once', async () => {
    // GraphiQL's toolkit takes the browser's window.fetch; the subscription goes over graphql-ws.
    vi.stubGlobal('window', globalThis);
    const started: (string | undefined)[] = [];
    const events: StreamEvent[] = [];
    const fetcher = createPlaygroundFetcher(
      { httpUrl: server.url, wsUrl: server.url.replace(/^http/, 'ws') },
      undefined,
      {
        started(operationName) {
          started.push(operationName);
          return { received: (event) => events.push(event) };
        },
      },
    );
    server.publish(2);
    const results = await fetcher(
      { query: print(CountedSubscription), operationName: 'Counted', variables: { initial: true } },
      { documentAST: CountedSubscription },
    );
    if (!isAsyncIterable(results)) throw new Error('expected the results of a subscription');
    const iterator = results[Symbol.asyncIterator]();
    expect(await iterator.next()).toMatchObject({ value: { data: { counted: { n: 2 } } } });
    await waitFor(() => server.fresh === 1, { message: 'the subscription registered' });
    server.publish(2);
    await iterator.next();
    await iterator.next();
    expect(started).toEqual(['Counted']);
    expect(events.map(describeEvent)).toEqual(['#1 c1:2 (snapshot)', '#2 c1:3', '#3 c1:4']);

    // GraphiQL's stop button: return() while a next() waits for an event that never comes.
    const waiting = iterator.next();
    await iterator.return?.();
    expect(await waiting).toMatchObject({ done: true });
  });

  it('reads an event without extensions, and one with errors', () => {
    expect(streamEventOf({ data: null }, 1)).toEqual({
      index: 1,
      cursor: undefined,
      snapshot: false,
      failed: false,
    });
    const expired = streamEventOf({ errors: [{ message: 'expired' }], extensions: { cursor: 'c' } }, 2);
    expect(describeEvent(expired)).toBe('#2 c (errors)');
    expect(describeEvent(streamEventOf({ data: {} }, 3))).toBe('#3 (no cursor)');
  });
});
