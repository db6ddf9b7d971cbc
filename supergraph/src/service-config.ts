import {
  ConfigError,
  mongoDatabaseName,
  readInt,
  readServiceConfig,
  readString,
  type Env,
  type ServiceConfig,
} from '@commerce/common/config';
import type { AdminAccount, OrderPolicy, SubgraphDescriptor } from '@commerce/common/server';
import {
  loadGatewayConfig,
  loadRateLimitConfig,
  type GatewayConfig,
  type RateLimitOptions,
} from '@commerce/gateway';
import { readAdminAccount } from './admin-account.js';
import { subgraphs } from './subgraphs.js';

/** One subgraph process's settings (a container, or `npm run service -- <name>`). */
export interface SubgraphServiceConfig extends ServiceConfig {
  /** DATABASE_URL or MONGODB_URL, as the descriptor's server says: the subgraph's own database. */
  readonly databaseUrl: string;
  /**
   * ADMIN_EMAIL and ADMIN_PASSWORD, both or neither (production: both), read only by a subgraph that
   * signs tokens (it seeds the admin).
   */
  readonly admin: AdminAccount | undefined;
  /** The ORDER_* variables that are set (only the orders subgraph reads them). */
  readonly orderPolicy: Partial<OrderPolicy>;
}

/** Reads and freezes a subgraph process's settings; throws ConfigError naming the first problem. */
export function loadSubgraphServiceConfig(
  subgraph: Pick<SubgraphDescriptor, 'port' | 'server' | 'signsTokens'>,
  env: Env,
): SubgraphServiceConfig {
  // First: a production start without its admin password stops here, before anything else.
  const admin = subgraph.signsTokens ? readAdminAccount(env) : undefined;
  const service = readServiceConfig(env, subgraph.port);
  const databaseUrl = readString(env, subgraph.server === 'postgres' ? 'DATABASE_URL' : 'MONGODB_URL');
  if (subgraph.server === 'mongodb') mongoDatabaseName(databaseUrl);
  return Object.freeze({ ...service, databaseUrl, admin, orderPolicy: readOrderPolicy(env) });
}

/** The variable of each setting of the order policy. */
export const orderPolicyVariables = {
  paymentTtlSeconds: 'ORDER_PAYMENT_TTL_SECONDS',
  maxOpenOrdersPerCustomer: 'ORDER_MAX_OPEN_PER_CUSTOMER',
  maxQuantityPerLine: 'ORDER_MAX_QUANTITY_PER_LINE',
} as const satisfies Record<keyof OrderPolicy, string>;

/**
 * The order policy settings that are set (each a positive integer); the orders subgraph takes its
 * defaults for the others.
 */
export function readOrderPolicy(env: Env): Partial<OrderPolicy> {
  const policy: { -readonly [K in keyof OrderPolicy]?: number } = {};
  for (const [setting, name] of Object.entries(orderPolicyVariables) as [keyof OrderPolicy, string][]) {
    if (!env[name]?.trim()) continue;
    const value = readInt(env, name, 0);
    if (value < 1) throw new ConfigError(`${name} must be a positive integer, got "${env[name]}"`);
    policy[setting] = value;
  }
  return Object.freeze(policy);
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
