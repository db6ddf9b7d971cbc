import { KafkaEventBus, createKafkaClient } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { loadConfig } from './config.js';
import { createUsersDataSource, startUsersSubgraph } from './server.js';

const logger = createLogger('users');

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const dataSource = await createUsersDataSource(config.databaseUrl).initialize();
  const bus = new KafkaEventBus(createKafkaClient('users', config.kafka.brokers, logger), {
    topicPrefix: config.kafka.topicPrefix,
    partitions: config.kafka.partitions,
    logger,
  });
  await bus.ensureTopics();
  // serveSubgraph logs the one "users subgraph ready" line with the URL.
  const subgraph = await startUsersSubgraph({
    dataSource,
    bus,
    jwt: config.jwt,
    logger,
    port: config.port,
    host: config.host,
    admin: config.admin,
  });

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await subgraph.close();
    await bus.close();
    await dataSource.destroy();
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stop(signal).then(
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
  logger.fatal({ err: error }, 'users subgraph failed to start');
  process.exit(1);
});
