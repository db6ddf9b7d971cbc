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
import type { SubgraphUrls } from './data-source.js';
import { readEntityCache } from './entity-cache/config.js';
import type { EntityCacheOptions } from './entity-cache/entity-cache.js';
import { readGatewayExposure, type GatewayExposure } from './exposure.js';
import { readTrustedDocuments, type TrustedDocumentsConfig } from './trusted-documents/config.js';

/** The gateway process's settings. */
export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  /** SUPERGRAPH_PATH, default schema/supergraph.graphql of this repository. */
  readonly supergraphPath: string;
  /** One URL per subgraph of the caller's list: `<NAME>_URL`, default http://localhost:<port>/graphql. */
  readonly subgraphUrls: SubgraphUrls;
  readonly jwt: JwtConfig;
  /** KAFKA_BROKERS (required: subscriptions consume the event topics) and the other KAFKA_* settings. */
  readonly kafka: KafkaConfig;
  /** GRAPHQL_INTROSPECTION and METRICS_TOKEN, with NODE_ENV=production's defaults (readGatewayExposure). */
  readonly exposure: GatewayExposure;
  /** TRUSTED_DOCUMENTS and TRUSTED_DOCUMENTS_MANIFEST (readTrustedDocuments). */
  readonly trustedDocuments: TrustedDocumentsConfig;
  /** ENTITY_CACHE and ENTITY_CACHE_MAX_MB (readEntityCache). */
  readonly entityCache: EntityCacheOptions;
}

const defaultSupergraphPath = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

/**
 * Reads the gateway's environment (PORT default 4000). The subgraphs come from the caller, which
 * owns their list: each one's URL is `<NAME>_URL` (e.g. USERS_URL for `users`), defaulting to its
 * port on localhost.
 */
export function loadGatewayConfig(
  env: Env,
  subgraphs: readonly { readonly name: string; readonly port: number }[],
): GatewayConfig {
  const kafka = readKafkaConfig(env);
  if (!kafka) throw new ConfigError('Missing environment variable KAFKA_BROKERS');
  return Object.freeze({
    kafka,
    port: readInt(env, 'PORT', 4000),
    host: readString(env, 'HOST', '127.0.0.1'),
    supergraphPath: readString(env, 'SUPERGRAPH_PATH', defaultSupergraphPath),
    subgraphUrls: Object.freeze(
      Object.fromEntries(
        subgraphs.map(({ name, port }) => [
          name,
          readString(env, urlVariable(name), `http://localhost:${port}/graphql`),
        ]),
      ),
    ),
    jwt: readJwtConfig(env),
    exposure: readGatewayExposure(env),
    trustedDocuments: readTrustedDocuments(env),
    entityCache: readEntityCache(env),
  });
}

/** USERS_URL for `users`, PRODUCT_REVIEWS_URL for `product-reviews`: a name a shell can set. */
export function urlVariable(subgraphName: string): string {
  return `${subgraphName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;
}
