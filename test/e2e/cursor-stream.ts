import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { subscribe, type LiveSubscription, type SubscriptionResult } from '../client/subscriptions.js';
import { startCuttingProxy, type CuttingProxy } from '../harness/cutting-proxy.js';
import { waitFor } from '../harness/wait.js';

/** One `next` of a subscription with its extensions (cursor, snapshot), or an `error`'s codes. */
export interface StreamItem<TResult> {
  readonly data: TResult | null | undefined;
  readonly cursor: string | undefined;
  readonly snapshot: boolean;
  readonly errorCodes: readonly string[];
}

/**
 * A subscription of the typed client that does not resume by itself, behind a proxy the test can cut
 * like a network drop: the test decides where and from which cursor it resumes.
 */
export interface CursorStream<TResult> {
  readonly items: readonly StreamItem<TResult>[];
  readonly connected: Promise<void>;
  /** The cursor of the last event received. */
  lastCursor(): string | undefined;
  /** Waits until `count` items have arrived. */
  received(count: number, timeoutMs?: number): Promise<readonly StreamItem<TResult>[]>;
  /** Drops the connection, as a network failure would. */
  cut(): void;
  close(): Promise<void>;
}

/** Subscribes to `document`; an `after` among the variables is the typed client's `after` option. */
export function cursorStream<TResult, TVariables>(
  httpUrl: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  token?: string,
): CursorStream<TResult> {
  const { after, ...others } = (variables ?? {}) as Record<string, unknown>;
  let live: LiveSubscription<TResult> | undefined;
  let proxy: CuttingProxy | undefined;
  const connected = (async () => {
    proxy = await startCuttingProxy(httpUrl);
    live = subscribe(proxy.url, document, others as TVariables, {
      resume: false,
      ...(token === undefined ? {} : { token }),
      ...(typeof after === 'string' ? { after } : {}),
    });
    await live.connected;
  })();
  const items = (): StreamItem<TResult>[] => (live?.results ?? []).map(itemOf);
  return {
    get items() {
      return items();
    },
    connected,
    lastCursor: () => items().findLast((item) => item.cursor !== undefined)?.cursor,
    async received(count, timeoutMs = 60_000) {
      await waitFor(() => items().length >= count, {
        timeoutMs,
        message: `${count} items (have ${items().length})`,
      });
      return items();
    },
    cut: () => proxy?.cut(),
    async close() {
      await connected.catch(() => undefined);
      await live?.close();
      await proxy?.close();
    },
  };
}

function itemOf<TResult>(result: SubscriptionResult<TResult>): StreamItem<TResult> {
  return {
    data: result.data,
    cursor: result.cursor,
    snapshot: result.snapshot,
    errorCodes: (result.errors ?? []).map((error) => String(error.extensions?.code)),
  };
}
