import { ConfigError, readInt, type Env } from '@commerce/common/config';
import {
  rateLimitSettings,
  type Rate,
  type RateLimitSettings,
  type RateName,
  type WebSocketCaps,
} from './settings.js';

/** The variable of each rate: `<points>/<window>`, e.g. `10/15m`. */
export const rateVariables: Readonly<Record<RateName, string>> = {
  loginFailuresPerAccount: 'RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT',
  loginFailuresPerAddress: 'RATE_LIMIT_LOGIN_FAILURES_PER_ADDRESS',
  registrationsPerAddress: 'RATE_LIMIT_REGISTRATIONS_PER_ADDRESS',
  refreshesPerAddress: 'RATE_LIMIT_REFRESHES_PER_ADDRESS',
  requestsPerAddress: 'RATE_LIMIT_REQUESTS_PER_ADDRESS',
  connectionsPerAddress: 'RATE_LIMIT_CONNECTIONS_PER_ADDRESS',
  connectionsPerUser: 'RATE_LIMIT_CONNECTIONS_PER_USER',
};

/** The variable of each WebSocket cap: a positive integer. */
export const capVariables: Readonly<Record<keyof WebSocketCaps, string>> = {
  openConnectionsPerAddress: 'WS_MAX_CONNECTIONS_PER_ADDRESS',
  openConnectionsPerUser: 'WS_MAX_CONNECTIONS_PER_USER',
  subscriptionsPerConnection: 'WS_MAX_SUBSCRIPTIONS_PER_CONNECTION',
  distinctOperations: 'WS_MAX_DISTINCT_OPERATIONS',
};

const unitSeconds: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600 };

/**
 * Reads the rate limits and WebSocket caps (defaults in settings.ts): `RATE_LIMIT_*` as
 * `<points>/<window>` with the window in seconds or `s`, `m`, `h` (`10/15m`: 10 per 15 minutes),
 * `WS_MAX_*` as positive integers, and `TRUSTED_PROXIES` (default 0). Throws ConfigError naming
 * a malformed variable.
 */
export function loadRateLimitConfig(env: Env): RateLimitSettings {
  const rates: Partial<Record<RateName, Rate>> = {};
  for (const [name, variable] of Object.entries(rateVariables) as [RateName, string][]) {
    const raw = env[variable]?.trim();
    if (raw) rates[name] = parseRate(variable, raw);
  }
  const caps: Partial<Record<keyof WebSocketCaps, number>> = {};
  for (const [name, variable] of Object.entries(capVariables) as [keyof WebSocketCaps, string][]) {
    if (!env[variable]?.trim()) continue;
    const value = readInt(env, variable, 0);
    if (value < 1) throw new ConfigError(`${variable} must be at least 1, got "${env[variable]}"`);
    caps[name] = value;
  }
  return rateLimitSettings({ rates, caps, trustedProxies: readInt(env, 'TRUSTED_PROXIES', 0) });
}

/** `10/15m` -> 10 points per 900 s. */
export function parseRate(variable: string, raw: string): Rate {
  const match = /^(\d+)\s*\/\s*(\d+)\s*([smh]?)$/.exec(raw);
  const points = Number(match?.[1]);
  const seconds = Number(match?.[2]) * (unitSeconds[match?.[3] ?? ''] ?? Number.NaN);
  if (
    !match ||
    !Number.isSafeInteger(points) ||
    points < 1 ||
    !Number.isSafeInteger(seconds) ||
    seconds < 1
  ) {
    throw new ConfigError(
      `${variable} must be <points>/<window> (window in seconds, or with s, m or h: "10/15m"), got "${raw}"`,
    );
  }
  return Object.freeze({ points, seconds });
}
