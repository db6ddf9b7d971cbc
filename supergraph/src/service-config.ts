import {
  ConfigError,
  mongoDatabaseName,
  readServiceConfig,
  readString,
  type Env,
  type ServiceConfig,
} from '@commerce/common/config';
import type { AdminAccount, SubgraphDescriptor } from '@commerce/common/server';
import {
  loadGatewayConfig,
  loadRateLimitConfig,
  type GatewayConfig,
  type RateLimitOptions,
} from '@commerce/gateway';
import { subgraphs } from './subgraphs.js';

/** One subgraph process's settings (a container, or `npm run service -- <name>`). */
export interface SubgraphServiceConfig extends ServiceConfig {
  /** DATABASE_URL or MONGODB_URL, as the descriptor's server says: the subgraph's own database. */
  readonly databaseUrl: string;
  /** ADMIN_EMAIL and ADMIN_PASSWORD, both or neither (only a subgraph that signs tokens seeds it). */
  readonly admin: AdminAccount | undefined;
}

/** Reads and freezes a subgraph process's settings; throws ConfigError naming the first problem. */
export function loadSubgraphServiceConfig(
  subgraph: Pick<SubgraphDescriptor, 'port' | 'server'>,
  env: Env,
): SubgraphServiceConfig {
  const service = readServiceConfig(env, subgraph.port);
  const databaseUrl = readString(env, subgraph.server === 'postgres' ? 'DATABASE_URL' : 'MONGODB_URL');
  if (subgraph.server === 'mongodb') mongoDatabaseName(databaseUrl);
  return Object.freeze({ ...service, databaseUrl, admin: readAdminAccount(env) });
}

/** ADMIN_EMAIL and ADMIN_PASSWORD: both or neither. */
export function readAdminAccount(env: Env): AdminAccount | undefined {
  const email = env['ADMIN_EMAIL']?.trim();
  const password = env['ADMIN_PASSWORD'];
  if (email && !password) throw new ConfigError('Missing environment variable ADMIN_PASSWORD');
  if (!email && password) throw new ConfigError('Missing environment variable ADMIN_EMAIL');
  return email && password ? Object.freeze({ email, password }) : undefined;
}

/** The gateway process's settings: loadGatewayConfig's, and its rate limits. */
export interface GatewayServiceConfig extends GatewayConfig {
  /** The RATE_LIMIT_* and WS_MAX_* settings, counted in DATABASE_URL (required: shared by every instance). */
  readonly rateLimits: RateLimitOptions & { readonly databaseUrl: string };
}

/** Reads and freezes the gateway process's settings; throws ConfigError naming the first problem. */
export function loadGatewayServiceConfig(env: Env): GatewayServiceConfig {
  const gateway = loadGatewayConfig(env, subgraphs);
  const rateLimits = { ...loadRateLimitConfig(env), databaseUrl: readString(env, 'DATABASE_URL') };
  return Object.freeze({ ...gateway, rateLimits: Object.freeze(rateLimits) });
}
