import { DataSource, type EntitySchema, type MigrationInterface } from 'typeorm';
import { KeyedMutex } from '../keyed-mutex.js';
import { writeFileAtomic } from './files.js';

export interface EmbeddedSqlOptions {
  /** The SQLite database file (created on the first write); undefined keeps it in memory. */
  readonly file?: string | undefined;
  readonly entities: readonly EntitySchema[];
  readonly migrations: readonly (new () => MigrationInterface)[];
}

/**
 * A TypeORM DataSource on SQLite compiled to WebAssembly (sql.js: no native build, no server).
 * Not yet initialized: `initialize()` loads `file` when it exists and runs the migrations. After
 * every committed write the whole database is saved to `file` atomically (see writeFileAtomic).
 *
 * sql.js is one connection: use the DataSource only through `exclusive` (the stores do).
 */
export function createEmbeddedSqlDataSource(options: EmbeddedSqlOptions): DataSource {
  const file = options.file;
  return new DataSource({
    type: 'sqljs',
    location: file,
    autoSave: file !== undefined,
    autoSaveCallback: file === undefined ? undefined : (data: Uint8Array) => writeFileAtomic(file, data),
    entities: [...options.entities],
    migrations: [...options.migrations],
    migrationsRun: true,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
  });
}

/** True for a DataSource made by createEmbeddedSqlDataSource. */
export function isEmbeddedSql(dataSource: DataSource): boolean {
  return dataSource.options.type === 'sqljs';
}

/** One lock per embedded database, shared by every store and relay of the process. */
const connections = new WeakMap<DataSource, KeyedMutex>();

/**
 * Runs `work` alone on an embedded DataSource; on any other DataSource, simply runs it.
 *
 * Why: sql.js has a single connection, and TypeORM runs every query and transaction of the
 * DataSource on it. Two transactions at once would interleave on that connection (the second
 * becoming a savepoint of the first), and a write outside a transaction would join whichever is
 * open. Running one unit of work at a time gives each transaction the isolation that row locks
 * give on PostgreSQL. Never nest: `work` must not call `exclusive` on the same DataSource.
 */
export function exclusive<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (!isEmbeddedSql(dataSource)) return work();
  let mutex = connections.get(dataSource);
  if (!mutex) connections.set(dataSource, (mutex = new KeyedMutex()));
  return mutex.run('connection', work);
}

const now = `(strftime('%Y-%m-%d %H:%M:%f', 'now'))`;

/**
 * SQLite DDL of the tables of @commerce/common/typeorm (outbox_event, processed_event), for the
 * embedded migrations of the TypeORM subgraphs. Timestamps are TEXT in TypeORM's SQLite format.
 */
export const embeddedOutboxTablesSql: readonly string[] = [
  `CREATE TABLE outbox_event (
     id integer PRIMARY KEY AUTOINCREMENT,
     topic varchar(200) NOT NULL,
     key varchar(200) NOT NULL,
     envelope text NOT NULL,
     created_at datetime NOT NULL DEFAULT ${now},
     sent_at datetime NULL
   )`,
  `CREATE INDEX outbox_event_unsent ON outbox_event (sent_at, id)`,
  `CREATE TABLE processed_event (
     event_id varchar(64) NOT NULL,
     consumer varchar(100) NOT NULL,
     processed_at datetime NOT NULL DEFAULT ${now},
     PRIMARY KEY (event_id, consumer)
   )`,
];

/** The SQLite expression of "now" in TypeORM's datetime format, for DEFAULT clauses. */
export const embeddedSqlNow = now;
