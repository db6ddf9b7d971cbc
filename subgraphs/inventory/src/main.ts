import { createKafkaEventBus } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { runService } from '@commerce/common/server';
import { loadConfig } from './config.js';
import { createInventoryDataSource, startInventorySubgraph } from './server.js';

const logger = createLogger('inventory');

runService(logger, async () => {
  const config = loadConfig(process.env);
  const dataSource = await createInventoryDataSource(config.databaseUrl).initialize();
  const bus = createKafkaEventBus('inventory', config.kafka, logger);
  await bus.ensureTopics();
  // serveSubgraph logs the one "inventory subgraph ready" line with the URL.
  const subgraph = await startInventorySubgraph({ ...config, dataSource, bus, logger });
  return [() => dataSource.destroy(), () => bus.close(), () => subgraph.close()];
});
