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

/** One subgraph process's settings (a container, or `npm run service -- <name>`). */
export interface SubgraphServiceConfig extends ServiceConfig {
  /** DATABASE_URL or MONGODB_URL, as the descriptor's server says: the subgraph's own database. */
  readonly databaseUrl: string;
  /** ADMIN_EMAIL and ADMIN_PASSWORD, both or neither (only a subgraph that signs tokens seeds it). */
  readonly admin: AdminAccount | undefined;
  /** The ORDER_* variables that are set (only the orders subgraph reads them). */
  readonly orderPolicy: Partial<OrderPolicy>;
}

/** Reads and freezes a subgraph process's settings; throws ConfigError naming the first problem. */
export function loadSubgraphServiceConfig(
  subgraph: Pick<SubgraphDescriptor, 'port' | 'server'>,
  env: Env,
): SubgraphServiceConfig {
  const service = readServiceConfig(env, subgraph.port);
  const databaseUrl = readString(env, subgraph.server === 'postgres' ? 'DATABASE_URL' : 'MONGODB_URL');
  if (subgraph.server === 'mongodb') mongoDatabaseName(databaseUrl);
  return Object.freeze({
    ...service,
    databaseUrl,
    admin: readAdminAccount(env),
    orderPolicy: readOrderPolicy(env),
  });
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

/** ADMIN_EMAIL and ADMIN_PASSWORD: both or neither. */
export function readAdminAccount(env: Env): AdminAccount | undefined {
  const email = env['ADMIN_EMAIL']?.trim();
  const password = env['ADMIN_PASSWORD'];
  if (email && !password) throw new ConfigError('Missing environment variable ADMIN_PASSWORD');
  if (!email && password) throw new ConfigError('Missing environment variable ADMIN_EMAIL');
  return email && password ? Object.freeze({ email, password }) : undefined;
}
