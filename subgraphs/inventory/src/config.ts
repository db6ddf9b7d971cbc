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

/** The inventory process's settings. */
export interface InventoryConfig {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  readonly kafka: KafkaConfig;
  readonly jwt: JwtConfig;
}

/** Reads the environment once; fails naming the first missing variable. */
export function loadConfig(env: Env): InventoryConfig {
  const kafka = readKafkaConfig(env);
  if (!kafka) throw new ConfigError('Missing environment variable KAFKA_BROKERS');
  return Object.freeze({
    port: readInt(env, 'PORT', 4003),
    host: readString(env, 'HOST', '127.0.0.1'),
    databaseUrl: readString(env, 'DATABASE_URL'),
    kafka,
    jwt: readJwtConfig(env),
  });
}
