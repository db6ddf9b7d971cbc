import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { parse, type DocumentNode } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { EntityStore } from './entity-store.js';
import { classifyFetch, type FetchKind, type PublicData } from './public-data.js';

/** Counts what the cache did, per subgraph. */
export interface EntityCacheCounters {
  lookups(subgraph: string, hits: number, misses: number): void;
}

type Entity = Record<string, unknown> | null;
type Options = GraphQLDataSourceProcessOptions<GatewayContext>;

/** The store's key of the public root query answers (all dropped together: a listing has no single id). */
export const queriesKey = 'Query';

/**
 * A subgraph's data source with the entity cache in front: an `_entities` fetch of public fields is
 * split into the representations already cached and the missing ones; only the missing are fetched,
 * and the answers are merged back in order (error paths renumbered). A query of public root fields
 * is cached whole, by document and variables. A mutation through this gateway clears the
 * subgraph's entries once it is answered (read-your-writes on this instance). Everything else
 * passes through untouched.
 */
export class EntityCachingDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly kinds = new WeakMap<DocumentNode, FetchKind>();

  constructor(
    readonly name: string,
    private readonly inner: GraphQLDataSource<GatewayContext>,
    private readonly store: EntityStore,
    private readonly data: PublicData | undefined,
    private readonly counters: EntityCacheCounters,
  ) {}

  async process(options: Options): Promise<GatewayGraphQLResponse> {
    // Health checks and schema loads carry no client request.
    if (!('incomingRequestContext' in options)) return this.inner.process(options);
    const kind = this.kindOf(options.document, options.request.query);
    if (kind === 'mutation') {
      try {
        return await this.inner.process(options);
      } finally {
        this.store.clear();
      }
    }
    if (kind === 'public-query') return this.query(options);
    const variables = options.request.variables ?? {};
    const representations: unknown = variables['representations'];
    const ids = kind === 'public-entities' ? this.idsOf(representations) : undefined;
    if (!ids) return this.inner.process(options);
    const others = Object.entries(variables).filter(([name]) => name !== 'representations');
    const selection = `${options.request.query ?? ''}\n${JSON.stringify(others)}`;
    const results = ids.map((id) => this.store.get(id, selection) as Entity | undefined);
    const missing = ids.flatMap((_id, index) => (results[index] === undefined ? [index] : []));
    this.counters.lookups(this.name, ids.length - missing.length, missing.length);
    if (missing.length === 0) return { data: { _entities: results } };
    const ticket = this.store.begin();
    try {
      const response = await this.inner.process({
        ...options,
        request: {
          ...options.request,
          variables: {
            ...variables,
            representations: missing.map((index) => (representations as unknown[])[index]),
          },
        },
      });
      const fetched: unknown = response.data?.['_entities'];
      if (!Array.isArray(fetched) || fetched.length !== missing.length) {
        // Not an answer the gateway can merge: as it came when nothing was cached, else no data.
        return missing.length === ids.length ? response : { ...response, data: null };
      }
      const failed = failedIndexes(response);
      fetched.forEach((entity: unknown, position: number) => {
        const index = missing[position] ?? 0;
        results[index] = entity as Entity;
        if (ticket && failed && !failed.has(position) && isObject(entity)) {
          this.store.fill(ticket, ids[index] ?? '', selection, JSON.stringify(entity));
        }
      });
      if (missing.length === ids.length) return response;
      return {
        ...response,
        data: { ...response.data, _entities: results },
        ...(response.errors ? { errors: response.errors.map((error) => renumbered(error, missing)) } : {}),
      };
    } finally {
      this.store.end(ticket);
    }
  }

  /** A public root query, answered whole from the cache or cached whole when it has no error. */
  private async query(options: Options): Promise<GatewayGraphQLResponse> {
    const selection = `${options.request.query ?? ''}\n${JSON.stringify(options.request.variables ?? {})}`;
    const cached = this.store.get(queriesKey, selection) as Record<string, unknown> | undefined;
    this.counters.lookups(this.name, cached ? 1 : 0, cached ? 0 : 1);
    if (cached) return { data: cached };
    const ticket = this.store.begin();
    try {
      const response = await this.inner.process(options);
      if (ticket && response.data && !response.errors) {
        this.store.fill(ticket, queriesKey, selection, JSON.stringify(response.data));
      }
      return response;
    } finally {
      this.store.end(ticket);
    }
  }

  private kindOf(document: DocumentNode | undefined, query: string | undefined): FetchKind {
    if (!document) return query ? classifyFetch(parse(query), this.data) : 'other';
    let kind = this.kinds.get(document);
    if (kind === undefined) {
      kind = classifyFetch(document, this.data);
      this.kinds.set(document, kind);
    }
    return kind;
  }

  /** `Product:<id>` per representation, when every one is a bare reference to the cached type. */
  private idsOf(representations: unknown): string[] | undefined {
    if (!Array.isArray(representations) || !this.data) return undefined;
    const ids: string[] = [];
    for (const representation of representations) {
      if (!isObject(representation)) return undefined;
      const { __typename: typename, id } = representation;
      if (
        typename !== this.data.typename ||
        typeof id !== 'string' ||
        Object.keys(representation).length !== 2
      ) {
        return undefined;
      }
      ids.push(`${typename}:${id}`);
    }
    return ids;
  }
}

/** The `_entities` positions an error names; `undefined` when one names none (nothing is cacheable). */
function failedIndexes(response: GatewayGraphQLResponse): Set<number> | undefined {
  const failed = new Set<number>();
  for (const error of response.errors ?? []) {
    const position = error.path?.[0] === '_entities' ? error.path[1] : undefined;
    if (typeof position !== 'number') return undefined;
    failed.add(position);
  }
  return failed;
}

function renumbered<E extends { readonly path?: readonly (string | number)[] | undefined }>(
  error: E,
  missing: readonly number[],
): E {
  const path = error.path;
  if (path?.[0] !== '_entities' || typeof path[1] !== 'number') return error;
  return { ...error, path: ['_entities', missing[path[1]] ?? path[1], ...path.slice(2)] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
