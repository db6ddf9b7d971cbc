import { randomUUID } from 'node:crypto';
import { createEnvelope, type Envelope, type Topics } from '@commerce/common/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, dataOf, errorCodes, type Client, type LiveSubscription } from '../client/client.js';
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
  waitForStock,
} from './actors.js';
import {
  CancelOrderMutation,
  OrderQuery,
  PayOrderMutation,
  UpdateOrderStatusMutation,
} from './operations.js';
import { OrderStatusChangedSubscription } from './subscription-operations.js';

const card = (token: string) => ({ method: 'CARD' as const, token });

/** Subscribes the viewer of `token` to the status changes of their orders, once the gateway has registered it. */
async function watchOrders(supergraph: Supergraph, client: Client, token: string) {
  const subscriptions = supergraph.gateways[0]?.subscriptions;
  const before = subscriptions?.subscriptionCount() ?? 0;
  const live = client.subscribe(OrderStatusChangedSubscription, {}, { token });
  await live.connected;
  await waitFor(() => (subscriptions?.subscriptionCount() ?? 0) > before, {
    message: 'the subscription registered at the gateway',
  });
  return live;
}

/** The order lifecycle through the gateway: confirmation by inventory, payment, and what may not happen. */
describe('the order lifecycle', () => {
  let supergraph: Supergraph;
  let client: Client;
  let adminToken: string;
  const succeeded: Envelope<Topics['payment.succeeded']>[] = [];
  const reserved: Envelope<Topics['inventory.reserved']>[] = [];
  const stopObserving: (() => Promise<void>)[] = [];
  const open: LiveSubscription<unknown>[] = [];

  beforeAll(async () => {
    supergraph = await startSupergraph();
    client = createClient(supergraph.gatewayUrl);
    adminToken = await login(client, supergraph.admin.email, supergraph.admin.password);
    stopObserving.push(
      await supergraph.bus.subscribe(
        'payment.succeeded',
        `lifecycle-observer-${randomUUID()}`,
        (event) => Promise.resolve(void succeeded.push(event)),
        { fromBeginning: true },
      ),
      await supergraph.bus.subscribe(
        'inventory.reserved',
        `lifecycle-observer-${randomUUID()}`,
        (event) => Promise.resolve(void reserved.push(event)),
        { fromBeginning: true },
      ),
    );
  });

  afterAll(async () => {
    await Promise.all(open.map((subscription) => subscription.close()));
    await Promise.all(stopObserving.map((stop) => stop()));
    await supergraph?.close();
  });

  /** A fresh product with `quantity` in stock, known to inventory, and a fresh customer. */
  async function shop(name: string, quantity: number) {
    const productId = await createProduct(client, adminToken, {
      name,
      category: 'Lifecycle',
      price: 129.5,
      quantity,
    });
    await stockOf(client, productId);
    const customer = await signUpCustomer(client, `${name.toLowerCase().replace(/\W+/g, '-')}@example.com`);
    const order = async (units = 1) =>
      dataOf(
        await placeOrder(client, customer.token, {
          items: [{ productId, quantity: units }],
          shippingAddress: exampleAddress,
        }),
      ).placeOrder;
    return { productId, customer, order };
  }

  const pay = (token: string, orderId: string, cardToken: string) =>
    client.request(PayOrderMutation, { orderId, payment: card(cardToken) }, { token });

  it('takes an order from PENDING to CONFIRMED to PAID, charging once when two payOrder calls race, live for a subscriber', async () => {
    const { productId, customer, order } = await shop('Racing Bike', 10);
    const live = await watchOrders(supergraph, client, customer.token);
    open.push(live);

    const placed = await order();
    expect(placed.status).toBe('PENDING');
    const confirmed = await live.waitFor(
      (r) => r.data?.orderStatusChanged.id === placed.id && r.data.orderStatusChanged.status === 'CONFIRMED',
    );
    expect(confirmed.data?.orderStatusChanged.id).toBe(placed.id);
    await waitForStock(client, productId, { available: 9, reserved: 1 });

    const [first, second] = await Promise.all([
      pay(customer.token, placed.id, 'tok_visa'),
      pay(customer.token, placed.id, 'tok_visa'),
    ]);
    expect(errorCodes(first)).toEqual([]);
    expect(errorCodes(second)).toEqual([]);
    expect(dataOf(first).payOrder).toMatchObject({ id: placed.id, status: 'PAID', total: 129.5 });
    expect(dataOf(second).payOrder).toEqual(dataOf(first).payOrder);
    expect(dataOf(first).payOrder.payments).toEqual([
      expect.objectContaining({ amount: 129.5, status: 'SUCCEEDED', failureReason: null }),
    ]);

    await live.waitFor(
      (r) => r.data?.orderStatusChanged.id === placed.id && r.data.orderStatusChanged.status === 'PAID',
    );
    const seen = live.results
      .filter((r) => r.data?.orderStatusChanged.id === placed.id)
      .map((r) => r.data?.orderStatusChanged.status);
    expect(seen).toEqual(['CONFIRMED', 'PAID']);

    // payment.succeeded went out once: wait for it, then for the orders outbox to hold nothing more.
    await waitFor(() => succeeded.some((event) => event.payload.orderId === placed.id), {
      message: 'payment.succeeded',
    });
    await waitFor(async () => (await supergraph.subgraphs.orders.pendingEvents()) === 0, {
      message: 'the orders outbox to drain',
    });
    const ofOrder = succeeded.filter((event) => event.payload.orderId === placed.id);
    expect(ofOrder).toHaveLength(1);
    expect(ofOrder[0]?.payload).toMatchObject({
      amount: 129.5,
      method: 'CARD',
      userId: customer.id,
      paymentId: dataOf(first).payOrder.payments[0]?.id,
    });
    // The reservation is still held until the order ships.
    await waitForStock(client, productId, { available: 9, reserved: 1 });
  });

  it('answers a declined card with PAYMENT_DECLINED: the order stays CONFIRMED, its stock reserved, the failed payment listed', async () => {
    const { productId, customer, order } = await shop('Tandem Bike', 5);
    const placed = await order(2);
    await waitForOrderStatus(client, customer.token, placed.id, 'CONFIRMED');

    const declined = await pay(customer.token, placed.id, 'tok_chargeDeclined');
    expect(errorCodes(declined)).toEqual(['PAYMENT_DECLINED']);
    expect(declined.errors?.[0]?.message).toBe('Payment declined: Your card was declined.');

    const { order: after } = dataOf(
      await client.request(OrderQuery, { id: placed.id }, { token: customer.token }),
    );
    expect(after).toMatchObject({
      status: 'CONFIRMED',
      payments: [{ amount: 259, method: 'CARD', status: 'FAILED', failureReason: 'Your card was declined.' }],
    });
    expect(after?.history.map((change) => change.status)).toEqual(['PENDING', 'CONFIRMED']);
    await waitForStock(client, productId, { available: 3, reserved: 2 });

    const outage = await pay(customer.token, placed.id, 'tok_processingError');
    expect(errorCodes(outage)).toEqual(['PAYMENT_PROVIDER_UNAVAILABLE']);
  });

  it('refuses a customer’s updateOrderStatus(PAID) with FORBIDDEN, and payOrder of an unconfirmed order with ORDER_NOT_PAYABLE', async () => {
    const { customer, order } = await shop('Gravel Bike', 5);
    const placed = await order();
    const byHand = await client.request(
      UpdateOrderStatusMutation,
      { id: placed.id, status: 'PAID' },
      { token: customer.token },
    );
    expect(errorCodes(byHand)).toEqual(['FORBIDDEN']);
    await waitForOrderStatus(client, customer.token, placed.id, 'CONFIRMED');
    const again = await client.request(
      UpdateOrderStatusMutation,
      { id: placed.id, status: 'PAID' },
      { token: customer.token },
    );
    expect(errorCodes(again)).toEqual(['FORBIDDEN']);

    dataOf(await client.request(CancelOrderMutation, { id: placed.id }, { token: customer.token }));
    const notPayable = await pay(customer.token, placed.id, 'tok_visa');
    expect(errorCodes(notPayable)).toEqual(['ORDER_NOT_PAYABLE']);
    expect(notPayable.errors?.[0]?.extensions?.['details']).toEqual({
      orderId: placed.id,
      status: 'CANCELLED',
    });
  });

  it('ships only a PAID order, consuming its reservation', async () => {
    const { productId, customer, order } = await shop('Cargo Bike', 5);
    const placed = await order();
    await waitForOrderStatus(client, customer.token, placed.id, 'CONFIRMED');
    const ship = () =>
      client.request(UpdateOrderStatusMutation, { id: placed.id, status: 'SHIPPED' }, { token: adminToken });

    const refused = await ship();
    expect(errorCodes(refused)).toEqual(['INVALID_TRANSITION']);
    expect(refused.errors?.[0]?.message).toBe('Cannot change an order from CONFIRMED to SHIPPED');

    dataOf(await pay(customer.token, placed.id, 'tok_visa'));
    expect(dataOf(await ship()).updateOrderStatus.status).toBe('SHIPPED');
    await waitForStock(client, productId, { available: 4, reserved: 0 });
  });

  it('reserves nothing for a placement event that arrives after its order was cancelled', async () => {
    const { productId, customer, order } = await shop('Folding Bike', 10);
    const placed = await order();
    await waitForOrderStatus(client, customer.token, placed.id, 'CONFIRMED');
    dataOf(await client.request(CancelOrderMutation, { id: placed.id }, { token: customer.token }));
    await waitForStock(client, productId, { available: 10, reserved: 0 });

    // The order's placement again, late (as a replayed dead letter or a re-published event would be).
    const placement = {
      orderId: placed.id,
      userId: customer.id,
      items: [{ productId, quantity: 1, unitPrice: 129.5 }],
      total: 129.5,
      createdAt: new Date().toISOString(),
      version: 1,
    };
    const origin = { source: 'orders', correlationId: randomUUID() };
    await supergraph.bus.publish(
      'order.placed',
      placed.id,
      createEnvelope('order.placed', placement, origin),
    );
    // A probe on the same key (so the same partition, handled after it) that does reserve one unit:
    // once the probe is reserved, the late event has been handled, and the stock shows what it did.
    const probe = { ...placement, orderId: randomUUID() };
    await supergraph.bus.publish('order.placed', placed.id, createEnvelope('order.placed', probe, origin));
    await waitFor(() => reserved.some((event) => event.payload.orderId === probe.orderId), {
      message: 'the probe reserved',
    });
    await waitForStock(client, productId, { available: 9, reserved: 1 });
    expect(reserved.filter((event) => event.payload.orderId === placed.id)).toHaveLength(1);

    const { order: after } = dataOf(
      await client.request(OrderQuery, { id: placed.id }, { token: customer.token }),
    );
    expect(after?.status).toBe('CANCELLED');
  });
});

