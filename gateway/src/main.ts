import { readFileSync } from 'node:fs';
import { createKafkaEventBus } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { runService } from '@commerce/common/server';
import { loadGatewayConfig } from './config.js';
import { startGateway } from './gateway.js';

const logger = createLogger('gateway');

runService(logger, async () => {
  const config = loadGatewayConfig(process.env);
  const bus = createKafkaEventBus('gateway', config.kafka, logger);
  await bus.ensureTopics();
  const gateway = await startGateway({
    supergraphSdl: readFileSync(config.supergraphPath, 'utf8'),
    subgraphUrls: config.subgraphUrls,
    jwtPublicKey: config.jwt.publicKey,
    logger,
    port: config.port,
    host: config.host,
    subscriptions: { bus },
  });
  logger.info({ url: gateway.url, subgraphs: config.subgraphUrls }, `gateway ready at ${gateway.url}`);
  return [() => bus.close(), () => gateway.close()];
});
