import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { isProduction, readBoolean, readSecret, type Env } from '@commerce/common/config';
import type { MetricsAccess } from '@commerce/common/server';

export type { MetricsAccess };

/** What the gateway tells clients beyond answering their operations. */
export interface GatewayExposure {
  /**
   * Schema introspection (`__schema`, `__type`) and the "Did you mean …" suggestions of validation
   * and variable errors, over HTTP and graphql-ws. The playground's documentation needs it.
   */
  readonly introspection: boolean;
  readonly metrics: MetricsAccess;
}

/** A developer's machine: introspection, suggestions and /metrics open to anyone. */
export const developmentExposure: GatewayExposure = Object.freeze({ introspection: true, metrics: 'open' });

/**
 * GRAPHQL_INTROSPECTION (true | false) and METRICS_TOKEN (or METRICS_TOKEN_FILE). Defaults: with
 * NODE_ENV=production introspection and suggestions are off, and /metrics needs METRICS_TOKEN (off
 * without one); otherwise both are open. A METRICS_TOKEN set outside production is required too.
 */
export function readGatewayExposure(env: Env): GatewayExposure {
  const production = isProduction(env);
  const token = readSecret(env, 'METRICS_TOKEN')?.value;
  return Object.freeze({
    introspection: readBoolean(env, 'GRAPHQL_INTROSPECTION', !production),
    metrics: token ? Object.freeze({ bearerToken: token }) : production ? 'off' : 'open',
  });
}

type ApolloExposure = Pick<
  ApolloServerOptionsWithGateway<BaseContext>,
  'introspection' | 'hideSchemaDetailsFromClientErrors' | 'formatError'
>;

/**
 * Apollo Server's settings for the exposure: `introspection`, and `hideSchemaDetailsFromClientErrors`
 * for the suggestions of validation errors. Apollo Gateway coerces variables without graphql-js's
 * `hideSuggestions`, so `formatError` drops the suggestion from those errors too.
 */
export function apolloExposure(
  exposure: GatewayExposure,
  formatError: NonNullable<ApolloExposure['formatError']>,
): ApolloExposure {
  if (exposure.introspection) return { introspection: true, formatError };
  return {
    introspection: false,
    hideSchemaDetailsFromClientErrors: true,
    formatError: (formatted, error) => {
      const result = formatError(formatted, error);
      return { ...result, message: result.message.replace(suggestion, '') };
    },
  };
}

/** The pattern of Apollo Server's own DisableSuggestions plugin. */
const suggestion = / ?Did you mean(.+?)\?$/;
