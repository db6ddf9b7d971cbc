import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Exhausted } from './budgets.js';
import type { RateName } from './settings.js';

/** The `extensions.code` of every refusal for a spent budget. */
export const rateLimitedCode = 'RATE_LIMITED';

const what: Readonly<Record<RateName, string>> = {
  loginFailuresPerAccount: 'Too many failed logins for this account',
  loginFailuresPerAddress: 'Too many failed logins from this address',
  registrationsPerAddress: 'Too many registrations from this address',
  refreshesPerAddress: 'Too many token refreshes from this address',
  requestsPerAddress: 'Too many requests from this address',
  connectionsPerAddress: 'Too many new connections from this address',
  connectionsPerUser: 'Too many new connections for this user',
};

/** "Too many failed logins for this account: retry in 42 s". */
export function refusalMessage(exhausted: Exhausted): string {
  return `${what[exhausted.rate]}: retry in ${exhausted.retryAfterSeconds} s`;
}

/**
 * The error of a refused request: RATE_LIMITED, and for Apollo Server HTTP 429 with Retry-After
 * (the `http` extension never reaches the client). graphql-ws sends it as the subscribe's error.
 */
export function rateLimited(exhausted: Exhausted): GraphQLError {
  return new GraphQLError(refusalMessage(exhausted), {
    extensions: {
      code: rateLimitedCode,
      http: {
        status: 429,
        headers: new HeaderMap([['retry-after', String(exhausted.retryAfterSeconds)]]),
      },
    },
  });
}
