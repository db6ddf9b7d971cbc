import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { EmbeddedSqlOutboxSource, exclusive, isEmbeddedSql } from '@commerce/common/embedded';
import { OutboxRelay } from '@commerce/common/events';
import {
  serveSubgraph,
  type HealthReport,
  type RunningSubgraph,
  type SubgraphDeps,
} from '@commerce/common/server';
import { TypeormOutboxSource } from '@commerce/common/typeorm';
import { parse } from 'graphql';
import type { DataSource } from 'typeorm';
import { TypeormUserStore } from './adapters/typeorm/user-store.js';
import { createContext } from './context.js';
import { Accounts } from './domain/accounts.js';
import { Sessions } from './domain/sessions.js';
import { meetsPasswordPolicy, passwordRule } from './domain/validation.js';
import { resolvers } from './resolvers/index.js';
import { usersSubgraph } from './subgraph.js';

/** What the users subgraph is started with; the caller owns (and closes) the data source and the bus. */
export type UsersDeps = SubgraphDeps & {
  /**
   * Initialized, with migrations run: PostgreSQL (createUsersDataSource) or the embedded SQLite
   * database (createEmbeddedUsersDataSource).
   */
  readonly dataSource: DataSource;
};

/**
 * Starts the users subgraph: seeds the admin (`deps.admin`), starts the outbox relay and serves
 * GraphQL. `jwt` must carry the private key: this subgraph signs the access tokens.
 * `close()` stops the HTTP server and the relay, not the data source or the bus.
 */
export async function startUsersSubgraph(deps: UsersDeps): Promise<RunningSubgraph> {
  const { dataSource, bus, jwt, logger } = deps;
  if (!jwt.privateKey) {
    throw new Error(
      'The users subgraph signs access tokens: set JWT_PRIVATE_KEY (jwt.privateKey is missing)',
    );
  }
  const schema = buildSubgraphSchema({
    typeDefs: parse(readFileSync(usersSubgraph.sdlPath, 'utf8')),
    resolvers,
  });
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
  if (deps.admin) {
    const { admin } = deps;
    if (!meetsPasswordPolicy(admin.password)) logger.warn(`ADMIN_PASSWORD is weak: ${passwordRule}`);
    try {
      const outcome = await accounts.seedAdmin(admin, {
        source: usersSubgraph.name,
        correlationId: randomUUID(),
      });
      const email = admin.email.trim().toLowerCase();
      if (outcome === 'not an admin')
        logger.warn({ email }, 'ADMIN_EMAIL names an account that is not an ADMIN: left unchanged');
      else if (outcome === 'password changed')
        logger.info({ email, outcome }, 'admin password set from ADMIN_PASSWORD; its refresh tokens revoked');
      else logger.info({ email, outcome }, 'admin account checked');
    } catch (error) {
      await relay.stop();
      throw error;
    }
  }
  return serveSubgraph({
    name: usersSubgraph.name,
    schema,
    publicKey: jwt.publicKey,
    context: (base) => createContext(base, { accounts, sessions, store }),
    relay,
    logger,
    port: deps.port,
    host: deps.host,
    health: () => health(dataSource, relay),
  });
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
