/**
 * A child process of consumer-crash.int.test.ts: the inventory subgraph on DATABASE_URL and
 * KAFKA_BROKERS (topics KAFKA_TOPIC_PREFIX), whose process dies by SIGKILL right after the effect of
 * the event CRASH_AFTER_EVENT_ID has committed, before the consumer commits its offset.
 */
import { generateKeyPair } from '@commerce/common/auth';
import { createKafkaClient, KafkaEventBus } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { inventorySubgraph } from '@commerce/inventory';
import { WrappingBus } from './wrapping-bus.js';

const env = process.env;
const crashAfter = env['CRASH_AFTER_EVENT_ID'] ?? '';
const logger = createLogger('crashing-inventory');

const storage = await inventorySubgraph.open({ mode: 'servers', url: env['DATABASE_URL'] ?? '' });
const bus = new KafkaEventBus(
  createKafkaClient('crashing-inventory', (env['KAFKA_BROKERS'] ?? '').split(','), logger),
  { topicPrefix: env['KAFKA_TOPIC_PREFIX'] ?? '', logger },
);
const jwt = {
  ...generateKeyPair(),
  privateKey: null,
  accessTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 900,
};
const crashing = new WrappingBus(bus, async (event) => {
  if (event.metadata.eventId !== crashAfter) return;
  process.stdout.write(`crashing after ${crashAfter}\n`);
  process.kill(process.pid, 'SIGKILL');
  await new Promise(() => undefined);
});
await storage.start({ bus: crashing, jwt, logger });
process.stdout.write('ready\n');
