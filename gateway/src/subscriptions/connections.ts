import { setTimeout as sleep } from 'node:timers/promises';
import type { Viewer } from '@commerce/common/auth';
import { CloseCode } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { SubscriberConnection } from './hub.js';
import type { SubscriptionMetrics } from './metrics.js';
import type { SubscriptionField } from './fields.js';

/**
 * Close codes of this service beyond graphql-ws's own (`CloseCode`: 4401 Unauthorized, 4403
 * Forbidden, 4400 BadRequest ...). 1013 "Try Again Later": graphql-ws clients may reconnect, and a
 * reconnected stock subscriber simply resumes from the latest state. 4429: too many (connections
 * or subscriptions, rate-limits/socket-guard.ts), the reason names the cap.
 */
export const SubscriptionCloseCode = {
  TooSlow: 1013,
  GoingAway: 1001,
  TooMany: 4429,
} as const;

/** The longest delay setTimeout accepts (about 24.8 days). */
const maxTimerMs = 2 ** 31 - 1;

/** One acknowledged graphql-ws connection: who holds it, and when their token runs out. */
export class Connection implements SubscriberConnection {
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly socket: WebSocket,
    readonly viewer: Viewer | null,
    readonly authorization: string | undefined,
    /** Operations graphql-ws still runs on this connection (drops to 0 once `complete` is sent). */
    readonly pendingOperations: () => number,
  ) {}

  bufferedBytes(): number {
    return this.socket.bufferedAmount;
  }

  closeTooSlow(field: SubscriptionField): void {
    this.socket.close(SubscriptionCloseCode.TooSlow, `Subscriber too slow (${field})`);
  }

  /** Ends the connection with 4401 when the access token expires. */
  expireAfter(ms: number): void {
    this.expiryTimer = setTimeout(
      () => this.socket.close(CloseCode.Unauthorized, 'Access token expired'),
      Math.min(Math.max(ms, 0), maxTimerMs),
    );
    this.expiryTimer.unref();
  }

  dispose(): void {
    clearTimeout(this.expiryTimer);
  }
}

/** The open sockets of the service and the connections acknowledged on them. */
export class Connections {
  private readonly sockets = new Map<WebSocket, Connection | null>();

  constructor(private readonly metrics: SubscriptionMetrics) {}

  get size(): number {
    return this.sockets.size;
  }

  opened(socket: WebSocket): void {
    this.sockets.set(socket, null);
    this.metrics.connections.inc();
    socket.once('close', () => {
      this.sockets.get(socket)?.dispose();
      this.sockets.delete(socket);
      this.metrics.connections.dec();
    });
  }

  accept(connection: Connection): void {
    if (this.sockets.has(connection.socket)) this.sockets.set(connection.socket, connection);
    else connection.dispose();
  }

  get(socket: WebSocket): Connection | undefined {
    return this.sockets.get(socket) ?? undefined;
  }

  /**
   * Resolves once no result waits in a queue (`queued`) nor in a socket's send buffer, or at the
   * deadline: what subscribers were sent before a shutdown has left this process.
   */
  async flushed(queued: () => number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const busy = (): boolean =>
      queued() > 0 || [...this.sockets.keys()].some((socket) => socket.bufferedAmount > 0);
    while (busy() && Date.now() < deadline) await sleep(10);
  }

  /** Closes every socket and waits for them to close; terminates the ones still open at the deadline. */
  async closeAll(code: number, reason: string, timeoutMs: number): Promise<void> {
    const sockets = [...this.sockets.keys()];
    for (const socket of sockets) socket.close(code, reason);
    const deadline = Date.now() + timeoutMs;
    while (this.sockets.size > 0 && Date.now() < deadline) await sleep(10);
    for (const socket of this.sockets.keys()) socket.terminate();
  }
}
