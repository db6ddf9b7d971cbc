import { createKafkaEventBus } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { runService } from '@commerce/common/server';
import { MongoClient } from 'mongodb';
import { loadConfig } from './config.js';
import { ensureProductsIndexes, startProductsSubgraph } from './server.js';

const logger = createLogger('products');

runService(logger, async () => {
  const config = loadConfig(process.env);
  const client = await new MongoClient(config.mongodbUrl).connect();
  const db = client.db(config.databaseName);
  await ensureProductsIndexes(db);
  const bus = createKafkaEventBus('products', config.kafka, logger);
  await bus.ensureTopics();
  // serveSubgraph logs the one "products subgraph ready" line with the URL.
  const subgraph = await startProductsSubgraph({ ...config, db, bus, logger });
  return [() => client.close(), () => bus.close(), () => subgraph.close()];
});
