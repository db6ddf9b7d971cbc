import { parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, dataOf, type Client, type LiveSubscription } from '../client/client.js';
import { startSupergraph, type Supergraph } from '../harness/supergraph.js';
import { waitFor } from '../harness/wait.js';
import {
  createProduct,
  exampleAddress,
  login,
  placeOrder,
  signUpCustomer,
  stockOf,
  waitForStock,
} from './actors.js';
import { CancelOrderMutation, OrdersWithInventoryQuery, ProductsQuery } from './operations.js';
import {
  AdjustStockMutation,
  LowStockAlertSubscription,
  OrderPlacedSubscription,
  OrderStatusChangedSubscription,
  StockLevelSubscription,
  StockUpdatedSubscription,
  StockWithNameSubscription,
} from './subscription-operations.js';
import { describeWalkthrough } from './walkthrough.js';

// The whole walkthrough with a gateway that runs the typed client's documents only, by id.
describeWalkthrough('TRUSTED_DOCUMENTS=enforce, PostgreSQL, FerretDB and Kafka', () =>
  startSupergraph({ trustedDocuments: 'enforce' }),
);

describe('TRUSTED_DOCUMENTS=enforce: the typed client by id, nothing else', () => {
  let supergraph: Supergraph;
  let client: Client;
  let adminToken: string;

  beforeAll(async () => {
    supergraph = await startSupergraph({ trustedDocuments: 'enforce' });
    client = createClient(supergraph.gatewayUrl);
    adminToken = await login(client, supergraph.admin.email, supergraph.admin.password);
  });

  afterAll(async () => {
    await supergraph?.close();
  });

  // The spec's media type, under which a refused request answers 400 (application/json answers 200).
  const post = async (body: unknown) => {
    const response = await fetch(supergraph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify(body),
    });
    const { errors } = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    return { status: response.status, codes: (errors ?? []).map((error) => error.extensions?.code) };
  };

  it('refuses ad-hoc documents over HTTP and WebSocket before any subgraph is called', async () => {
    supergraph.requests.reset();
    expect(await post({ query: '{ products { totalCount } }' })).toEqual({
      status: 400,
      codes: ['TRUSTED_DOCUMENT_REQUIRED'],
    });
    // The typed client's own document, sent as text, is text all the same.
    expect(await post({ query: print(ProductsQuery), variables: {} })).toEqual({
      status: 400,
      codes: ['TRUSTED_DOCUMENT_REQUIRED'],
    });
    const get = await fetch(
      `${supergraph.gatewayUrl}?query=${encodeURIComponent('{ products { totalCount } }')}`,
      {
        headers: { 'apollo-require-preflight': 'true', accept: 'application/graphql-response+json' },
      },
    );
    expect(get.status).toBe(400);
    expect(await post({ documentId: `sha256:${'0'.repeat(64)}` })).toEqual({
      status: 200,
      codes: ['PERSISTED_QUERY_NOT_FOUND'],
    });

    const adHoc = client.subscribe(parse('subscription { stockUpdated { available } }'), {});
    const refused = await adHoc.waitFor((result) => result.errors !== undefined);
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['TRUSTED_DOCUMENT_REQUIRED']);
    await adHoc.close();
    expect(Object.values(supergraph.requests.counts()).every((count) => count === 0)).toBe(true);
  });

  it('runs every subscription of the typed client by id, with the events of an order and a stock adjustment', async () => {
    const productId = await createProduct(client, adminToken, {
      name: 'Trusted Lamp',
      category: 'Office',
      price: 40,
      quantity: 12,
      reorderThreshold: 10,
    });
    await stockOf(client, productId);
    const customer = await signUpCustomer(client, 'trusted-shopper@example.com');
    const stock = client.subscribe(StockUpdatedSubscription, { productId }, { token: customer.token });
    const level = client.subscribe(StockLevelSubscription, { productId });
    const named = client.subscribe(StockWithNameSubscription, { productId });
    const placed = client.subscribe(OrderPlacedSubscription, {}, { token: customer.token });
    const alerts = client.subscribe(LowStockAlertSubscription, {}, { token: adminToken });
    const live: LiveSubscription<unknown>[] = [stock, level, named, placed, alerts];
    await Promise.all(live.map((subscription) => subscription.connected));
    const service = supergraph.gateways[0]?.subscriptions;
    await waitUntil(() => service?.subscriptionCount() === live.length);

    const order = dataOf(
      await placeOrder(client, customer.token, {
        items: [{ productId, quantity: 1 }],
        shippingAddress: exampleAddress,
      }),
    ).placeOrder;
    const changes = client.subscribe(
      OrderStatusChangedSubscription,
      { orderId: order.id },
      { token: customer.token },
    );
    live.push(changes);
    await changes.connected;
    await waitUntil(() => service?.subscriptionCount() === live.length);

    await placed.waitFor((r) => r.data?.orderPlaced.id === order.id);
    await stock.waitFor((r) => r.data?.stockUpdated.reason === 'RESERVED');
    await level.waitFor((r) => r.data?.stockUpdated.reserved === 1);
    expect(
      (await named.waitFor((r) => r.data?.stockUpdated.available === 11)).data?.stockUpdated.product,
    ).toEqual({
      name: 'Trusted Lamp',
    });
    dataOf(await client.request(CancelOrderMutation, { id: order.id }, { token: customer.token }));
    await changes.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELLED');
    // The cancellation releases the reserved unit asynchronously (order.cancelled): 12 before adjusting.
    await waitForStock(client, productId, { available: 12, reserved: 0 });

    dataOf(
      await client.request(
        AdjustStockMutation,
        { productId, delta: -8, reason: 'e2e' },
        { token: adminToken },
      ),
    );
    const alert = await alerts.waitFor((r) => r.data?.lowStockAlert.productId === productId);
    expect(alert.data?.lowStockAlert).toMatchObject({ available: 4, priority: 'HIGH' });

    const { orders } = dataOf(await client.request(OrdersWithInventoryQuery, {}, { token: customer.token }));
    expect(orders[0]?.items[0]?.product).toEqual({ name: 'Trusted Lamp', inventory: { available: 4 } });
    for (const subscription of live) {
      expect(subscription.results.filter((result) => result.errors !== undefined)).toEqual([]);
    }
    await Promise.all(live.map((subscription) => subscription.close()));
  });
});

const waitUntil = (condition: () => boolean): Promise<unknown> =>
  waitFor(condition, { message: 'the subscriptions to be registered' });
