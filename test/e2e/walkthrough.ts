import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, dataOf, errorCodes, type Client } from '../client/client.js';
import type { ProductFilter } from '../client/generated/graphql.js';
import type { Supergraph } from '../harness/supergraph.js';
import {
  createProduct,
  exampleAddress,
  login,
  placeOrder,
  stockOf,
  waitForOrderStatus,
  waitForStock,
} from './actors.js';
import {
  AddAddressMutation,
  CancelOrderMutation,
  CreateProductMutation,
  LoginMutation,
  MeQuery,
  OrderQuery,
  OrdersQuery,
  PayOrderMutation,
  ProductsQuery,
  RegisterMutation,
  UpdateOrderStatusMutation,
} from './operations.js';

/**
 * The README walkthrough, step by step, through the gateway of the supergraph `start` returns (on
 * the servers, or embedded): one describe block, for an e2e file to call.
 */
export function describeWalkthrough(
  storage: string,
  start: () => Promise<Pick<Supergraph, 'gatewayUrl' | 'admin' | 'close'>>,
): void {
  describe(`walkthrough (${storage}): a customer shops while an admin runs the catalog`, () => {
    let supergraph: Pick<Supergraph, 'gatewayUrl' | 'admin' | 'close'>;
    let client: Client;
    let adminToken: string;
    let customer: { id: string; token: string };
    const products = { smartphone: '', headphones: '', watch: '' };
    const orders = { first: '', second: '' };

    beforeAll(async () => {
      supergraph = await start();
      client = createClient(supergraph.gatewayUrl);
      adminToken = await login(client, supergraph.admin.email, supergraph.admin.password);
    });

    afterAll(async () => {
      await supergraph?.close();
    });

    it('registers a customer who logs in, reads themselves and adds an address', async () => {
      const { register } = dataOf(
        await client.request(RegisterMutation, {
          input: {
            email: 'customer@example.com',
            password: 'Password123',
            firstName: 'Example',
            lastName: 'Customer',
            phone: '555-123-4567',
          },
        }),
      );
      expect(register).toMatchObject({
        email: 'customer@example.com',
        firstName: 'Example',
        lastName: 'Customer',
        phone: '555-123-4567',
        role: 'CUSTOMER',
        addresses: [],
      });

      const { login: auth } = dataOf(
        await client.request(LoginMutation, { email: 'customer@example.com', password: 'Password123' }),
      );
      expect(auth.accessToken).toBeTruthy();
      expect(auth.refreshToken).toBeTruthy();
      expect(auth.user.id).toBe(register.id);
      customer = { id: register.id, token: auth.accessToken };

      const { me } = dataOf(await client.request(MeQuery, {}, { token: customer.token }));
      expect(me).toMatchObject({ id: register.id, email: 'customer@example.com', addresses: [] });

      const { addAddress } = dataOf(
        await client.request(
          AddAddressMutation,
          { input: { ...exampleAddress, isDefault: true } },
          { token: customer.token },
        ),
      );
      expect(addAddress).toMatchObject({ ...exampleAddress, isDefault: true });
      const after = dataOf(await client.request(MeQuery, {}, { token: customer.token }));
      expect(after.me?.addresses).toEqual([addAddress]);
    });

    it('lets the admin create products and refuses createProduct to a customer with FORBIDDEN', async () => {
      products.smartphone = await createProduct(client, adminToken, {
        name: 'Premium Smartphone',
        category: 'Electronics',
        price: 899.99,
        quantity: 50,
      });
      products.headphones = await createProduct(client, adminToken, {
        name: 'Wireless Noise-Cancelling Headphones',
        category: 'Audio',
        price: 249.99,
        quantity: 100,
        reorderThreshold: 10,
      });
      products.watch = await createProduct(client, adminToken, {
        name: 'Smart Fitness Watch',
        category: 'Wearables',
        price: 179.99,
        quantity: 75,
      });

      const refused = await client.request(
        CreateProductMutation,
        { input: { name: 'Contraband', category: 'Electronics', price: 1, quantity: 1 } },
        { token: customer.token },
      );
      expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    });

    it('lists and filters the catalog, and shows the stock created from product.created', async () => {
      const names = async (filter?: ProductFilter) =>
        dataOf(await client.request(ProductsQuery, { filter, first: 50 }))
          .products.edges.map((edge) => edge.node.name)
          .sort();
      expect(await names(undefined)).toEqual([
        'Premium Smartphone',
        'Smart Fitness Watch',
        'Wireless Noise-Cancelling Headphones',
      ]);
      expect(await names({ category: 'Electronics' })).toEqual(['Premium Smartphone']);
      expect(await names({ minPrice: 100, maxPrice: 300 })).toEqual([
        'Smart Fitness Watch',
        'Wireless Noise-Cancelling Headphones',
      ]);

      expect(await stockOf(client, products.smartphone)).toMatchObject({
        available: 50,
        reserved: 0,
        reorderThreshold: 5,
      });
      expect(await stockOf(client, products.headphones)).toMatchObject({
        available: 100,
        reserved: 0,
        reorderThreshold: 10,
      });
    });

    it('places orders priced from the catalog, CONFIRMED once inventory reserved them, listed newest first', async () => {
      const first = dataOf(
        await placeOrder(client, customer.token, {
          items: [{ productId: products.smartphone, quantity: 1 }],
          shippingAddress: exampleAddress,
        }),
      ).placeOrder;
      expect(first).toMatchObject({ status: 'PENDING', total: 899.99 });

      const second = dataOf(
        await placeOrder(client, customer.token, {
          items: [
            { productId: products.headphones, quantity: 1 },
            { productId: products.watch, quantity: 2 },
          ],
          shippingAddress: exampleAddress,
        }),
      ).placeOrder;
      expect(second).toMatchObject({ status: 'PENDING', total: 609.97 });
      orders.first = first.id;
      orders.second = second.id;
      // Inventory reserves every item from order.placed and answers inventory.reserved: CONFIRMED.
      await waitForOrderStatus(client, customer.token, first.id, 'CONFIRMED');
      await waitForOrderStatus(client, customer.token, second.id, 'CONFIRMED');
      await waitForStock(client, products.headphones, { available: 99, reserved: 1 });
      await waitForStock(client, products.watch, { available: 73, reserved: 2 });

      const listed = dataOf(await client.request(OrdersQuery, {}, { token: customer.token })).orders;
      expect(listed.map((order) => order.id)).toEqual([second.id, first.id]);

      const { order } = dataOf(
        await client.request(OrderQuery, { id: second.id }, { token: customer.token }),
      );
      expect(order).toMatchObject({
        id: second.id,
        status: 'CONFIRMED',
        version: 2,
        history: [
          { status: 'PENDING', reason: 'placed' },
          { status: 'CONFIRMED', reason: 'stock reserved' },
        ],
        payments: [],
        total: 609.97,
        user: { id: customer.id, email: 'customer@example.com' },
        shippingAddress: exampleAddress,
        items: [
          {
            quantity: 1,
            unitPrice: 249.99,
            product: { id: products.headphones, name: 'Wireless Noise-Cancelling Headphones' },
          },
          { quantity: 2, unitPrice: 179.99, product: { id: products.watch, name: 'Smart Fitness Watch' } },
        ],
      });
    });

    it('lets the customer pay the first order (after a declined card) and cancel the second', async () => {
      const card = (token: string) => ({ method: 'CARD' as const, token });
      const notByHand = await client.request(
        UpdateOrderStatusMutation,
        { id: orders.first, status: 'PAID' },
        { token: customer.token },
      );
      expect(errorCodes(notByHand)).toEqual(['FORBIDDEN']);
      const declined = await client.request(
        PayOrderMutation,
        { orderId: orders.first, payment: card('tok_chargeDeclined') },
        { token: customer.token },
      );
      expect(errorCodes(declined)).toEqual(['PAYMENT_DECLINED']);
      const { payOrder: paid } = dataOf(
        await client.request(
          PayOrderMutation,
          { orderId: orders.first, payment: card('tok_visa') },
          { token: customer.token },
        ),
      );
      expect(paid).toMatchObject({ status: 'PAID', total: 899.99 });
      expect(paid.payments.map(({ amount, status }) => ({ amount, status }))).toEqual([
        { amount: 899.99, status: 'FAILED' },
        { amount: 899.99, status: 'SUCCEEDED' },
      ]);
      expect(paid.history.map((change) => change.status)).toEqual(['PENDING', 'CONFIRMED', 'PAID']);

      const cancelled = dataOf(
        await client.request(CancelOrderMutation, { id: orders.second }, { token: customer.token }),
      );
      expect(cancelled.cancelOrder.status).toBe('CANCELLED');
      const { order } = dataOf(
        await client.request(OrderQuery, { id: orders.second }, { token: customer.token }),
      );
      expect(order?.status).toBe('CANCELLED');
      expect(order?.history.at(-1)).toMatchObject({
        status: 'CANCELLED',
        reason: 'cancelled by the customer',
      });
    });

    it('ends with one smartphone reserved and the cancelled order’s stock returned in full', async () => {
      await waitForStock(client, products.smartphone, { available: 49, reserved: 1 });
      await waitForStock(client, products.headphones, { available: 100, reserved: 0 });
      await waitForStock(client, products.watch, { available: 75, reserved: 0 });
    });
  });
}
