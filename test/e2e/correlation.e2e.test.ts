import { randomUUID } from 'node:crypto';
import type { Envelope } from '@commerce/common/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, dataOf, type Client } from '../client/client.js';
import { startSupergraph, type Supergraph } from '../harness/supergraph.js';
import { waitFor } from '../harness/wait.js';
import { exampleAddress, login, signUpCustomer } from './actors.js';
import { CreateProductMutation, PlaceOrderMutation } from './operations.js';

let supergraph: Supergraph;
let client: Client;
const seen: Envelope<{ productId?: string; orderId?: string | null }>[] = [];
const unsubscribes: (() => Promise<void>)[] = [];

beforeAll(async () => {
  supergraph = await startSupergraph();
  client = createClient(supergraph.gatewayUrl);
  const record = (event: Envelope<{ productId?: string; orderId?: string | null }>): Promise<void> =>
    Promise.resolve(void seen.push(event));
  const group = `correlation-${randomUUID()}`;
  for (const topic of ['product.created', 'order.placed', 'stock.updated'] as const) {
    unsubscribes.push(await supergraph.bus.subscribe(topic, group, record, { fromBeginning: true }));
  }
});

afterAll(async () => {
  await Promise.all(unsubscribes.map((unsubscribe) => unsubscribe()));
  await supergraph?.close();
});

const withCorrelation = (correlationId: string) => ({ 'x-correlation-id': correlationId });

describe('correlation ids through the supergraph', () => {
  it('a request correlation id reaches its events, and the events they cause name them as cause', async () => {
    const admin = await login(client, supergraph.admin.email, supergraph.admin.password);
    const createCorrelation = randomUUID();
    const input = { name: 'Traced Lamp', category: 'Home', price: 19.99, quantity: 3 };
    const created = await client.request(
      CreateProductMutation,
      { input },
      { token: admin, headers: withCorrelation(createCorrelation) },
    );
    const productId = dataOf(created).createProduct.id;

    const productCreated = await waitFor(() =>
      seen.find((e) => e.metadata.eventType === 'product.created' && e.payload.productId === productId),
    );
    expect(productCreated.metadata.correlationId).toBe(createCorrelation);
    expect(productCreated.metadata.causationId).toBeNull();
    const stockCreated = await waitFor(() =>
      seen.find((e) => e.metadata.eventType === 'stock.updated' && e.payload.productId === productId),
    );
    expect(stockCreated.metadata).toMatchObject({
      correlationId: createCorrelation,
      causationId: productCreated.metadata.eventId,
      source: 'inventory',
    });

    const customer = await signUpCustomer(client, `traced-${randomUUID()}@example.com`);
    const orderCorrelation = randomUUID();
    const orderInput = { items: [{ productId, quantity: 1 }], shippingAddress: exampleAddress };
    // Orders learns the product from product.created; until then it answers "Unknown product".
    const order = await waitFor(
      async () => {
        const response = await client.request(
          PlaceOrderMutation,
          { input: orderInput },
          { token: customer.token, headers: withCorrelation(orderCorrelation) },
        );
        return response.errors ? undefined : dataOf(response).placeOrder;
      },
      { message: 'placeOrder to succeed once orders knows the product' },
    );
    const placed = await waitFor(() =>
      seen.find((e) => e.metadata.eventType === 'order.placed' && e.payload.orderId === order.id),
    );
    expect(placed.metadata.correlationId).toBe(orderCorrelation);
    const reserved = await waitFor(() =>
      seen.find((e) => e.metadata.eventType === 'stock.updated' && e.payload.orderId === order.id),
    );
    expect(reserved.metadata).toMatchObject({
      correlationId: orderCorrelation,
      causationId: placed.metadata.eventId,
    });
  });
});
