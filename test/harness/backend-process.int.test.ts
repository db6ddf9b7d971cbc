import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, dataOf } from '../client/client.js';
import { createProduct, login, stockOf } from '../e2e/actors.js';
import { ProductsQuery } from '../e2e/operations.js';
import { startSupergraphApart, type SupergraphApart } from './backend-process.js';

/** The benches' supergraph with its subgraphs in a process of their own. */
describe('startSupergraphApart', () => {
  let supergraph: SupergraphApart;

  beforeAll(async () => {
    supergraph = await startSupergraphApart();
  });

  afterAll(async () => {
    await supergraph?.close();
  });

  it('serves the supergraph through a gateway here, the subgraphs working in the child', async () => {
    const client = createClient(supergraph.gatewayUrl);
    const token = await login(client, supergraph.admin.email, supergraph.admin.password);
    const before = await supergraph.subgraphsCpuUsage();
    const productId = await createProduct(client, token, {
      name: 'Apart',
      category: 'Bench',
      price: 1,
      quantity: 3,
    });
    // The stock row comes from the product.created event: the child's relay and consumer work.
    expect(await stockOf(client, productId)).toMatchObject({ available: 3 });
    expect(supergraph.requests.counts().inventory).toBeGreaterThan(0);
    const after = await supergraph.subgraphsCpuUsage();
    expect(after.user + after.system).toBeGreaterThan(before.user + before.system);
    // The subgraphs' own URLs answer too (the benches mutate the inventory subgraph directly).
    const products = createClient(supergraph.subgraphUrls.products);
    expect(dataOf(await products.request(ProductsQuery, { first: 1 })).products.edges).toHaveLength(1);
  });
});
