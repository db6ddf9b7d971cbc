import {
  ConfigError,
  readInt,
  readJwtConfig,
  readKafkaConfig,
  readString,
  type Env,
  type JwtConfig,
  type KafkaConfig,
} from '@commerce/common/config';

/** Settings of the users subgraph process (main.ts). */
export interface UsersConfig {
  /** PORT, default 4001. */
  readonly port: number;
  /** HOST, default 127.0.0.1 (set 0.0.0.0 in a container). */
  readonly host: string;
  /** DATABASE_URL (PostgreSQL), required. */
  readonly databaseUrl: string;
  /** KAFKA_BROKERS, required. */
  readonly kafka: KafkaConfig;
  readonly jwt: JwtConfig;
  /** ADMIN_EMAIL and ADMIN_PASSWORD, both or neither. */
  readonly admin: { readonly email: string; readonly password: string } | undefined;
}

/** Reads and freezes the configuration; throws ConfigError naming the first missing variable. */
export function loadConfig(env: Env): UsersConfig {
  const databaseUrl = readString(env, 'DATABASE_URL');
  const kafka = readKafkaConfig(env);
  if (!kafka) throw new ConfigError('Missing environment variable KAFKA_BROKERS');
  const adminEmail = env['ADMIN_EMAIL']?.trim();
  const adminPassword = env['ADMIN_PASSWORD'];
  if (adminEmail && !adminPassword) throw new ConfigError('Missing environment variable ADMIN_PASSWORD');
  if (!adminEmail && adminPassword) throw new ConfigError('Missing environment variable ADMIN_EMAIL');
  return Object.freeze({
    port: readInt(env, 'PORT', 4001),
    host: readString(env, 'HOST', '127.0.0.1'),
    databaseUrl,
    kafka,
    jwt: readJwtConfig(env),
    admin:
      adminEmail && adminPassword ? Object.freeze({ email: adminEmail, password: adminPassword }) : undefined,
  });
}
