import {
  ConfigError,
  readServiceConfig,
  readString,
  type Env,
  type ServiceConfig,
} from '@commerce/common/config';

/** Settings of the users subgraph process (main.ts). */
export interface UsersConfig extends ServiceConfig {
  /** DATABASE_URL (PostgreSQL), required. */
  readonly databaseUrl: string;
  /** ADMIN_EMAIL and ADMIN_PASSWORD, both or neither. */
  readonly admin: { readonly email: string; readonly password: string } | undefined;
}

/** Reads and freezes the configuration; throws ConfigError naming the first missing variable. */
export function loadConfig(env: Env): UsersConfig {
  const service = readServiceConfig(env, 4001);
  const databaseUrl = readString(env, 'DATABASE_URL');
  const adminEmail = env['ADMIN_EMAIL']?.trim();
  const adminPassword = env['ADMIN_PASSWORD'];
  if (adminEmail && !adminPassword) throw new ConfigError('Missing environment variable ADMIN_PASSWORD');
  if (!adminEmail && adminPassword) throw new ConfigError('Missing environment variable ADMIN_EMAIL');
  return Object.freeze({
    ...service,
    databaseUrl,
    admin:
      adminEmail && adminPassword ? Object.freeze({ email: adminEmail, password: adminPassword }) : undefined,
  });
}
