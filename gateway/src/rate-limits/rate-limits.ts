import type { Logger } from '@commerce/common/logger';
import type { Registry } from 'prom-client';
import { Budgets } from './budgets.js';
import { HttpRateLimits } from './http-limits.js';
import { RateLimitMetrics } from './metrics.js';
import { rateLimitSettings, type RateLimitOverrides } from './settings.js';
import { SocketGuard } from './socket-guard.js';

/** The gateway's rate limits: what it is given (`GatewayOptions.rateLimits`). */
export interface RateLimitOptions extends RateLimitOverrides {
  /**
   * PostgreSQL database of the shared counters (table gateway_rate_limits, created when missing):
   * every gateway instance on it spends from the same budgets. Default: this process's memory.
   */
  readonly databaseUrl?: string | undefined;
}

/** The open rate limits of one gateway instance. */
export interface RateLimits {
  readonly http: HttpRateLimits;
  readonly sockets: SocketGuard;
  close(): Promise<void>;
}

/** Opens the budgets (connects to the database when one is given) and the guards that spend them. */
export async function openRateLimits(
  options: RateLimitOptions,
  registry: Registry,
  logger: Logger,
): Promise<RateLimits> {
  const settings = rateLimitSettings(options);
  const log = logger.child({ component: 'rate-limits' });
  const budgets = options.databaseUrl
    ? await Budgets.onPostgres(settings.rates, options.databaseUrl, log)
    : Budgets.inMemory(settings.rates);
  const metrics = new RateLimitMetrics(registry);
  return {
    http: new HttpRateLimits(budgets, settings.trustedProxies, metrics, log),
    sockets: new SocketGuard(budgets, settings, metrics, log),
    close: () => budgets.close(),
  };
}
