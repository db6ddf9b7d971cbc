import pg from 'pg';

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
