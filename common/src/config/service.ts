import { ConfigError, readInt, readString, type Env } from './env.js';
import { readJwtConfig, type JwtConfig } from './jwt.js';
import { readKafkaConfig, type KafkaConfig } from './kafka.js';

/** What every subgraph process reads: where it listens, its broker and its JWT keys. */
export interface ServiceConfig {
  /** PORT, default per service (4001..4004). */
  readonly port: number;
  /** HOST, default 127.0.0.1 (set 0.0.0.0 in a container). */
  readonly host: string;
  /** KAFKA_BROKERS (required) and the other KAFKA_* settings. */
  readonly kafka: KafkaConfig;
  readonly jwt: JwtConfig;
}

export function readServiceConfig(env: Env, defaultPort: number): ServiceConfig {
  const kafka = readKafkaConfig(env);
  if (!kafka || kafka.brokers.length === 0)
    throw new ConfigError('Missing environment variable KAFKA_BROKERS');
  return {
    port: readInt(env, 'PORT', defaultPort),
    host: readString(env, 'HOST', '127.0.0.1'),
    kafka,
    jwt: readJwtConfig(env),
  };
}

/** The database named by a MongoDB URL's path: "mongodb://host:27017/commerce?x=y" -> "commerce". */
export function mongoDatabaseName(url: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]*)/.exec(url);
  const name = decodeURIComponent(match?.[1] ?? '');
  if (!name) {
    throw new ConfigError(
      'MONGODB_URL must name the database in its path, e.g. mongodb://127.0.0.1:27017/commerce',
    );
  }
  return name;
}
