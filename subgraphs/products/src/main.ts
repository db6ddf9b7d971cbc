import { createKafkaClient, KafkaEventBus } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { MongoClient } from 'mongodb';
import { loadConfig } from './config.js';
import { ensureProductsIndexes, startProductsSubgraph } from './server.js';

const logger = createLogger('products');

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const client = new MongoClient(config.mongodbUrl);
  await client.connect();
  const db = client.db(config.databaseName);
  await ensureProductsIndexes(db);
  const bus = new KafkaEventBus(createKafkaClient('products', config.kafka.brokers, logger), {
    topicPrefix: config.kafka.topicPrefix,
    partitions: config.kafka.partitions,
    logger,
  });
  const subgraph = await startProductsSubgraph({
    db,
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
    logger.info({ signal }, 'shutting down');
    (async () => {
      await subgraph.close();
      await bus.close();
      await client.close();
    })().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'products subgraph failed to start');
  process.exit(1);
});
