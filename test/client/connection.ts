import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { ResponseError } from './client.js';
import { closeEventOf } from './resume.js';
import type { ClosedEvent } from './results.js';

/** How a connection authenticates. */
export interface ConnectionOptions {
  /** Sent in `connection_init` as `{ authorization: 'Bearer <token>' }`. */
  readonly token?: string;
  /** The whole `connection_init` payload instead (e.g. `{ token }`); overrides `token`. */
  readonly connectionParams?: Readonly<Record<string, unknown>>;
}

/** The `connection_init` payload of `options`. */
export function connectionParamsOf(options: ConnectionOptions): Record<string, unknown> {
  return {
    ...(options.connectionParams ?? (options.token ? { authorization: `Bearer ${options.token}` } : {})),
  };
}

/** How one subscription of a shared connection ended. */
export type SubscriptionEnd =
  | { readonly kind: 'error'; readonly errors: readonly ResponseError[] }
  | { readonly kind: 'complete' }
  | ({ readonly kind: 'closed' } & ClosedEvent);

/** One graphql-ws connection carrying many subscriptions (`subscribe` opens one connection each). */
export interface LiveConnection {
  /** Resolves once the server acknowledged the connection (`connection_ack`). */
  readonly connected: Promise<void>;
  /** Resolves when the socket closes, with the server's close code and reason. */
  readonly closed: Promise<ClosedEvent>;
  /** Starts a subscription here; resolves when it ends (an `error` message, `complete`, or the close). */
  subscribe<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<SubscriptionEnd>;
  close(): Promise<void>;
}

/**
 * Opens a graphql-ws connection to `httpUrl` (its ws:// twin) on which to run several subscriptions.
 * It never reconnects: a test of the server's caps and closes sees every close as it happens.
 */
export function connect(httpUrl: string, options: ConnectionOptions = {}): LiveConnection {
  let markConnected!: () => void;
  let markClosed!: (event: ClosedEvent) => void;
  const connected = new Promise<void>((resolve) => (markConnected = resolve));
  const closed = new Promise<ClosedEvent>((resolve) => (markClosed = resolve));
  const client = createWsClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: connectionParamsOf(options),
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: { connected: () => markConnected(), closed: (event) => markClosed(closeEventOf(event)) },
  });
  return {
    connected,
    closed,
    subscribe(document, variables) {
      return new Promise<SubscriptionEnd>((resolve) => {
        void closed.then((event) => resolve({ kind: 'closed', ...event }));
        client.subscribe(
          { query: print(document), variables: variables ?? {} },
          {
            next: () => undefined,
            error: (error) => {
              if (Array.isArray(error)) resolve({ kind: 'error', errors: error as ResponseError[] });
            },
            complete: () => resolve({ kind: 'complete' }),
          },
        );
      });
    },
    close: async () => {
      await client.dispose();
    },
  };
}
