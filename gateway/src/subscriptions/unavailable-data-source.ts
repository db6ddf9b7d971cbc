import type { GraphQLDataSource } from '@apollo/gateway';

type GatewayResponse = ReturnType<GraphQLDataSource['process']>;

/**
 * Stands in for the `subscriptions` subgraph of the supergraph. Only Subscription fields live
 * there, and subscriptions are served over WebSocket by the gateway's subscription service, never
 * by an HTTP query plan; the service that feeds Kafka events into query plans replaces this.
 */
export class UnavailableSubscriptionsDataSource implements GraphQLDataSource {
  process(): GatewayResponse {
    return Promise.resolve({
      errors: [
        {
          message: 'Subscriptions are served over WebSocket (graphql-ws) at /graphql',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
  }
}
