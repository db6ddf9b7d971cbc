import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { createClient, type Client } from 'graphql-ws';
import { isAsyncIterable, observeStream, type StreamObserver } from './stream-events.js';

/** Where the playground sends operations: HTTP for queries and mutations, WebSocket for subscriptions. */
export interface PlaygroundEndpoints {
  readonly httpUrl: string;
  readonly wsUrl: string;
}

/** The Authorization value among the headers of GraphiQL's headers editor, whatever the name's case. */
export function authorizationOf(headers: Readonly<Record<string, unknown>> | undefined): string | undefined {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'authorization' && typeof value === 'string' && value.trim() !== '') {
      return value.trim();
    }
  }
  return undefined;
}

/** The signed-in session, as the fetcher sees it (PlaygroundSession). */
export interface FetcherSession {
  /** `Bearer <accessToken>` while signed in. */
  readonly authorization: string | undefined;
  onChange(listener: (change: 'signedIn' | 'signedOut' | 'refreshed') => void): unknown;
}

/**
 * GraphiQL's fetcher (runs in the browser). Queries and mutations are POSTed with the headers of
 * the headers editor; subscriptions go over graphql-ws, authenticated by the editor's Authorization
 * header sent as connectionParams `{ authorization }`. The server authenticates a socket once, at
 * connection_init, so each distinct Authorization value gets its own (lazy) connection.
 *
 * A tab whose headers name no Authorization uses the signed-in `session`'s token: in the POST's
 * headers, and in connection_init of one socket of its own. Signing in or out closes that socket
 * (its subscriptions end); the next subscription opens one with the new token. A refreshed token
 * leaves running subscriptions alone: the next connection (a new one, or a reconnect) sends it.
 *
 * `observer` hears of every subscription result (its `extensions.cursor` and `snapshot`), for the page
 * to list beside GraphiQL's result pane, which shows one result at a time.
 */
export function createPlaygroundFetcher(
  endpoints: PlaygroundEndpoints,
  session?: FetcherSession,
  observer?: StreamObserver,
): Fetcher {
  const fetchers = new Map<string, Fetcher>();
  const withToken = (authorization: string | undefined): Fetcher =>
    createGraphiQLFetcher({
      url: endpoints.httpUrl,
      enableIncrementalDelivery: false,
      wsClient: createClient({
        url: endpoints.wsUrl,
        lazy: true,
        connectionParams: authorization === undefined ? {} : { authorization },
      }),
    });
  let sessionSocket: Client | undefined;
  let sessionFetcher: Fetcher | undefined;
  session?.onChange((change) => {
    if (change === 'refreshed') return;
    void sessionSocket?.dispose();
    sessionSocket = undefined;
    sessionFetcher = undefined;
  });
  const signedIn = (): Fetcher => {
    if (!sessionFetcher) {
      sessionSocket = createClient({
        url: endpoints.wsUrl,
        lazy: true,
        // Read at each connection: a reconnect after a refresh sends the new token.
        connectionParams: () => {
          const authorization = session?.authorization;
          return authorization === undefined ? {} : { authorization };
        },
      });
      sessionFetcher = createGraphiQLFetcher({
        url: endpoints.httpUrl,
        enableIncrementalDelivery: false,
        wsClient: sessionSocket,
      });
    }
    return sessionFetcher;
  };
  const fetch: Fetcher = (params, options) => {
    const authorization = authorizationOf(options?.headers);
    if (authorization === undefined && session?.authorization !== undefined) {
      return signedIn()(params, {
        ...options,
        headers: { ...options?.headers, Authorization: session.authorization },
      });
    }
    let fetcher = fetchers.get(authorization ?? '');
    if (!fetcher) {
      fetcher = withToken(authorization);
      fetchers.set(authorization ?? '', fetcher);
    }
    return fetcher(params, options);
  };
  if (!observer) return fetch;
  return async (params, options) => {
    const result = await fetch(params, options);
    return isAsyncIterable(result)
      ? observeStream(result, observer.started(params.operationName ?? undefined))
      : result;
  };
}
