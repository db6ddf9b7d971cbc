import { fileURLToPath } from 'node:url';
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
import type { SubgraphName } from './data-source.js';

/** The gateway process's settings. */
export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  /** SUPERGRAPH_PATH, default schema/supergraph.graphql of this repository. */
  readonly supergraphPath: string;
  readonly subgraphUrls: Readonly<Record<SubgraphName, string>>;
  readonly jwt: JwtConfig;
  /** KAFKA_BROKERS (required: subscriptions consume the event topics) and the other KAFKA_* settings. */
  readonly kafka: KafkaConfig;
}

const defaultSupergraphPath = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

/** Reads the gateway's environment (PORT 4000, USERS_URL … ORDERS_URL on localhost:4001…4004). */
export function loadGatewayConfig(env: Env): GatewayConfig {
  const kafka = readKafkaConfig(env);
  if (!kafka) throw new ConfigError('Missing environment variable KAFKA_BROKERS');
  return Object.freeze({
    kafka,
    port: readInt(env, 'PORT', 4000),
    host: readString(env, 'HOST', '127.0.0.1'),
    supergraphPath: readString(env, 'SUPERGRAPH_PATH', defaultSupergraphPath),
    subgraphUrls: Object.freeze({
      users: readString(env, 'USERS_URL', 'http://localhost:4001/graphql'),
      products: readString(env, 'PRODUCTS_URL', 'http://localhost:4002/graphql'),
      inventory: readString(env, 'INVENTORY_URL', 'http://localhost:4003/graphql'),
      orders: readString(env, 'ORDERS_URL', 'http://localhost:4004/graphql'),
    }),
    jwt: readJwtConfig(env),
  });
}
