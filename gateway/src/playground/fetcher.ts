import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { createClient } from 'graphql-ws';

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

/**
 * GraphiQL's fetcher (runs in the browser). Queries and mutations are POSTed with the headers of
 * the headers editor; subscriptions go over graphql-ws, authenticated by the editor's Authorization
 * header sent as connectionParams `{ authorization }`. The server authenticates a socket once, at
 * connection_init, so each distinct Authorization value gets its own (lazy) connection.
 */
export function createPlaygroundFetcher(endpoints: PlaygroundEndpoints): Fetcher {
  const fetchers = new Map<string, Fetcher>();
  return (params, options) => {
    const authorization = authorizationOf(options?.headers);
    let fetcher = fetchers.get(authorization ?? '');
    if (!fetcher) {
      fetcher = createGraphiQLFetcher({
        url: endpoints.httpUrl,
        enableIncrementalDelivery: false,
        wsClient: createClient({
          url: endpoints.wsUrl,
          lazy: true,
          connectionParams: authorization === undefined ? {} : { authorization },
        }),
      });
      fetchers.set(authorization ?? '', fetcher);
    }
    return fetcher(params, options);
  };
}
