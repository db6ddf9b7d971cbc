import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, dataOf, type Client } from '../client/client.js';
import { startSupergraph, type Supergraph } from '../harness/supergraph.js';
import { createProduct, exampleAddress, login, placeOrder, signUpCustomer, stockOf } from './actors.js';
import { OrdersWithInventoryQuery } from './operations.js';

/** Entity references are batched: one HTTP request per subgraph per query-plan step, whatever the list size. */
describe('batching across subgraphs', () => {
  let supergraph: Supergraph;
  let client: Client;

  beforeAll(async () => {
    supergraph = await startSupergraph();
    client = createClient(supergraph.gatewayUrl);
  });

  afterAll(async () => {
    await supergraph?.close();
  });

  it('resolves the products and stock of 20 orders with one request to each subgraph', async () => {
    const adminToken = await login(client, supergraph.admin.email, supergraph.admin.password);
    const productIds = await Promise.all(
      ['Desk Lamp', 'Office Chair', 'Standing Desk'].map((name, i) =>
        createProduct(client, adminToken, { name, category: 'Office', price: 50 + i * 100, quantity: 1000 }),
      ),
    );
    await Promise.all(productIds.map((id) => stockOf(client, id)));
    // Four customers, as one may hold at most 10 unpaid orders.
    const customers = await Promise.all(
      [1, 2, 3, 4].map((n) => signUpCustomer(client, `batch-${n}@example.com`)),
    );
    for (let i = 0; i < 20; i += 1) {
      const items = [
        { productId: productIds[i % 3]!, quantity: 1 },
        { productId: productIds[(i + 1) % 3]!, quantity: 2 },
      ];
      const { token } = customers[i % customers.length]!;
      dataOf(await placeOrder(client, token, { items, shippingAddress: exampleAddress }));
    }

    supergraph.requests.reset();
    const { orders } = dataOf(await client.request(OrdersWithInventoryQuery, {}, { token: adminToken }));

    expect(orders).toHaveLength(20);
    for (const order of orders) {
      for (const item of order.items) {
        expect(item.product.name).toMatch(/Desk Lamp|Office Chair|Standing Desk/);
        expect(item.product.inventory?.available).toEqual(expect.any(Number));
      }
    }
    expect(supergraph.requests.counts()).toEqual({ users: 0, orders: 1, products: 1, inventory: 1 });
  });
});
