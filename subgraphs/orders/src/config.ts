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

/** Settings of the orders process (main.ts). */
export interface OrdersConfig {
  /** PORT, default 4004. */
  readonly port: number;
  /** HOST, default 0.0.0.0. */
  readonly host: string;
  /** MONGODB_URL (required). */
  readonly mongodbUrl: string;
  /** The database named by MONGODB_URL's path (mongodb://host:27017/<dbName>). */
  readonly dbName: string;
  /** KAFKA_BROKERS (required) and the other KAFKA_* settings. */
  readonly kafka: KafkaConfig;
  readonly jwt: JwtConfig;
}

/** Reads the environment once into a frozen config; fails naming the missing or invalid variable. */
export function loadConfig(env: Env): OrdersConfig {
  const mongodbUrl = readString(env, 'MONGODB_URL');
  const kafka = readKafkaConfig(env);
  if (!kafka) throw new ConfigError('Missing environment variable KAFKA_BROKERS');
  return Object.freeze({
    port: readInt(env, 'PORT', 4004),
    host: readString(env, 'HOST', '0.0.0.0'),
    mongodbUrl,
    dbName: databaseName(mongodbUrl),
    kafka,
    jwt: readJwtConfig(env),
  });
}

function databaseName(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    throw new ConfigError('MONGODB_URL is not a valid URL');
  }
  const name = decodeURIComponent(path.replace(/^\//, ''));
  if (!name)
    throw new ConfigError('MONGODB_URL must name the database, e.g. mongodb://127.0.0.1:27017/orders');
  return name;
}
