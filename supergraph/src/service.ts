import { readFileSync } from 'node:fs';
import { ConfigError, type Env } from '@commerce/common/config';
import { createKafkaEventBus, createKafkaTopicLog } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import type { Closer } from '@commerce/common/server';
import { readOperationLimits, startGateway } from '@commerce/gateway';
import { Closers } from './closers.js';
import { loadGatewayServiceConfig, loadSubgraphServiceConfig } from './service-config.js';
import { findSubgraph, subgraphs, type ListedSubgraph } from './subgraphs.js';

/** The services that run as processes of their own: the gateway and every listed subgraph. */
export const serviceNames = ['gateway', ...subgraphs.map((subgraph) => subgraph.name)] as const;

/** A service started by startService. */
export interface StartedService {
  /** Where it serves GraphQL. */
  readonly url: string;
  /** How to close what it opened, in the order it was opened (runService closes them in reverse). */
  readonly closers: Closer[];
}

/**
 * Starts one service as its own process (a container, or a child of `npm start`): `gateway`, or a
 * listed subgraph on its own database and Kafka.
 */
export async function startService(name: string, env: Env, logger: Logger): Promise<StartedService> {
  if (name === 'gateway') return startGatewayService(env, logger);
  const subgraph = findSubgraph(name);
  if (!subgraph) throw new ConfigError(`Unknown service "${name}": one of ${serviceNames.join(', ')}`);
  return startSubgraphService(subgraph, env, logger);
}

async function startSubgraphService(
  subgraph: ListedSubgraph,
  env: Env,
  logger: Logger,
): Promise<StartedService> {
  const config = loadSubgraphServiceConfig(subgraph, env);
  const closers = new Closers();
  const what = `The ${subgraph.name} service`;
  return closers.undoOnFailure(what, async () => {
    const opened = await subgraph.open({ mode: 'servers', url: config.databaseUrl });
    closers.push(() => opened.close());
    const bus = createKafkaEventBus(subgraph.name, config.kafka, logger);
    closers.push(() => bus.close());
    await bus.ensureTopics();
    // The subgraph logs its one "<name> subgraph ready" line with the URL.
    const running = await opened.start({
      bus,
      jwt: subgraph.signsTokens ? config.jwt : { ...config.jwt, privateKey: null },
      logger,
      port: config.port,
      host: config.host,
      admin: config.admin,
      orderPolicy: config.orderPolicy,
    });
    closers.push(() => running.close());
    return { url: running.url, closers: [() => closers.closeAll(what)] };
  });
}

async function startGatewayService(env: Env, logger: Logger): Promise<StartedService> {
  const config = loadGatewayServiceConfig(env);
  const operationLimits = readOperationLimits(env);
  const bus = createKafkaEventBus('gateway', config.kafka, logger);
  await bus.ensureTopics();
  const gateway = await startGateway({
    supergraphSdl: readFileSync(config.supergraphPath, 'utf8'),
    subgraphUrls: config.subgraphUrls,
    jwtPublicKey: config.jwt.publicKey,
    logger,
    port: config.port,
    host: config.host,
    subscriptions: { log: createKafkaTopicLog(config.kafka, logger, () => bus.ensureTopics()) },
    rateLimits: config.rateLimits,
    exposure: config.exposure,
    trustedDocuments: config.trustedDocuments,
    operationLimits,
    entityCache: config.entityCache,
  });
  logger.info({ url: gateway.url, subgraphs: config.subgraphUrls }, `gateway ready at ${gateway.url}`);
  return { url: gateway.url, closers: [() => bus.close(), () => gateway.close()] };
}
