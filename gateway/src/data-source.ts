import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { unavailable } from '@commerce/common/errors';
import type { Logger } from '@commerce/common/logger';
import { forwardedHeaders, type GatewayContext } from './context.js';
import type { Fetcher } from './fetcher.js';
import { InFlight } from './in-flight.js';

/** A subgraph's answer as the gateway's executor receives it. */
type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

/** Where each subgraph listens, by subgraph name; a subgraph left out is called at its supergraph URL. */
export type SubgraphUrls = Readonly<Record<string, string>>;

/** The URL to call for a subgraph: the configured one, else the one composed into the supergraph. */
export function subgraphUrl(name: string, urls: SubgraphUrls, supergraphUrl: string | undefined): string {
  const url = (Object.hasOwn(urls, name) ? urls[name] : undefined) ?? supergraphUrl;
  if (!url) throw new Error(`No URL for subgraph "${name}"`);
  return url;
}

export interface SubgraphDataSourceOptions {
  readonly name: string;
  readonly url: string;
  readonly fetcher: Fetcher;
  /** Where a failed subgraph call is logged, with its cause. */
  readonly logger: Logger;
  /**
   * Identical query fetches in flight at the same time (same subgraph, document, variables and
   * Authorization header) are sent once and their answer shared (default false). Never mutations.
   */
  readonly deduplicate?: boolean;
}

/**
 * A subgraph over HTTP: forwards the client's Authorization header (each subgraph verifies it
 * again) and the correlation id, through the gateway's keep-alive fetcher.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly name: string;
  private readonly logger: Logger;
  private readonly inFlight: InFlight<GatewayGraphQLResponse> | undefined;

  constructor(options: SubgraphDataSourceOptions) {
    super({ url: options.url, fetcher: options.fetcher });
    this.name = options.name;
    this.logger = options.logger;
    this.inFlight = options.deduplicate ? new InFlight(copyResponse) : undefined;
  }

  override process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const key = this.inFlight && deduplicationKey(options);
    if (key === undefined || !this.inFlight) return super.process(options);
    return this.inFlight.run(key, () => super.process(options));
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    // Health checks and schema loads carry no client request (nor incomingRequestContext).
    if (!('incomingRequestContext' in options)) return;
    const headers = options.request.http?.headers;
    if (!headers) return;
    for (const [name, value] of Object.entries(forwardedHeaders(options.context))) headers.set(name, value);
  }

  /**
   * Logs the failure with its cause. No response at all (refused, reset, timed out): the client
   * sees UNAVAILABLE, not the socket error.
   */
  override didEncounterError(
    error: Error,
    _request: unknown,
    response?: { readonly status: number },
    context?: Partial<GatewayContext>,
  ): void {
    this.logger.warn(
      { err: error, subgraph: this.name, status: response?.status, correlationId: context?.correlationId },
      `The ${this.name} subgraph call failed`,
    );
    if (response === undefined) throw unavailable(`The ${this.name} service is unavailable`);
    throw error;
  }
}

/**
 * What makes two subgraph fetches the same: the operation (a query: mutations are never shared),
 * its variables, and whom it is for (the caller's Authorization header, so nothing is shared across
 * viewers). Undefined when the fetch must not be shared.
 */
export function deduplicationKey(
  options: GraphQLDataSourceProcessOptions<GatewayContext>,
): string | undefined {
  // Health checks and schema loads carry no client request: never shared.
  if (!('incomingRequestContext' in options)) return undefined;
  const { query, variables, operationName } = options.request;
  if (query === undefined || !isQueryOperation(query)) return undefined;
  const authorization = options.incomingRequestContext.context.authorization ?? '';
  // Headers a plan adds per fetch (none by default) are part of the request, so of the key.
  const headers = options.request.http ? [...options.request.http.headers] : [];
  return JSON.stringify([authorization, operationName ?? null, query, variables ?? null, headers]);
}

/** The query planner prints `query …` or `{ … }` for reads, `mutation …` for writes. */
function isQueryOperation(document: string): boolean {
  return /^\s*(?:query\b|\{)/.test(document);
}

/** A shared answer for one of its callers: its own data, errors and extensions; the read HTTP response as is. */
function copyResponse({ http, ...body }: GatewayGraphQLResponse): GatewayGraphQLResponse {
  return { ...structuredClone(body), ...(http ? { http } : {}) };
}
