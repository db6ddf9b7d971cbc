import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient as createWsClient, type Client as WsClient, type SubscribePayload } from 'graphql-ws';
import WebSocket from 'ws';
import type { ResponseError } from './client.js';
import { connectionParamsOf, type ConnectionOptions } from './connection.js';
import { isUnknownId, persistedQueryOf } from './persisted.js';
import {
  afterVariable,
  backoffDelay,
  closeEventOf,
  declaresAfter,
  isResumableClose,
  mayRetry,
  positionOf,
  refusesCursor,
  type ResumePolicy,
} from './resume.js';
import {
  ResultLog,
  type ClosedEvent,
  type Ending,
  type SubscriptionResult,
  type WaitOptions,
} from './results.js';

export { connect, type ConnectionOptions, type LiveConnection, type SubscriptionEnd } from './connection.js';
export type { ClosedEvent, Ending, SubscriptionResult, WaitOptions } from './results.js';
export type { ResumePolicy } from './resume.js';

export interface SubscribeOptions extends ConnectionOptions {
  /**
   * Start after this cursor (an event's `cursor`, kept from an earlier subscription): sent as the
   * `after` variable, so the server first replays what came after it. Needs a document that declares
   * `$after: String` (and passes it to its field).
   */
  readonly after?: string;
  /**
   * How to reconnect when the socket drops (see `isResumableClose`): by default up to 8 attempts in
   * a row, exponential backoff with full jitter from 250 ms up to 15 s. `false`: never reconnect.
   * Only a document that declares `$after` resumes; another one ends with its socket, as before.
   */
  readonly resume?: ResumePolicy | false;
}

/**
 * A live subscription: an async iterable of its results, and a collector (`results`, `waitFor`) for
 * tests that wait on events instead of sleeping. A dropped socket is reconnected and the operation
 * subscribed again with `after: cursor`: the application sees one stream, in order, without gaps.
 */
export interface LiveSubscription<TResult> extends AsyncIterable<SubscriptionResult<TResult>> {
  /** Every result received so far, in order. */
  readonly results: readonly SubscriptionResult<TResult>[];
  /** The cursor of the last event received (or the `after` it started from): where a resume starts. */
  readonly cursor: string | undefined;
  /** How many times the socket was reconnected after a drop. */
  readonly reconnects: number;
  /** Resolves once the server acknowledged the (first) connection (`connection_ack`). */
  readonly connected: Promise<void>;
  /** Resolves when the socket closes for good (a close that is not resumed), with its code and reason. */
  readonly closed: Promise<ClosedEvent>;
  /**
   * Resolves when the subscription ended: 'complete' sent by the server, an 'error' message (e.g.
   * CURSOR_EXPIRED, BAD_CURSOR: its errors are the last result), or the socket 'closed' for good.
   */
  readonly completed: Promise<Ending>;
  /** The first result, received or to come, that satisfies `predicate`; rejects at the deadline or on the end. */
  waitFor(
    predicate: (result: SubscriptionResult<TResult>) => boolean,
    options?: WaitOptions,
  ): Promise<SubscriptionResult<TResult>>;
  /** Completes the subscription and closes the connection. */
  close(): Promise<void>;
}

/**
 * Opens a graphql-ws connection to `httpUrl` (its ws:// twin) and subscribes to `document` by id
 * (`extensions.persistedQuery` beside an empty `query`, which graphql-ws requires); a gateway that
 * does not hold it (PERSISTED_QUERY_NOT_FOUND) gets the text on the same connection instead.
 *
 * Each connection is a graphql-ws client without retries of its own: graphql-ws would subscribe again
 * with the first payload, and a resume must send the last cursor. A resumable close (see
 * `isResumableClose`) opens a new connection after `backoffDelay` and subscribes with the variables
 * plus `after: <last cursor>`; the server replays what was missed, then continues live.
 */
