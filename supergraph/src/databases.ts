import pg from 'pg';
import { forEachSubgraph } from './each-subgraph.js';
import type { SubgraphName } from './subgraphs.js';

/**
 * The same server URL with another database in its path, keeping credentials and options
 * (postgres://, mongodb:// and mongodb+srv://, several hosts included).
 */
export function withDatabase(url: string, database: string): string {
  const match = /^([a-z+]+:\/\/[^/?]+)(\/[^?]*)?(\?.*)?$/.exec(url);
  if (match?.[1] === undefined) throw new Error(`Cannot parse server URL ${url}`);
  return `${match[1]}/${database}${match[3] ?? ''}`;
}

/** Creates the PostgreSQL database when missing; resolves with its URL. */
export async function ensurePostgresDatabase(serverUrl: string, database: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, database);
}

/** The database URLs of `npm start` on the servers: each subgraph's own, and the gateway's rate limits. */
export interface StartDatabases {
  readonly subgraphs: Readonly<Record<SubgraphName, string>>;
  readonly gateway: string;
}

/**
 * Creates (where missing) `npm start`'s databases on the servers: `<prefix>_<name>` for each listed
 * subgraph on the server its descriptor names, and `<prefix>_gateway` on PostgreSQL for the
 * gateway's rate-limit counters.
 */
export async function ensureStartDatabases(
  servers: { readonly databaseUrl: string; readonly mongodbUrl: string },
  prefix: string,
): Promise<StartDatabases> {
  const [subgraphUrls, gateway] = await Promise.all([
    forEachSubgraph((subgraph) =>
      subgraph.server === 'postgres'
        ? ensurePostgresDatabase(servers.databaseUrl, `${prefix}_${subgraph.name}`)
        : Promise.resolve(withDatabase(servers.mongodbUrl, `${prefix}_${subgraph.name}`)),
    ),
    ensurePostgresDatabase(servers.databaseUrl, `${prefix}_gateway`),
  ]);
  return { subgraphs: subgraphUrls, gateway };
}
