import pg from 'pg';

/** A small PostgreSQL client for tests that check what a service stored. */
export interface SqlClient {
  query<T>(sql: string, parameters?: readonly unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export function sqlClient(url: string): SqlClient {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  return {
    query: async <T>(sql: string, parameters: readonly unknown[] = []): Promise<T[]> => {
      const result = await pool.query(sql, [...parameters]);
      return result.rows as T[];
    },
    close: () => pool.end(),
  };
}
