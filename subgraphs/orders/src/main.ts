import { createKafkaEventBus } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { runService } from '@commerce/common/server';
import { MongoClient } from 'mongodb';
import { loadConfig } from './config.js';
import { ensureOrdersIndexes, startOrdersSubgraph } from './server.js';

const logger = createLogger('orders');

runService(logger, async () => {
  const config = loadConfig(process.env);
  const client = await new MongoClient(config.mongodbUrl).connect();
  const db = client.db(config.dbName);
  await ensureOrdersIndexes(db);
  const bus = createKafkaEventBus('orders', config.kafka, logger);
  await bus.ensureTopics();
  // serveSubgraph logs the one "orders subgraph ready" line with the URL.
  const subgraph = await startOrdersSubgraph({ ...config, db, bus, logger });
  return [() => client.close(), () => bus.close(), () => subgraph.close()];
});
