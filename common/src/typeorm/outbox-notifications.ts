import pg from 'pg';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import type { Logger } from '../logger.js';

/** The PostgreSQL channel on which every insert into outbox_event is announced. */
export const outboxChannel = 'outbox_event';

/**
 * Makes every statement inserting into outbox_event announce itself on `outboxChannel`
 * (PostgreSQL only; a migration's step). The notification is delivered when the writing
 * transaction commits, and only then; identical notifications of one transaction are merged, so
 * a statement-level trigger costs a write nothing noticeable.
 */
export async function createOutboxNotifyTrigger(runner: QueryRunner): Promise<void> {
  await runner.query(`
    CREATE OR REPLACE FUNCTION outbox_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('${outboxChannel}', '');
      RETURN NULL;
    END $$`);
  await runner.query(`
    CREATE TRIGGER outbox_event_notify AFTER INSERT ON outbox_event
      FOR EACH STATEMENT EXECUTE FUNCTION outbox_event_notify()`);
}

/**
 * The PostgreSQL migration adding the trigger to a subgraph's outbox_event table (after the
 * migration that creates the table); every subgraph with a PostgreSQL outbox lists it.
 */
export class OutboxNotify1795756400000 implements MigrationInterface {
  readonly name = 'OutboxNotify1795756400000';

  async up(runner: QueryRunner): Promise<void> {
    await createOutboxNotifyTrigger(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TRIGGER outbox_event_notify ON outbox_event');
    await runner.query('DROP FUNCTION outbox_event_notify()');
  }
}

const maxReconnectDelayMs = 5_000;

/**
 * LISTENs on `outboxChannel` over a connection of its own (outside the data source's pool) and
 * calls `wake` on each notification, and after each (re)connection: rows committed while it was
 * not listening are found at once. A lost connection is opened again with backoff (100 ms doubling
 * to 5 s). Resolves nothing: returns the function that stops listening.
 */
export function listenForOutboxEvents(
  dataSource: DataSource,
  wake: () => void,
  logger: Logger,
): () => Promise<void> {
  const log = logger.child({ component: 'outbox-listener' });
  let closed = false;
  let client: pg.Client | undefined;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;

  const lost = (dead: pg.Client, error?: unknown): void => {
    if (closed || client !== dead) return;
    client = undefined;
    failures += 1;
    if (failures === 1)
      log.warn({ err: error }, 'outbox notifications lost; reconnecting (polling meanwhile)');
    dead.end().catch(() => undefined);
    retry = setTimeout(connect, Math.min(maxReconnectDelayMs, 100 * 2 ** (failures - 1)));
  };

  const connect = (): void => {
    const next = new pg.Client(clientConfig(dataSource));
    client = next;
    next.on('notification', () => wake());
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next));
    next
      .connect()
      .then(() => next.query(`LISTEN ${outboxChannel}`))
      .then(() => {
        if (failures > 0) log.info({ failures }, 'outbox notifications back');
        failures = 0;
        wake();
      })
      .catch((error: unknown) => lost(next, error));
  };

  connect();
  return async () => {
    closed = true;
    clearTimeout(retry);
    const last = client;
    client = undefined;
    await last?.end().catch(() => undefined);
  };
}

/** The data source's connection settings, for a client of its own. */
function clientConfig(dataSource: DataSource): pg.ClientConfig {
  const { options } = dataSource;
  if (options.type !== 'postgres') throw new Error('Outbox notifications need PostgreSQL');
  return {
    connectionString: options.url,
    host: options.host,
    port: options.port,
    user: options.username,
    password: options.password,
    database: options.database,
    // TypeORM declares Node's server-side TLS type but hands the same object to pg, as here.
    ssl: options.ssl as pg.ClientConfig['ssl'],
    application_name: `${options.applicationName ?? 'commerce'}-outbox-listener`,
    // A dead peer is noticed by keep-alive even while no notification comes.
    keepAlive: true,
  };
}
