import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GraphQLDataSource } from '@apollo/gateway';
import type { LogPosition, TopicLog, TopicName } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import type { Registry } from 'prom-client';
import { WebSocketServer } from 'ws';
import type { SubscriptionGuard } from '../rate-limits/socket-guard.js';
import type { OperationLimiter } from '../limits/operation-limiter.js';
import { defaultBacklogLimits, type BacklogLimits } from './backlog.js';
import { Connections } from './connections.js';
import { EventExecutor, type EventExecution } from './executor.js';
import { encodeCursor } from './cursor.js';
import { subscriptionFieldNames, subscriptionFields, type SubscriptionField } from './fields.js';
import { defaultFanOut, SubscriptionHub, type FanOutSettings } from './hub.js';
import { LiveTopics } from './live-topics.js';
import { ReplayReaders } from './replay.js';
import { Resumption } from './resume.js';
import { occurredAt } from './subscriber.js';
import { SubscriptionMetrics } from './metrics.js';
import { graphqlWsOptions } from './protocol.js';
import { SubscriptionPlanner } from './planner.js';
import { serveGraphqlWs } from './ws-server.js';
import type { TrustedDocuments } from '../trusted-documents/trusted-documents.js';

export interface SubscriptionServiceOptions {
  /** The gateway's HTTP server: WebSocket upgrades of `path` are served here. */
  readonly server: Server;
  /** Where the subscription topics are read from, by position (Kafka in production). */
  readonly log: TopicLog;
  readonly supergraphSdl: string;
  /**
   * The gateway's data source for an HTTP subgraph (name and URL as composed into the supergraph),
   * told which topics the service answers events of as soon as it reads them.
   */
  readonly dataSource: (name: string, url: string, liveTopics: readonly TopicName[]) => GraphQLDataSource;
  readonly jwtPublicKey: string;
  readonly logger: Logger;
  /** Receives the service's metrics (the gateway's own registry). */
  readonly registry: Registry;
  /** Names this instance in logs; default: random per process. */
  readonly instanceId?: string;
  /** Default /graphql. */
  readonly path?: string;
  /** Interval of WebSocket pings (a peer that misses a pong is dropped); default 12 000 ms. */
  readonly keepAliveMs?: number;
  readonly limits?: Partial<BacklogLimits>;
  /** Rate limits and caps of the connections and subscriptions (4429); default none. */
  readonly guard?: SubscriptionGuard;
  /** Introspection and "Did you mean …" suggestions in errors (default true). */
  readonly introspection?: boolean;
  /** Which documents run, by id or by text; default: by text only (mode off). */
  readonly trustedDocuments?: TrustedDocuments | undefined;
  /** The gateway's operation limits, applied to every subscription document; none: unlimited. */
  readonly operationLimiter?: OperationLimiter | undefined;
  /** How results reach the sockets (default: `defaultFanOut`). */
  readonly fanOut?: Partial<FanOutSettings>;
}

/** Live subscriptions over graphql-ws, fed by Kafka, running inside the gateway process. */
export interface SubscriptionService {
  readonly instanceId: string;
  readonly topics: readonly TopicName[];
  /** Replay readers running now (shared by the subscribers resuming from nearby cursors). */
  replayReaderCount(): number;
  /** Active subscriptions on this instance. */
  subscriptionCount(): number;
  /** Changes how results reach the sockets from the next fan-out on (the benchmark compares them). */
  tuneFanOut(settings: Partial<FanOutSettings>): void;
  /** Open WebSocket connections on this instance. */
  connectionCount(): number;
  /** Stops consuming, completes every open subscription (`complete` sent), then closes the sockets. */
  close(): Promise<void>;
}

/**
 * Starts the subscription service on the gateway's HTTP server: graphql-ws on upgrades of /graphql,
 * one live reader per subscription topic from its end (no consumer group: every instance sees
 * every event, and leaves nothing behind in Kafka), and replay readers for subscribers resuming
 * with a cursor from any instance.
 */
