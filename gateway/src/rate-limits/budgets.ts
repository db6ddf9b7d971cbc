import type { Logger } from '@commerce/common/logger';
import pg from 'pg';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Rate, RateName, Rates } from './settings.js';

/** One row per key and window, shared by every gateway instance on the database. */
const tableName = 'gateway_rate_limits';

/** A budget that was spent: how long until it is refilled. */
export interface Exhausted {
  readonly rate: RateName;
  readonly retryAfterSeconds: number;
}

/** A take of points from one budget, to give back if the attempt turns out not to count. */
export interface Take {
  readonly rate: RateName;
  readonly key: string;
  readonly points: number;
}

/**
 * The rate budgets (rate-limiter-flexible): in this process's memory, or in PostgreSQL, where every
 * gateway instance on the same database spends from one budget per key.
 */
export class Budgets {
  private constructor(
    private readonly limiters: Readonly<Record<RateName, RateLimiterAbstract>>,
    private readonly pool: pg.Pool | undefined,
  ) {}

  /** Counters in memory: one process's view (the embedded mode, one instance). */
  static inMemory(rates: Rates): Budgets {
    return new Budgets(
      mapRates(rates, (name, rate) => new RateLimiterMemory(options(name, rate))),
      undefined,
    );
  }

  /**
   * Counters in the table gateway_rate_limits of `databaseUrl` (created when missing). Should the
   * database fail, each instance keeps counting in its own memory until it answers again.
   */
  static async onPostgres(rates: Rates, databaseUrl: string, logger: Logger): Promise<Budgets> {
    // A database that hangs must not hold requests: past 2 s a query fails and the insurance counts.
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: 4,
      connectionTimeoutMillis: 2_000,
      query_timeout: 2_000,
    });
    pool.on('error', (error) => logger.warn({ err: error }, 'rate limit database connection failed'));
    try {
      const limiters: Partial<Record<RateName, RateLimiterAbstract>> = {};
      // One after another: the first creates the shared table, the others find it.
      for (const [name, rate] of Object.entries(rates) as [RateName, Rate][]) {
        limiters[name] = await new Promise<RateLimiterAbstract>((resolve, reject) => {
          const limiter: RateLimiterPostgres = new RateLimiterPostgres(
            {
              ...options(name, rate),
              storeClient: pool,
              storeType: 'pool',
              tableName,
              // Once a key is over its budget, this instance refuses it without asking the database.
              inMemoryBlockOnConsumed: rate.points + 1,
              insuranceLimiter: new RateLimiterMemory(options(name, rate)),
            },
            (error?: Error) => (error ? reject(error) : resolve(limiter)),
          );
        });
      }
      return new Budgets(limiters as Record<RateName, RateLimiterAbstract>, pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  /**
   * Takes points from each budget, all or none: resolves with the takes, or with the budget that
   * is spent (the longest wait when several are) after giving back what was taken.
   */
  async take(takes: readonly Take[]): Promise<{ readonly taken: readonly Take[] } | Exhausted> {
    const outcomes = await Promise.all(
      takes.map(async (take) => {
        try {
          await this.limiters[take.rate].consume(take.key, take.points);
          return undefined;
        } catch (rejection) {
          if (rejection instanceof RateLimiterRes) {
            return {
              rate: take.rate,
              retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)),
            };
          }
          throw rejection;
        }
      }),
    );
    const exhausted = outcomes
      .filter((outcome): outcome is Exhausted => outcome !== undefined)
      .sort((a, b) => b.retryAfterSeconds - a.retryAfterSeconds)[0];
    if (!exhausted) return { taken: takes };
    await this.giveBack(takes.filter((_, i) => outcomes[i] === undefined));
    return exhausted;
  }

  /** Returns points taken for attempts that do not count (a login that succeeded). */
  async giveBack(takes: readonly Take[]): Promise<void> {
    await Promise.all(takes.map((take) => this.limiters[take.rate].reward(take.key, take.points)));
  }

  async close(): Promise<void> {
    await this.pool?.end();
  }
}

function options(name: RateName, rate: Rate): { keyPrefix: string; points: number; duration: number } {
  return { keyPrefix: name, points: rate.points, duration: rate.seconds };
}

function mapRates<T>(rates: Rates, build: (name: RateName, rate: Rate) => T): Record<RateName, T> {
  return Object.fromEntries(
    (Object.entries(rates) as [RateName, Rate][]).map(([name, rate]) => [name, build(name, rate)]),
  ) as Record<RateName, T>;
}
