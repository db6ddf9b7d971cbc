import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPlaygroundFetcher, type FetcherSession } from './fetcher.js';

/** A session whose token the test sets. */
function testSession(): FetcherSession & { set(token: string | undefined): void } {
  let authorization: string | undefined;
  const listeners: ((change: 'signedIn' | 'signedOut' | 'refreshed') => void)[] = [];
  return {
    get authorization() {
      return authorization;
    },
    onChange: (listener) => listeners.push(listener),
    set(token) {
      const change = token === undefined ? 'signedOut' : authorization ? 'refreshed' : 'signedIn';
      authorization = token === undefined ? undefined : `Bearer ${token}`;
      for (const listener of listeners) listener(change);
    },
  };
}

describe('the playground fetcher with a signed-in session', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('POSTs with the session token unless the tab sets its own Authorization', async () => {
    const sent: (string | null)[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation((_url, init) => {
      sent.push(new Headers(init?.headers).get('authorization'));
      return Promise.resolve(
        new Response(JSON.stringify({ data: { __typename: 'Query' } }), {
          headers: { 'content-type': 'application/json' },
        }),
      );
    });
    // GraphiQL's toolkit takes the browser's window.fetch.
    vi.stubGlobal('window', globalThis);
    const session = testSession();
    const fetcher = createPlaygroundFetcher(
      { httpUrl: 'http://gateway/graphql', wsUrl: 'ws://gateway/graphql' },
      session,
    );
    const run = (headers?: Record<string, unknown>) =>
      fetcher({ query: '{ __typename }', operationName: null }, headers ? { headers } : undefined);

    await run();
    session.set('one');
    await run();
    await run({ Authorization: 'Bearer own' });
    session.set('two');
    await run({});
    session.set(undefined);
    await run();
    expect(sent).toEqual([null, 'Bearer one', 'Bearer own', 'Bearer two', null]);
  });
});
