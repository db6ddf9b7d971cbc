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

/** Settings of the products process (main.ts). */
export interface ProductsConfig {
  readonly port: number;
  readonly host: string;
  readonly mongodbUrl: string;
  /** The database named in MONGODB_URL's path. */
  readonly databaseName: string;
  readonly kafka: KafkaConfig;
  readonly jwt: JwtConfig;
}

/** Reads the environment; fails naming the first missing or invalid variable. */
export function loadConfig(env: Env): ProductsConfig {
  const mongodbUrl = readString(env, 'MONGODB_URL');
  const kafka = readKafkaConfig(env);
  if (!kafka || kafka.brokers.length === 0)
    throw new ConfigError('Missing environment variable KAFKA_BROKERS');
  return Object.freeze({
    port: readInt(env, 'PORT', 4002),
    host: readString(env, 'HOST', '127.0.0.1'),
    mongodbUrl,
    databaseName: databaseNameOf(mongodbUrl),
    kafka,
    jwt: readJwtConfig(env),
  });
}

/** "mongodb://host:27017/commerce?x=y" -> "commerce". */
export function databaseNameOf(url: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]*)/.exec(url);
  const name = decodeURIComponent(match?.[1] ?? '');
  if (!name)
    throw new ConfigError(
      'MONGODB_URL must name the database in its path, e.g. mongodb://127.0.0.1:27017/commerce',
    );
  return name;
}
