import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { waitFor } from '../harness/wait.js';

/** One `next` of a subscription with its extensions (cursor, snapshot), or an `error`'s codes. */
export interface StreamItem<TResult> {
  readonly data: TResult | null | undefined;
  readonly cursor: string | undefined;
  readonly snapshot: boolean;
  readonly errorCodes: readonly string[];
}

/**
 * A subscription seen at the protocol level, as a resuming client sees it: each `next` with its
 * `extensions.cursor`, and a socket the test can cut (terminate, no close handshake) like a network drop.
 */
export interface CursorStream<TResult> {
  readonly items: readonly StreamItem<TResult>[];
  readonly connected: Promise<void>;
  /** The cursor of the last event received. */
  lastCursor(): string | undefined;
  /** Waits until `count` items have arrived. */
  received(count: number, timeoutMs?: number): Promise<readonly StreamItem<TResult>[]>;
  /** Drops the connection without a close handshake. */
  cut(): void;
  close(): Promise<void>;
}

export function cursorStream<TResult, TVariables>(
  httpUrl: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  token?: string,
): CursorStream<TResult> {
  const items: StreamItem<TResult>[] = [];
  let socket: WebSocket | undefined;
  let markConnected!: () => void;
  const connected = new Promise<void>((resolve) => (markConnected = resolve));
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: {
      connected: (opened) => {
        socket = opened as WebSocket;
        markConnected();
      },
    },
  });
  client.subscribe<TResult, Record<string, unknown>>(
    { query: print(document), variables: variables ?? {} },
    {
      next: (value) => {
        const extensions: Readonly<Record<string, unknown>> = value.extensions ?? {};
        const cursor = extensions['cursor'];
        items.push({
          data: value.data,
          cursor: typeof cursor === 'string' ? cursor : undefined,
          snapshot: extensions['snapshot'] === true,
          errorCodes: (value.errors ?? []).map((error) => String(error.extensions?.['code'])),
        });
      },
      error: (error) => {
        const errors = Array.isArray(error) ? (error as { extensions?: { code?: unknown } }[]) : [];
        items.push({
          data: undefined,
          cursor: undefined,
          snapshot: false,
          errorCodes: errors.map((item) => String(item.extensions?.code)),
        });
      },
      complete: () => undefined,
    },
  );
  return {
    items,
    connected,
    lastCursor: () => items.findLast((item) => item.cursor !== undefined)?.cursor,
    async received(count, timeoutMs = 60_000) {
      await waitFor(() => items.length >= count, {
        timeoutMs,
        message: `${count} items (have ${items.length})`,
      });
      return items;
    },
    cut: () => socket?.terminate(),
    close: async () => {
      await client.dispose();
    },
  };
}
