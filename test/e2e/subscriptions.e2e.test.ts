import { CloseCode } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
  waitForOrderStatus,
} from './actors.js';
import { UpdateOrderStatusMutation } from './operations.js';
import {
  AdjustStockMutation,
  LowStockAlertSubscription,
  OrderPlacedSubscription,
  OrderStatusChangedSubscription,
  StockUpdatedSubscription,
} from './subscription-operations.js';

/** Live subscriptions over graphql-ws, fed by Kafka, resolved across the subgraphs. */
describe('live subscriptions through the gateway', () => {
  let supergraph: Supergraph;
  let client: Client;
  let adminToken: string;
  const open: LiveSubscription<unknown>[] = [];

  const service = (instance = 0) => {
    const subscriptions = supergraph.gateways[instance]?.subscriptions;
    if (!subscriptions) throw new Error(`gateway ${instance} serves no subscriptions`);
    return subscriptions;
  };

  /** Opens subscriptions and waits until the gateway has registered them (events may then flow). */
  async function opened<T>(
    instance: number,
    subscriptions: LiveSubscription<T>[],
  ): Promise<LiveSubscription<T>[]> {
    const before = service(instance).subscriptionCount();
    open.push(...(subscriptions as LiveSubscription<unknown>[]));
    await Promise.all(subscriptions.map((subscription) => subscription.connected));
    await waitFor(() => service(instance).subscriptionCount() >= before + subscriptions.length, {
      message: `${subscriptions.length} subscriptions registered on gateway ${instance}`,
    });
    return subscriptions;
  }

  beforeAll(async () => {
    supergraph = await startSupergraph({ gatewayInstances: 2 });
    client = createClient(supergraph.gatewayUrl);
    adminToken = await login(client, supergraph.admin.email, supergraph.admin.password);
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((subscription) => subscription.close()));
    await waitFor(() => service(0).subscriptionCount() === 0 && service(1).subscriptionCount() === 0, {
      message: 'subscriptions to end',
    });
  });

  afterAll(async () => {
    await supergraph?.close();
  });

  it('sends a stock change of one product, with the product resolved from its subgraph, after an order', async () => {
    const productId = await createProduct(client, adminToken, {
      name: 'Premium Smartphone',
      description: 'A flagship phone',
      category: 'Electronics',
      price: 999.99,
      quantity: 50,
    });
    const other = await createProduct(client, adminToken, {
      name: 'Phone Case',
      category: 'Electronics',
      price: 19.99,
      quantity: 50,
    });
    await Promise.all([stockOf(client, productId), stockOf(client, other)]);
    const customer = await signUpCustomer(client, 'live-shopper@example.com');
    const [stock] = await opened(0, [client.subscribe(StockUpdatedSubscription, { productId })]);

    dataOf(
      await placeOrder(client, customer.token, {
        items: [
          { productId: other, quantity: 2 },
          { productId, quantity: 1 },
        ],
        shippingAddress: exampleAddress,
      }),
    );

    const { stockUpdated } = dataOf(
      await stock!.waitFor((result) => result.data?.stockUpdated.reason === 'RESERVED'),
    );
    expect(stockUpdated).toMatchObject({
      productId,
      available: 49,
      reserved: 1,
      lowStock: false,
      product: {
        id: productId,
        name: 'Premium Smartphone',
        price: 999.99,
        inventory: { available: 49, reserved: 1 },
      },
    });
    expect(stock!.results.every((result) => result.data?.stockUpdated.productId === productId)).toBe(true);
  });

  it('sends every order to an admin and customers only their own', async () => {
    const productId = await createProduct(client, adminToken, {
      name: 'Wireless Headphones',
      category: 'Audio',
      price: 199.99,
      quantity: 100,
    });
    await stockOf(client, productId);
    const [alice, bob] = await Promise.all([
      signUpCustomer(client, 'live-alice@example.com'),
      signUpCustomer(client, 'live-bob@example.com'),
    ]);
    const [all, alices, bobs] = await opened(0, [
      client.subscribe(OrderPlacedSubscription, {}, { token: adminToken }),
      client.subscribe(OrderPlacedSubscription, {}, { token: alice.token }),
      client.subscribe(OrderPlacedSubscription, {}, { connectionParams: { token: bob.token } }),
    ]);

    const order = async (token: string) =>
      dataOf(
        await placeOrder(client, token, {
          items: [{ productId, quantity: 1 }],
          shippingAddress: exampleAddress,
        }),
      ).placeOrder.id;
    const aliceOrders = [await order(alice.token), await order(alice.token)];
    const bobOrder = await order(bob.token);

    const idsOf = (subscription: LiveSubscription<{ orderPlaced: { id: string } }>) =>
      subscription.results.map((result) => result.data?.orderPlaced.id);
    for (const id of [...aliceOrders, bobOrder])
      await all!.waitFor((result) => result.data?.orderPlaced.id === id);
    for (const id of aliceOrders) await alices!.waitFor((result) => result.data?.orderPlaced.id === id);
    await bobs!.waitFor((result) => result.data?.orderPlaced.id === bobOrder);

    expect(idsOf(alices!).sort()).toEqual([...aliceOrders].sort());
    expect(idsOf(bobs!)).toEqual([bobOrder]);
    const aliceView = alices!.results[0]?.data?.orderPlaced;
    // The order is read when the event is delivered: inventory may have confirmed it by then.
    expect(['PENDING', 'CONFIRMED']).toContain(aliceView?.status);
    expect(aliceView).toMatchObject({
      total: 199.99,
      user: { id: alice.id, email: 'live-alice@example.com' },
      items: [{ quantity: 1, product: { id: productId, name: 'Wireless Headphones' } }],
    });
  });

  it('refuses lowStockAlert without a token (4401) and alerts an admin HIGH then CRITICAL as stock runs out', async () => {
    const anonymous = client.subscribe(LowStockAlertSubscription, {});
    open.push(anonymous);
    expect(await anonymous.closed).toMatchObject({ code: CloseCode.Unauthorized });

    const productId = await createProduct(client, adminToken, {
      name: 'Smart Watch',
      category: 'Wearables',
      price: 299.99,
      quantity: 10,
      reorderThreshold: 10,
    });
    await stockOf(client, productId);
    const [alerts] = await opened(0, [
      client.subscribe(LowStockAlertSubscription, {}, { token: adminToken }),
    ]);

    const adjust = async (delta: number) =>
      dataOf(
        await client.request(AdjustStockMutation, { productId, delta, reason: 'e2e' }, { token: adminToken }),
      );
    await adjust(-6);
    const high = await alerts!.waitFor(
      (r) => r.data?.lowStockAlert.productId === productId && r.data.lowStockAlert.priority === 'HIGH',
    );
    await adjust(-4);
    const critical = await alerts!.waitFor(
      (r) => r.data?.lowStockAlert.productId === productId && r.data.lowStockAlert.priority === 'CRITICAL',
    );

    expect(high.data?.lowStockAlert).toMatchObject({
      available: 4,
      reorderThreshold: 10,
      product: { name: 'Smart Watch' },
    });
    expect(critical.data?.lowStockAlert).toMatchObject({
      available: 0,
      product: { id: productId, name: 'Smart Watch' },
    });
    const priorities = alerts!.results
      .filter((r) => r.data?.lowStockAlert.productId === productId)
      .map((r) => r.data?.lowStockAlert.priority);
    expect(priorities.indexOf('HIGH')).toBeLessThan(priorities.indexOf('CRITICAL'));
  });

  it('executes at most one upstream fetch per subgraph step per event for 50 subscribers of one selection', async () => {
    const productId = await createProduct(client, adminToken, {
      name: 'Mechanical Keyboard',
      category: 'Office',
      price: 129,
      quantity: 1000,
    });
    await stockOf(client, productId);
    const subscribers = await opened(
      0,
      Array.from({ length: 50 }, () => client.subscribe(StockUpdatedSubscription, { productId })),
    );
    // Straight to the inventory subgraph, so the proxies count the subscription's fetches alone.
    const inventory = createClient(supergraph.subgraphs.inventory.url);
    supergraph.requests.reset();

    for (const [delta, available] of [
      [-10, 990],
      [-5, 985],
    ] as const) {
      dataOf(await inventory.request(AdjustStockMutation, { productId, delta }, { token: adminToken }));
      await Promise.all(
        subscribers.map((s) => s.waitFor((r) => r.data?.stockUpdated.available === available)),
      );
    }

    // The plan: primary (the event) -> products (name, price) and inventory (inventory) in parallel.
    // The second event's name and price come from the entity cache (stock.updated does not change
    // them), and the product's stock row from the event itself, which carries all of it.
    expect(supergraph.requests.counts()).toEqual({ users: 0, orders: 0, products: 1, inventory: 0 });
    for (const subscriber of subscribers) {
      expect(subscriber.results.at(-1)?.data?.stockUpdated.product).toMatchObject({
        name: 'Mechanical Keyboard',
        inventory: { available: 985 },
      });
    }
  });

  it('delivers each event through every gateway instance to its own subscribers', async () => {
    const productId = await createProduct(client, adminToken, {
      name: 'Desk Lamp',
      category: 'Office',
      price: 39,
      quantity: 20,
    });
    await stockOf(client, productId);
    const second = createClient(supergraph.gateways[1]!.url);
    const [first] = await opened(0, [client.subscribe(StockUpdatedSubscription, { productId })]);
    const [other] = await opened(1, [second.subscribe(StockUpdatedSubscription, { productId })]);

    await client.request(AdjustStockMutation, { productId, delta: -3 }, { token: adminToken });

    for (const subscription of [first!, other!]) {
      const { stockUpdated } = dataOf(
        await subscription.waitFor((r) => r.data?.stockUpdated.available === 17),
      );
      expect(stockUpdated.product.name).toBe('Desk Lamp');
    }
  });

  it('sends the status changes of one order to its owner and to an admin', async () => {
    const productId = await createProduct(client, adminToken, {
      name: 'Office Chair',
      category: 'Office',
      price: 249,
      quantity: 10,
    });
    await stockOf(client, productId);
    const customer = await signUpCustomer(client, 'live-status@example.com');
    const orderId = dataOf(
      await placeOrder(client, customer.token, {
        items: [{ productId, quantity: 1 }],
        shippingAddress: exampleAddress,
      }),
    ).placeOrder.id;
    await waitForOrderStatus(client, customer.token, orderId, 'CONFIRMED');
    const [mine, admins] = await opened(0, [
      client.subscribe(OrderStatusChangedSubscription, { orderId }, { token: customer.token }),
      client.subscribe(OrderStatusChangedSubscription, {}, { token: adminToken }),
    ]);

    // An admin records a manual payment.
    dataOf(
      await client.request(UpdateOrderStatusMutation, { id: orderId, status: 'PAID' }, { token: adminToken }),
    );

    for (const subscription of [mine!, admins!]) {
      const { orderStatusChanged } = dataOf(
        await subscription.waitFor((r) => r.data?.orderStatusChanged.status === 'PAID'),
      );
      expect(orderStatusChanged).toMatchObject({ id: orderId, status: 'PAID' });
    }
  });

  it('ends a subscription with 4401 "Access token expired" when its token expires', async () => {
    const customer = await signUpCustomer(client, 'live-expiring@example.com');
    const token = supergraph.signAccessToken(
      { userId: customer.id, email: 'live-expiring@example.com', role: 'CUSTOMER' },
      2,
    );
    const [expiring] = await opened(0, [client.subscribe(OrderPlacedSubscription, {}, { token })]);
    expect(await expiring!.closed).toEqual({ code: CloseCode.Unauthorized, reason: 'Access token expired' });
    expect(await expiring!.completed).toBe('closed');
  });

  it('closes open subscriptions with 1001 and no `complete` when a gateway shuts down, so that clients resume', async () => {
    const second = createClient(supergraph.gateways[1]!.url);
    const [stock] = await opened(1, [second.subscribe(StockUpdatedSubscription, {}, { resume: false })]);
    await supergraph.gateways[1]!.close();
    expect(await stock!.completed).toBe('closed');
    expect(await stock!.closed).toMatchObject({ code: 1001 });
  });
});