export function subscribe<TResult, TVariables>(
  httpUrl: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  options: SubscribeOptions = {},
): LiveSubscription<TResult> {
  let resumable = options.resume !== false && declaresAfter(document);
  if (options.after !== undefined && !declaresAfter(document)) {
    throw new Error('subscribe({ after }) needs a document that declares $after: String');
  }
  const policy = options.resume === false ? {} : (options.resume ?? {});
  const given = { ...(variables as Readonly<Record<string, unknown>> | undefined) };
  let cursor = options.after ?? (typeof given[afterVariable] === 'string' ? given[afterVariable] : undefined);
  const persisted = persistedQueryOf(document);
  let byId = persisted !== undefined;
  const query = print(document);
  const payload = (): SubscribePayload => {
    const sent = cursor === undefined ? given : { ...given, [afterVariable]: cursor };
    return byId ? { query: '', variables: sent, extensions: { ...persisted } } : { query, variables: sent };
  };

  const log = new ResultLog<TResult>();
  let markConnected!: () => void;
  let markClosed!: (event: ClosedEvent) => void;
  const connected = new Promise<void>((resolve) => (markConnected = resolve));
  const closed = new Promise<ClosedEvent>((resolve) => (markClosed = resolve));
  const finish = (event: ClosedEvent): void => {
    markClosed(event);
    log.end(event);
  };

  let current: WsClient | undefined;
  let unsubscribe = (): void => undefined;
  let failedInARow = 0;
  let reconnects = 0;
  let closing = false;
  let pending: { timer: ReturnType<typeof setTimeout>; drop: ClosedEvent } | undefined;

  const open = (): void => {
    pending = undefined;
    const client: WsClient = createWsClient({
      url: httpUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: connectionParamsOf(options),
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => undefined,
      on: {
        connected: () => {
          failedInARow = 0;
          markConnected();
        },
        closed: (event) => {
          if (client === current) dropped(client, closeEventOf(event));
        },
      },
    });
    current = client;
    const start = (): void => {
      unsubscribe = client.subscribe<TResult>(payload(), {
        next: (value) => {
          if (client !== current) return;
          // An answer in a `next` (not an `error` message) may leave the operation open: never
          // resume it with that cursor again.
          if (refusesCursor(value.errors)) resumable = false;
          const position = positionOf(value.extensions);
          if (position.cursor !== undefined) cursor = position.cursor;
          const extensions = isRecord(value.extensions) ? value.extensions : undefined;
          log.receive({ data: value.data, errors: value.errors, extensions, ...position });
        },
        error: (error) => {
          // A close event or a socket error is handled by `closed` above.
          if (client !== current || !Array.isArray(error)) return;
          const errors = error as ResponseError[];
          if (byId && isUnknownId(errors)) {
            byId = false;
            start();
            return;
          }
          log.receive({ data: undefined, errors, cursor: undefined, snapshot: false });
          log.end('error');
        },
        complete: () => {
          if (client === current) log.end('complete');
        },
      });
    };
    start();
  };

  const dropped = (client: WsClient, drop: ClosedEvent): void => {
    // Let go of that client at once: after a 1000 close graphql-ws would subscribe again by itself,
    // with the first payload (no cursor).
    current = undefined;
    void letGo(client);
    if (
      closing ||
      log.ended ||
      !resumable ||
      !isResumableClose(drop.code) ||
      !mayRetry(failedInARow, policy)
    ) {
      finish(drop);
      return;
    }
    const delay = backoffDelay(failedInARow, policy);
    failedInARow += 1;
    reconnects += 1;
    pending = { timer: setTimeout(open, delay), drop };
  };

  open();
  return {
    results: log.results,
    get cursor() {
      return cursor;
    },
    get reconnects() {
      return reconnects;
    },
    connected,
    closed,
    completed: log.completed,
    waitFor: (predicate, waitOptions) => log.waitFor(predicate, waitOptions),
    async close() {
      closing = true;
      if (pending) {
        clearTimeout(pending.timer);
        finish(pending.drop);
      }
      unsubscribe();
      if (current) await letGo(current);
    },
    [Symbol.asyncIterator]: () => log[Symbol.asyncIterator](),
  };
}

/** Disposes of a graphql-ws client; one whose connection attempt failed has nothing left to close. */
async function letGo(client: WsClient): Promise<void> {
  try {
    await client.dispose();
  } catch {
    // The socket never opened.
  }
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
