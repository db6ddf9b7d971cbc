import type { IncomingMessage } from 'node:http';
import type { Viewer } from '@commerce/common/auth';
import type { Logger } from '@commerce/common/logger';
import { GraphQLError } from 'graphql';
import type { WebSocket } from 'ws';
import { SubscriptionCloseCode } from '../subscriptions/connections.js';
import type { Budgets, Exhausted } from './budgets.js';
import { clientAddress } from './client-address.js';
import type { RateLimitMetrics } from './metrics.js';
import { rateLimited, rateLimitedCode, refusalMessage } from './refusal.js';
import type { RateLimitSettings, WebSocketCaps } from './settings.js';

/** What the subscription service asks of its guard (implemented by SocketGuard). */
export interface SubscriptionGuard {
  /** A WebSocket was opened: counts it for its address, and closes it with 4429 over the cap. */
  opened(socket: WebSocket, request: IncomingMessage): void;
  /** At `connection_init`: the new-connection budgets and the per-user cap; false once closed with 4429. */
  admit(socket: WebSocket, viewer: Viewer | null): Promise<boolean>;
  /**
   * Before a subscribe is accepted: errors when its address has no request left (the connection
   * stays open); errors after closing with 4429 when the connection or this instance has too many
   * subscriptions; undefined when accepted (it then counts until `completed`).
   */
  subscribe(
    socket: WebSocket,
    id: string,
    operationKey: string,
  ): Promise<readonly GraphQLError[] | undefined>;
  completed(socket: WebSocket, id: string): void;
}

interface SocketState {
  readonly address: string;
  /** The new-connection budget of the address, taken when the socket opened. */
  readonly admission: Promise<Exhausted | undefined>;
  user: string | undefined;
  /** Accepted subscriptions by id: the operation each one holds. */
  readonly subscriptions: Map<string, string>;
}

/** Rate limits and caps of the graphql-ws connections of one gateway instance. */
export class SocketGuard implements SubscriptionGuard {
  private readonly sockets = new Map<WebSocket, SocketState>();
  private readonly perAddress = new Map<string, number>();
  private readonly perUser = new Map<string, number>();
  /** Subscribers of each distinct operation on this instance. */
  private readonly operations = new Map<string, number>();

  constructor(
    private readonly budgets: Budgets,
    private readonly settings: RateLimitSettings,
    private readonly metrics: RateLimitMetrics,
    private readonly logger: Logger,
  ) {}

  opened(socket: WebSocket, request: IncomingMessage): void {
    const address = clientAddress(request, this.settings.trustedProxies);
    const admission = this.take('connectionsPerAddress', address);
    const state: SocketState = { address, admission, user: undefined, subscriptions: new Map() };
    this.sockets.set(socket, state);
    const open = increment(this.perAddress, address);
    socket.once('close', () => this.closed(socket, state));
    if (open > this.settings.caps.openConnectionsPerAddress) {
      this.refuse(socket, 'openConnectionsPerAddress', 'Too many connections from this address');
    }
  }

  async admit(socket: WebSocket, viewer: Viewer | null): Promise<boolean> {
    const state = this.sockets.get(socket);
    if (!state) return false;
    const exhausted =
      (await state.admission) ?? (viewer ? await this.take('connectionsPerUser', viewer.userId) : undefined);
    if (exhausted) {
      socket.close(SubscriptionCloseCode.TooMany, refusalMessage(exhausted));
      return false;
    }
    if (socket.readyState !== socket.OPEN) return false;
    if (!viewer) return true;
    state.user = viewer.userId;
    if (increment(this.perUser, viewer.userId) > this.settings.caps.openConnectionsPerUser) {
      this.refuse(socket, 'openConnectionsPerUser', 'Too many connections for this user');
      return false;
    }
    return true;
  }

  async subscribe(
    socket: WebSocket,
    id: string,
    operationKey: string,
  ): Promise<readonly GraphQLError[] | undefined> {
    const state = this.sockets.get(socket);
    if (!state) return [new GraphQLError('Connection is closing', { extensions: { code: 'BAD_REQUEST' } })];
    const exhausted = await this.take('requestsPerAddress', state.address);
    if (exhausted) return [rateLimited(exhausted)];
    const { caps } = this.settings;
    if (state.subscriptions.size >= caps.subscriptionsPerConnection) {
      return [this.refuse(socket, 'subscriptionsPerConnection', 'Too many subscriptions on this connection')];
    }
    if (!this.operations.has(operationKey) && this.operations.size >= caps.distinctOperations) {
      return [this.refuse(socket, 'distinctOperations', 'Too many distinct subscriptions on this server')];
    }
    state.subscriptions.set(id, operationKey);
    increment(this.operations, operationKey);
    this.metrics.distinctOperations.set(this.operations.size);
    return undefined;
  }

  completed(socket: WebSocket, id: string): void {
    const state = this.sockets.get(socket);
    const operationKey = state?.subscriptions.get(id);
    if (!state || operationKey === undefined) return;
    state.subscriptions.delete(id);
    decrement(this.operations, operationKey);
    this.metrics.distinctOperations.set(this.operations.size);
  }

  private closed(socket: WebSocket, state: SocketState): void {
    for (const id of [...state.subscriptions.keys()]) this.completed(socket, id);
    this.sockets.delete(socket);
    decrement(this.perAddress, state.address);
    if (state.user !== undefined) decrement(this.perUser, state.user);
  }

  /** Closes the socket with 4429 naming the cap; returns the matching error for a subscribe. */
  private refuse(socket: WebSocket, cap: keyof WebSocketCaps, what: string): GraphQLError {
    const reason = `${what} (max ${this.settings.caps[cap]})`;
    this.metrics.reachedCap(cap);
    socket.close(SubscriptionCloseCode.TooMany, reason);
    return tooMany(reason);
  }

  private async take(
    rate: 'connectionsPerAddress' | 'connectionsPerUser' | 'requestsPerAddress',
    key: string,
  ): Promise<Exhausted | undefined> {
    try {
      const outcome = await this.budgets.take([{ rate, key, points: 1 }]);
      if ('taken' in outcome) return undefined;
      this.metrics.refused(outcome.rate);
      return outcome;
    } catch (error) {
      // A store that fails and its in-memory insurance too: admit rather than drop every client.
      this.logger.warn({ err: error, rate }, 'rate limit not checked');
      return undefined;
    }
  }
}

function tooMany(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: rateLimitedCode } });
}

function increment(counts: Map<string, number>, key: string): number {
  const count = (counts.get(key) ?? 0) + 1;
  counts.set(key, count);
  return count;
}

function decrement(counts: Map<string, number>, key: string): void {
  const count = (counts.get(key) ?? 0) - 1;
  if (count > 0) counts.set(key, count);
  else counts.delete(key);
}
