import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient as createWsClient, type SubscribePayload } from 'graphql-ws';
import WebSocket from 'ws';
import type { ResponseError } from './client.js';
import { isUnknownId, persistedQueryOf } from './persisted.js';

/** One result of a subscription (a graphql-ws `next`), or the errors of an `error` message. */
export interface SubscriptionResult<TResult> {
  readonly data: TResult | null | undefined;
  readonly errors: readonly ResponseError[] | undefined;
}

/** How the server closed the WebSocket (graphql-ws codes: 4401 Unauthorized, 4403 Forbidden ...). */
export interface ClosedEvent {
  readonly code: number;
  readonly reason: string;
}

export interface SubscribeOptions {
  /** Sent in `connection_init` as `{ authorization: 'Bearer <token>' }`. */
  readonly token?: string;
  /** The whole `connection_init` payload instead (e.g. `{ token }`); overrides `token`. */
  readonly connectionParams?: Readonly<Record<string, unknown>>;
}

export interface WaitOptions {
  /** Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Says what was awaited when the deadline passes. */
  readonly message?: string;
}

/**
 * A live subscription over its own graphql-ws connection: an async iterable of its results, and a
 * collector (`results`, `waitFor`) for tests that wait on events instead of sleeping.
 */
export interface LiveSubscription<TResult> extends AsyncIterable<SubscriptionResult<TResult>> {
  /** Every result received so far, in order. */
  readonly results: readonly SubscriptionResult<TResult>[];
  /** Resolves once the server acknowledged the connection (`connection_ack`). */
  readonly connected: Promise<void>;
  /** Resolves when the socket closes, with the server's close code and reason. */
  readonly closed: Promise<ClosedEvent>;
  /** Resolves when the subscription ended: 'complete' sent by the server, or the socket 'closed' first. */
  readonly completed: Promise<'complete' | 'closed'>;
  /** The first result, received or to come, that satisfies `predicate`; rejects at the deadline or on close. */
  waitFor(
    predicate: (result: SubscriptionResult<TResult>) => boolean,
    options?: WaitOptions,
  ): Promise<SubscriptionResult<TResult>>;
  /** Completes the subscription and closes the connection. */
  close(): Promise<void>;
}

interface Waiter<TResult> {
  readonly predicate: (result: SubscriptionResult<TResult>) => boolean;
  readonly resolve: (result: SubscriptionResult<TResult>) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Opens a graphql-ws connection to `httpUrl` (its ws:// twin) and subscribes to `document` by id
 * (`extensions.persistedQuery` beside an empty `query`, which graphql-ws requires); a gateway that
 * does not hold it (PERSISTED_QUERY_NOT_FOUND) gets the text on the same connection instead.
 */
export function subscribe<TResult, TVariables>(
  httpUrl: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  options: SubscribeOptions = {},
): LiveSubscription<TResult> {
  const results: SubscriptionResult<TResult>[] = [];
  const waiters = new Set<Waiter<TResult>>();
  const listeners = new Set<() => void>();
  let ended: ClosedEvent | 'completed' | undefined;
  let markConnected!: () => void;
  let markClosed!: (event: ClosedEvent) => void;
  let markCompleted!: (how: 'complete' | 'closed') => void;
  const connected = new Promise<void>((resolve) => (markConnected = resolve));
  const closed = new Promise<ClosedEvent>((resolve) => (markClosed = resolve));
  const completed = new Promise<'complete' | 'closed'>((resolve) => (markCompleted = resolve));

  const receive = (result: SubscriptionResult<TResult>): void => {
    results.push(result);
    for (const waiter of waiters) {
      if (waiter.predicate(result)) {
        waiters.delete(waiter);
        waiter.resolve(result);
      }
    }
    for (const listener of listeners) listener();
  };
  const end = (how: ClosedEvent | 'completed'): void => {
    ended ??= how;
    markCompleted(how === 'completed' ? 'complete' : 'closed');
    const why = how === 'completed' ? 'the subscription completed' : `closed ${how.code} ${how.reason}`;
    for (const waiter of waiters)
      waiter.reject(new Error(`Subscription ended (${why}) before a matching result`));
    waiters.clear();
    for (const listener of listeners) listener();
  };

  const connectionParams =
    options.connectionParams ?? (options.token ? { authorization: `Bearer ${options.token}` } : {});
  const client = createWsClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { ...connectionParams },
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: {
      connected: () => markConnected(),
      closed: (event) => {
        const closedEvent = closeEventOf(event);
        markClosed(closedEvent);
        end(closedEvent);
      },
    },
  });
  const byText: SubscribePayload = { query: print(document), variables: variables ?? {} };
  const send = (payload: SubscribePayload): (() => void) =>
    client.subscribe<TResult>(payload, {
      next: (value) => receive({ data: value.data, errors: value.errors }),
      error: (error) => {
        if (!Array.isArray(error)) return;
        const errors = error as ResponseError[];
        if (payload !== byText && isUnknownId(errors)) {
          unsubscribe = send(byText);
          return;
        }
        receive({ data: undefined, errors });
      },
      complete: () => end('completed'),
    });
  const extensions = persistedQueryOf(document);
  let unsubscribe = send(extensions === undefined ? byText : { ...byText, query: '', extensions });

  return {
    results,
    connected,
    closed,
    completed,
    waitFor(predicate, waitOptions = {}) {
      const found = results.find(predicate);
      if (found) return Promise.resolve(found);
      if (ended) return Promise.reject(new Error(`Subscription already ended (${JSON.stringify(ended)})`));
      const timeoutMs = waitOptions.timeoutMs ?? 30_000;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `Timed out after ${timeoutMs} ms waiting for ${waitOptions.message ?? 'a subscription result'} ` +
                `(received ${JSON.stringify(results).slice(0, 2_000)})`,
            ),
          );
        }, timeoutMs);
        const waiter: Waiter<TResult> = {
          predicate,
          resolve: (result) => {
            clearTimeout(timer);
            resolve(result);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        waiters.add(waiter);
      });
    },
    async close() {
      unsubscribe();
      await client.dispose();
    },
    async *[Symbol.asyncIterator]() {
      let next = 0;
      for (;;) {
        while (next < results.length) yield results[next++]!;
        if (ended) return;
        await new Promise<void>((resolve) => {
          const listener = (): void => {
            listeners.delete(listener);
            resolve();
          };
          listeners.add(listener);
        });
      }
    },
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

/** Opens a graphql-ws connection to `httpUrl` (its ws:// twin) on which to run several subscriptions. */
export function connect(httpUrl: string, options: SubscribeOptions = {}): LiveConnection {
  let markConnected!: () => void;
  let markClosed!: (event: ClosedEvent) => void;
  const connected = new Promise<void>((resolve) => (markConnected = resolve));
  const closed = new Promise<ClosedEvent>((resolve) => (markClosed = resolve));
  const client = createWsClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: {
      ...(options.connectionParams ?? (options.token ? { authorization: `Bearer ${options.token}` } : {})),
    },
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

function closeEventOf(event: unknown): ClosedEvent {
  if (typeof event === 'object' && event !== null) {
    const { code, reason } = event as { code?: unknown; reason?: unknown };
    return { code: typeof code === 'number' ? code : 0, reason: typeof reason === 'string' ? reason : '' };
  }
  return { code: 0, reason: '' };
}
