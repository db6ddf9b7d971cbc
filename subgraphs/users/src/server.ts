import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { JwtConfig } from '@commerce/common/config';
import { OutboxRelay, type EventBus, type Topics } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import { baseContext, serveSubgraph, type HealthReport, type RunningSubgraph } from '@commerce/common/server';
import { EmbeddedSqlOutboxSource, exclusive, isEmbeddedSql } from '@commerce/common/embedded';
import { TypeormOutboxSource } from '@commerce/common/typeorm';
import { parse } from 'graphql';
import type { DataSource } from 'typeorm';
import { TypeormUserStore } from './adapters/typeorm/user-store.js';
import type { Context } from './context.js';
import { Accounts } from './domain/accounts.js';
import { Sessions } from './domain/sessions.js';
import { meetsPasswordPolicy, passwordRule } from './domain/validation.js';
import { createLoaders } from './loaders.js';
import { resolvers } from './resolvers/index.js';

export { createEmbeddedUsersDataSource, createUsersDataSource } from './adapters/typeorm/data-source.js';

/** What the users subgraph needs; the caller owns (and closes) the data source and the bus. */
export interface UsersDeps {
  /**
   * Initialized, with migrations run: PostgreSQL (createUsersDataSource) or the embedded SQLite
   * database (createEmbeddedUsersDataSource).
   */
  readonly dataSource: DataSource;
  readonly bus: EventBus<Topics>;
  /** Must carry the private key: this subgraph signs the access tokens. */
  readonly jwt: JwtConfig;
  readonly logger: Logger;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** An ADMIN account created at start unless a user already has this email. */
  readonly admin?: { readonly email: string; readonly password: string };
}

const schemaUrl = new URL('../../../schema/users.graphql', import.meta.url);

/**
 * Starts the users subgraph: seeds the admin, starts the outbox relay and serves GraphQL.
 * `close()` stops the HTTP server and the relay, not the data source or the bus.
 */
export async function startUsersSubgraph(deps: UsersDeps): Promise<RunningSubgraph> {
  const { dataSource, bus, jwt, logger } = deps;
  if (!jwt.privateKey) {
    throw new Error(
      'The users subgraph signs access tokens: set JWT_PRIVATE_KEY (jwt.privateKey is missing)',
    );
  }
  const store = new TypeormUserStore(dataSource);
  const outbox = isEmbeddedSql(dataSource)
    ? new EmbeddedSqlOutboxSource(dataSource)
    : new TypeormOutboxSource(dataSource);
  const relay = new OutboxRelay(outbox, bus, { logger });
  const accounts = new Accounts({ store, eventsWritten: () => relay.notify() });
  const sessions = new Sessions({
    store,
    tokens: {
      privateKey: jwt.privateKey,
      accessTokenTtlSeconds: jwt.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: jwt.refreshTokenTtlSeconds,
    },
  });

  relay.start();
  try {
    if (deps.admin) {
      if (!meetsPasswordPolicy(deps.admin.password)) logger.warn(`ADMIN_PASSWORD is weak: ${passwordRule}`);
      const outcome = await accounts.seedAdmin(deps.admin, { source: 'users', correlationId: randomUUID() });
      logger.info({ email: deps.admin.email.trim().toLowerCase(), outcome }, 'admin account checked');
    }
    const schema = buildSubgraphSchema({ typeDefs: parse(readFileSync(schemaUrl, 'utf8')), resolvers });
    return await serveSubgraph<Context>({
      name: 'users',
      schema,
      logger,
      port: deps.port,
      host: deps.host,
      context: (request, correlationId) =>
        Promise.resolve({
          ...baseContext(request, correlationId, jwt.publicKey, logger),
          accounts,
          sessions,
          loaders: createLoaders(store),
        }),
      health: () => health(dataSource, relay),
      onClose: () => relay.stop(),
    });
  } catch (error) {
    await relay.stop();
    throw error;
  }
}

async function health(dataSource: DataSource, relay: OutboxRelay): Promise<HealthReport> {
  let database: 'ok' | 'down' = 'ok';
  try {
    await exclusive(dataSource, () => dataSource.query('SELECT 1'));
  } catch {
    database = 'down';
  }
  const status = database === 'down' ? 'down' : relay.health;
  return { status, checks: { database, outboxRelay: relay.health } };
}
