/**
 * `npm run dlq -- list <topic> [--group g]`
 * `npm run dlq -- replay <topic> [--group g] [--limit n]`
 *
 * Lists the dead letters of a topic (`<KAFKA_TOPIC_PREFIX><topic>.dlq`), or publishes them again to
 * the original topic (original key, bytes and headers, without the dlq-* ones). KAFKA_BROKERS comes
 * from the environment or, when unset, from .infra/env (`npm run infra:up`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createKafkaClient } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { formatDeadLetter, listDeadLetters, replayDeadLetters } from '@commerce/supergraph';

const usage = `usage: npm run dlq -- list <topic> [--group <group>]
       npm run dlq -- replay <topic> [--group <group>] [--limit <n>]
  <topic> is the original topic, e.g. order.placed (its dead letters are on order.placed.dlq)`;

function infraEnv(): Record<string, string> {
  const file = new URL('../.infra/env', import.meta.url);
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim()]),
  );
}

async function main(argv: readonly string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { group: { type: 'string' }, limit: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, topic] = positionals;
  if (values.help || !topic || (command !== 'list' && command !== 'replay') || positionals.length > 2) {
    console.error(usage);
    return values.help ? 0 : 2;
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    console.error(`--limit must be a non-negative integer, got "${values.limit}"`);
    return 2;
  }
  const env = { ...infraEnv(), ...process.env };
  const brokers = (env['KAFKA_BROKERS'] ?? '').split(',').filter(Boolean);
  if (brokers.length === 0) {
    console.error('KAFKA_BROKERS is not set (and no .infra/env): start the broker with npm run infra:up');
    return 1;
  }
  const logger = createLogger('dlq');
  const query = {
    kafka: createKafkaClient('dlq', brokers, logger),
    topicPrefix: env['KAFKA_TOPIC_PREFIX'] ?? '',
    topic,
    ...(values.group === undefined ? {} : { group: values.group }),
  };
  const where = `${query.topicPrefix}${topic.replace(/\.dlq$/, '')}.dlq${values.group ? ` (group ${values.group})` : ''}`;
  if (command === 'list') {
    const letters = await listDeadLetters(query);
    for (const letter of letters) console.log(formatDeadLetter(letter));
    console.log(`${letters.length} dead letter(s) on ${where}`);
  } else {
    const letters = await replayDeadLetters({ ...query, ...(limit === undefined ? {} : { limit }) });
    for (const letter of letters) console.log(`replayed ${formatDeadLetter(letter)}`);
    console.log(`${letters.length} dead letter(s) replayed from ${where}`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
