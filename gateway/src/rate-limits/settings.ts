/** A budget: `points` per window of `seconds` (a fixed window that starts with the first point taken). */
export interface Rate {
  readonly points: number;
  readonly seconds: number;
}

/** The budgets the gateway keeps per client address, account or user (shared by every instance). */
export interface Rates {
  /** Login fields that did not return a session, per account (the email, as the users subgraph normalizes it). */
  readonly loginFailuresPerAccount: Rate;
  /** The same, per client address. */
  readonly loginFailuresPerAddress: Rate;
  /** `register` fields per client address. */
  readonly registrationsPerAddress: Rate;
  /** `refreshToken` fields per client address. */
  readonly refreshesPerAddress: Rate;
  /** HTTP GraphQL requests and graphql-ws subscribes per client address. */
  readonly requestsPerAddress: Rate;
  /** New WebSocket connections per client address. */
  readonly connectionsPerAddress: Rate;
  /** New WebSocket connections per user (authenticated in `connection_init`). */
  readonly connectionsPerUser: Rate;
}

export type RateName = keyof Rates;

/** What one gateway instance holds open at most (counted in its memory). */
export interface WebSocketCaps {
  readonly openConnectionsPerAddress: number;
  readonly openConnectionsPerUser: number;
  readonly subscriptionsPerConnection: number;
  /** Distinct subscription documents with subscribers: each costs one federated execution per event. */
  readonly distinctOperations: number;
}

/** Everything the gateway's rate limits and WebSocket caps are built from. */
export interface RateLimitSettings {
  readonly rates: Rates;
  readonly caps: WebSocketCaps;
  /**
   * Proxies in front of the gateway whose X-Forwarded-For entries are trusted (0: the client address
   * is the peer of the TCP connection; 1: the last entry a load balancer appended; ...).
   */
  readonly trustedProxies: number;
}

/** What a caller may change: some rates or caps; the rest keep their defaults. */
export interface RateLimitOverrides {
  readonly rates?: Partial<Rates>;
  readonly caps?: Partial<WebSocketCaps>;
  readonly trustedProxies?: number;
}

const minutes = (n: number): number => n * 60;

/**
 * Defaults for a public shop: generous for people (several behind one NAT address, a dozen tabs),
 * tight where guessing pays (passwords) or where each unit costs (registrations, subscriptions).
 */
export const defaultRateLimitSettings: RateLimitSettings = Object.freeze({
  rates: Object.freeze({
    loginFailuresPerAccount: { points: 10, seconds: minutes(15) },
    loginFailuresPerAddress: { points: 50, seconds: minutes(15) },
    registrationsPerAddress: { points: 20, seconds: minutes(60) },
    refreshesPerAddress: { points: 120, seconds: minutes(15) },
    requestsPerAddress: { points: 1_200, seconds: minutes(1) },
    connectionsPerAddress: { points: 120, seconds: minutes(1) },
    connectionsPerUser: { points: 60, seconds: minutes(1) },
  }),
  caps: Object.freeze({
    openConnectionsPerAddress: 100,
    openConnectionsPerUser: 20,
    subscriptionsPerConnection: 100,
    distinctOperations: 1_000,
  }),
  trustedProxies: 0,
});

/** The defaults with `overrides` applied. */
export function rateLimitSettings(overrides: RateLimitOverrides = {}): RateLimitSettings {
  return Object.freeze({
    rates: Object.freeze({ ...defaultRateLimitSettings.rates, ...overrides.rates }),
    caps: Object.freeze({ ...defaultRateLimitSettings.caps, ...overrides.caps }),
    trustedProxies: overrides.trustedProxies ?? defaultRateLimitSettings.trustedProxies,
  });
}
