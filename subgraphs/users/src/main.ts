import { createKafkaEventBus } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { runService } from '@commerce/common/server';
import { loadConfig } from './config.js';
import { createUsersDataSource, startUsersSubgraph } from './server.js';

const logger = createLogger('users');

runService(logger, async () => {
  const config = loadConfig(process.env);
  const dataSource = await createUsersDataSource(config.databaseUrl).initialize();
  const bus = createKafkaEventBus('users', config.kafka, logger);
  await bus.ensureTopics();
  // serveSubgraph logs the one "users subgraph ready" line with the URL.
  const subgraph = await startUsersSubgraph({ ...config, dataSource, bus, logger });
  return [() => dataSource.destroy(), () => bus.close(), () => subgraph.close()];
});
