import { readFileSync } from 'node:fs';
import { createLogger } from '@commerce/common/logger';
import { loadGatewayConfig } from './config.js';
import { startGateway } from './gateway.js';

const logger = createLogger('gateway');

try {
  const config = loadGatewayConfig(process.env);
  const gateway = await startGateway({
    supergraphSdl: readFileSync(config.supergraphPath, 'utf8'),
    subgraphUrls: config.subgraphUrls,
    jwtPublicKey: config.jwt.publicKey,
    logger,
    port: config.port,
    host: config.host,
  });
  logger.info({ url: gateway.url, subgraphs: config.subgraphUrls }, `gateway ready at ${gateway.url}`);
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'gateway stopping');
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'gateway failed to stop cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
} catch (error) {
  logger.fatal({ err: error }, 'gateway failed to start');
  process.exitCode = 1;
}
