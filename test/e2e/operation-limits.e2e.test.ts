import { performance } from 'node:perf_hooks';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClient, dataOf, type Client, type LiveSubscription } from '../client/client.js';
import { startSupergraph, type Supergraph } from '../harness/supergraph.js';
import { waitFor } from '../harness/wait.js';
import { signUpCustomer } from './actors.js';
import { ProductsQuery } from './operations.js';

type AdHoc = TypedDocumentNode<unknown, Record<string, never>>;

/** `a { b { … { id } } }` */
const nested = (fields: readonly string[]): string =>
  fields.reduceRight((inner, field) => `${field} { ${inner} }`, 'id');

/** orders, user, orders, user … */
const ordersAndUsers = (levels: number): string[] =>
  Array.from({ length: levels }, (_, i) => (i % 2 === 0 ? 'orders' : 'user'));

const fiveThousandAliases = (field: string): string =>
  Array.from({ length: 5_000 }, (_, i) => `a${i}: ${field}`).join(' ');

/** Within depth and tokens, but lists nest three deep: about 5 200 fields by the estimate. */
const costly =
  '{ me { orders { user { orders { user { orders { id total status createdAt updatedAt } } } } } } }';

const refused = {
  'the depth-8 document': {
    query: `{ ${nested(['me', ...ordersAndUsers(7)])} }`,
    limit: 'OPERATION_MAX_DEPTH',
  },
  'a 5,000-alias query': { query: `{ ${fiveThousandAliases('me { id }')} }`, limit: 'OPERATION_MAX_TOKENS' },
  'a query whose nested lists cost too much': { query: costly, limit: 'OPERATION_MAX_COST' },
};

const refusedSubscriptions = {
  'the depth-8 document': {
    query: `subscription { ${nested(['orderPlaced', 'user', ...ordersAndUsers(6)])} }`,
    limit: 'OPERATION_MAX_DEPTH',
  },
  'a 5,000-alias subscription': {
    query: `subscription { ${fiveThousandAliases('orderPlaced { id }')} }`,
    limit: 'OPERATION_MAX_TOKENS',
  },
};

/** Operation limits through the whole supergraph on the real servers. */
describe('operation limits at the gateway', () => {
  let supergraph: Supergraph;
  let client: Client;
  let token: string;
  const open: LiveSubscription<unknown>[] = [];

  beforeAll(async () => {
    supergraph = await startSupergraph();
    client = createClient(supergraph.gatewayUrl);
    token = (await signUpCustomer(client, 'limits@example.com')).token;
  });
  beforeEach(() => supergraph.requests.reset());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((subscription) => subscription.close()));
  });
  afterAll(async () => {
    await supergraph?.close();
  });

  const noSubgraphCalled = (): void => {
    expect(Object.values(supergraph.requests.counts()).every((count) => count === 0)).toBe(true);
  };

  /**
   * POSTs `query` as a client would; the time is the round trip, the body being ready to send. It
   * accepts the spec's application/graphql-response+json, under which a refusal answers 400 (with
   * application/json a well-formed request answers 200, errors and all).
   */
  async function post(query: string, headers: Record<string, string> = {}) {
    const body = JSON.stringify({ query });
    const started = performance.now();
    const response = await fetch(supergraph.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...headers,
      },
      body,
    });
    const json = (await response.json()) as {
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    return { status: response.status, errors: json.errors ?? [], elapsedMs: performance.now() - started };
  }

  it.for(Object.entries(refused))(
    'refuses %s over HTTP before any subgraph is called',
    async ([, { query, limit }], { annotate }) => {
      const times: number[] = [];
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const { status, errors, elapsedMs } = await post(query, { authorization: `Bearer ${token}` });
        expect(status).toBe(400);
        expect(errors.map((error) => error.extensions?.code)).toEqual(['OPERATION_LIMIT_EXCEEDED']);
        expect(errors[0]?.message).toMatch(new RegExp(`^Operation limit ${limit}: `));
        times.push(elapsedMs);
      }
      noSubgraphCalled();
      const median = [...times].sort((a, b) => a - b)[2] ?? Number.NaN;
      await annotate(
        `refused in ${times[0]?.toFixed(1)} ms the first time, ${median.toFixed(1)} ms median of 5`,
      );
    },
  );

  it.each(Object.entries(refusedSubscriptions))(
    'refuses %s as a subscription with a graphql-ws error, the connection left open',
    async (_, { query, limit }) => {
      const document: AdHoc = parse(query);
      const subscription = client.subscribe(document, {}, { token });
      open.push(subscription);
      const { errors } = await subscription.waitFor((result) => result.errors !== undefined);
      expect(errors?.map((error) => error.extensions?.code)).toEqual(['OPERATION_LIMIT_EXCEEDED']);
      expect(errors?.[0]?.message).toMatch(new RegExp(`^Operation limit ${limit}: `));
      await waitFor(() => supergraph.gateways[0]?.subscriptions?.connectionCount() === 1, {
        message: 'the refused subscriber still connected',
      });
      noSubgraphCalled();
    },
  );

  it('answers a 2 MB body with 413 PAYLOAD_TOO_LARGE', async () => {
    const { status, errors } = await post(
      `{ products(filter: { search: "${'x'.repeat(2_000_000)}" }) { totalCount } }`,
    );
    expect(status).toBe(413);
    expect(errors.map((error) => error.extensions?.code)).toEqual(['PAYLOAD_TOO_LARGE']);
    noSubgraphCalled();
  });

  it('serves a full page of the catalog, the largest the typed client asks for', async () => {
    const { products } = dataOf(await client.request(ProductsQuery, { first: 100 }));
    expect(products.totalCount).toBeGreaterThanOrEqual(0);
  });
});