/** Done-when: with a payment time of 3 s, an unpaid order expires, its stock returns, subscribers see it. */
describe('the expiry of an unpaid order (ORDER_PAYMENT_TTL_SECONDS=3)', () => {
  let supergraph: Supergraph;
  let client: Client;
  let live: LiveSubscription<unknown> | undefined;

  beforeAll(async () => {
    supergraph = await startSupergraph({ orderPolicy: { paymentTtlSeconds: 3 } });
    client = createClient(supergraph.gatewayUrl);
  });

  afterAll(async () => {
    await live?.close();
    await supergraph?.close();
  });

  it('turns an unpaid order EXPIRED, returns its stock, and tells the subscribers', async () => {
    const adminToken = await login(client, supergraph.admin.email, supergraph.admin.password);
    const productId = await createProduct(client, adminToken, {
      name: 'Limited Sneakers',
      category: 'Shoes',
      price: 180,
      quantity: 4,
    });
    await stockOf(client, productId);
    const customer = await signUpCustomer(client, 'hoarder@example.com');
    const statuses = await watchOrders(supergraph, client, customer.token);
    live = statuses;

    const placed = dataOf(
      await placeOrder(client, customer.token, {
        items: [{ productId, quantity: 4 }],
        shippingAddress: exampleAddress,
      }),
    ).placeOrder;
    const { order } = dataOf(await client.request(OrderQuery, { id: placed.id }, { token: customer.token }));
    const dueIn = Date.parse(order?.paymentDueAt ?? '') - Date.now();
    expect(dueIn).toBeGreaterThan(0);
    expect(dueIn).toBeLessThanOrEqual(3_000);

    const expired = await statuses.waitFor(
      (r) => r.data?.orderStatusChanged.id === placed.id && r.data.orderStatusChanged.status === 'EXPIRED',
      { timeoutMs: 30_000 },
    );
    expect(expired.data?.orderStatusChanged.history.at(-1)).toEqual({
      status: 'EXPIRED',
      reason: 'not paid within 3 s',
    });
    await waitForStock(client, productId, { available: 4, reserved: 0 });

    const late = await client.request(
      PayOrderMutation,
      { orderId: placed.id, payment: card('tok_visa') },
      { token: customer.token },
    );
    expect(errorCodes(late)).toEqual(['ORDER_NOT_PAYABLE']);
    expect(late.errors?.[0]?.extensions?.['details']).toMatchObject({ status: 'EXPIRED' });
  });
});
