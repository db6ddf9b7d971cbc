import { createKafkaClient, KafkaEventBus } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { loadConfig } from './config.js';
import { createInventoryDataSource, startInventorySubgraph } from './server.js';

const logger = createLogger('inventory');

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const dataSource = await createInventoryDataSource(config.databaseUrl).initialize();
  const bus = new KafkaEventBus(createKafkaClient('inventory', config.kafka.brokers, logger), {
    topicPrefix: config.kafka.topicPrefix,
    partitions: config.kafka.partitions,
    logger,
  });
  // serveSubgraph logs the one 'inventory subgraph ready' line with the URL.
  const subgraph = await startInventorySubgraph({
    dataSource,
    bus,
    jwt: config.jwt,
    logger,
    port: config.port,
    host: config.host,
  });

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'inventory shutting down');
    (async () => {
      await subgraph.close();
      await bus.close();
      await dataSource.destroy();
    })().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'inventory shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'inventory failed to start');
  process.exit(1);
});
