import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { unavailable } from '@commerce/common/errors';
import { forwardedHeaders, type GatewayContext } from './context.js';
import type { Fetcher } from './fetcher.js';

/** Where each subgraph listens, by subgraph name; a subgraph left out is called at its supergraph URL. */
export type SubgraphUrls = Readonly<Record<string, string>>;

/** The URL to call for a subgraph: the configured one, else the one composed into the supergraph. */
export function subgraphUrl(name: string, urls: SubgraphUrls, supergraphUrl: string | undefined): string {
  const url = (Object.hasOwn(urls, name) ? urls[name] : undefined) ?? supergraphUrl;
  if (!url) throw new Error(`No URL for subgraph "${name}"`);
  return url;
}

/**
 * A subgraph over HTTP: forwards the client's Authorization header (each subgraph verifies it
 * again) and the correlation id, through the gateway's keep-alive fetcher.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly name: string,
    url: string,
    fetcher: Fetcher,
  ) {
    super({ url, fetcher });
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Health checks and schema loads carry no client request (nor incomingRequestContext).
    if (!('incomingRequestContext' in options)) return;
    const headers = options.request.http?.headers;
    if (!headers) return;
    for (const [name, value] of Object.entries(forwardedHeaders(options.context))) headers.set(name, value);
  }

  /** No response at all (refused, reset, timed out): the client sees UNAVAILABLE, not the socket error. */
  override didEncounterError(error: Error, _request: unknown, response?: unknown): void {
    if (response === undefined) throw unavailable(`The ${this.name} service is unavailable`);
    throw error;
  }
}
