import { MongoClient } from 'mongodb';
import { createKafkaClient, KafkaEventBus } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { loadConfig } from './config.js';
import { ensureOrdersIndexes, startOrdersSubgraph } from './server.js';

async function main(): Promise<void> {
  const logger = createLogger('orders');
  const config = loadConfig(process.env);
  const client = await new MongoClient(config.mongodbUrl).connect();
  const db = client.db(config.dbName);
  await ensureOrdersIndexes(db);
  const bus = new KafkaEventBus(createKafkaClient('orders', config.kafka.brokers, logger), {
    topicPrefix: config.kafka.topicPrefix,
    partitions: config.kafka.partitions,
    logger,
  });
  await bus.ensureTopics();
  const subgraph = await startOrdersSubgraph({
    db,
    bus,
    jwt: config.jwt,
    logger,
    port: config.port,
    host: config.host,
  });

  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    await subgraph.close();
    await bus.close();
    await client.close();
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    // `on`, not `once`: Apollo Server re-raises the signal after stopping itself, which would kill the
    // process before the bus and the database client are closed if no listener were left.
    process.on(signal, () => {
      shutdown(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  // The logger may not exist yet (bad configuration): report on stderr and exit non-zero.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