export async function startSubscriptionService(
  options: SubscriptionServiceOptions,
): Promise<SubscriptionService> {
  const logger = options.logger.child({ component: 'subscriptions' });
  const instanceId = options.instanceId ?? randomBytes(6).toString('hex');
  const path = options.path ?? '/graphql';
  const metrics = new SubscriptionMetrics(options.registry);
  const planner = new SubscriptionPlanner(options.supergraphSdl, {
    introspection: options.introspection ?? true,
    limiter: options.operationLimiter,
  });
  const topics = subscriptionFieldNames.map((field) => subscriptionFields[field].topic);
  const subgraphs = Object.fromEntries(
    planner.subgraphs
      .filter(({ name }) => name !== 'subscriptions')
      .map(({ name, url }) => [name, options.dataSource(name, url, topics)]),
  );
  const executor = new EventExecutor(planner, subgraphs, logger);
  const execute = (execution: EventExecution) => executor.execute(execution);
  const { log } = options;
  const cursorOf = (field: SubscriptionField, position: LogPosition): string =>
    encodeCursor(`${log.namespace}${subscriptionFields[field].topic}`, position);
  const fanOut: FanOutSettings = { ...defaultFanOut, ...options.fanOut };
  const hub = new SubscriptionHub({
    execute,
    metrics,
    logger,
    limits: { ...defaultBacklogLimits, ...options.limits },
    cursorOf,
    fanOut,
  });
  const live = new LiveTopics(log, subscriptionFieldNames, logger);
  const replays = new Map(
    subscriptionFieldNames.map((field) => [
      field,
      new ReplayReaders({
        log,
        field,
        topic: subscriptionFields[field].topic,
        execute,
        cursorOf: (position) => cursorOf(field, position),
        metrics,
        logger,
      }),
    ]),
  );
  const resumption = new Resumption({
    hub,
    live,
    log,
    replays,
    execute,
    query: (subgraph, query, variables, execution) => executor.query(subgraph, query, variables, execution),
    cursorOf,
    metrics,
    logger,
  });
  await live.start((event, producedAtMs) => {
    const { field } = event.input;
    metrics.eventsConsumed.inc({ topic: subscriptionFields[field].topic });
    const occurredAtMs = occurredAt(event);
    const consumedAtMs = event.consumedAtMs ?? Date.now();
    if (producedAtMs === undefined) metrics.stage('consumed', field, consumedAtMs - occurredAtMs);
    else {
      metrics.stage('produced', field, producedAtMs - occurredAtMs);
      metrics.stage('consumed', field, consumedAtMs - producedAtMs);
    }
    hub.dispatch(event);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const connections = new Connections(metrics);
  const { guard } = options;
  wss.on('connection', (socket, request) => {
    connections.opened(socket);
    guard?.opened(socket, request);
  });
  const graphqlWs = serveGraphqlWs(
    graphqlWsOptions({
      planner,
      resumption,
      connections,
      jwtPublicKey: options.jwtPublicKey,
      logger,
      guard,
      trustedDocuments: options.trustedDocuments,
      fanOut,
    }),
    wss,
    options.keepAliveMs ?? 12_000,
    logger,
  );
  let closing: Promise<void> | undefined;
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (pathname !== path || closing) {
      socket.end(
        `HTTP/1.1 ${closing ? '503 Service Unavailable' : '404 Not Found'}\r\nconnection: close\r\n\r\n`,
      );
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  options.server.on('upgrade', onUpgrade);
  logger.info({ instanceId, topics }, 'subscriptions ready');

  return {
    instanceId,
    topics,
    replayReaderCount: () => [...replays.values()].reduce((sum, readers) => sum + readers.size, 0),
    subscriptionCount: () => hub.size,
    tuneFanOut: (settings) => void Object.assign(fanOut, settings),
    connectionCount: () => connections.size,
    close() {
      closing ??= (async () => {
        options.server.off('upgrade', onUpgrade);
        for (const readers of replays.values()) readers.close();
        const stopping = live
          .stop()
          .catch((error: unknown) => logger.warn({ err: error }, 'live readers did not stop cleanly'));
        // No `complete`: the subscriptions are not over, this instance is. Clients resume elsewhere
        // with their last cursor (the typed client does so on 1001).
        await connections.flushed(() => hub.queued(), 2_000);
        await connections.closeAll(1001, 'Server shutting down: resume with your last cursor', 2_000);
        await graphqlWs.dispose();
        await stopping;
      })();
      return closing;
    },
  };
}
