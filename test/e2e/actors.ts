import { dataOf, errorCodes, type Client, type Response } from '../client/client.js';
import type {
  CreateProductInput,
  OrderQuery as OrderView,
  OrderStatus,
  PlaceOrderInput,
  PlaceOrderMutation,
} from '../client/generated/graphql.js';
import { waitFor } from '../harness/wait.js';
import {
  CreateProductMutation,
  LoginMutation,
  OrderQuery,
  PlaceOrderMutation as PlaceOrder,
  ProductInventoryQuery,
  RegisterMutation,
} from './operations.js';

/** The shipping address of the walkthrough (the customer's address without isDefault). */
export const exampleAddress = {
  line1: '123 Example Street',
  line2: 'Apt 4B',
  city: 'Example City',
  state: 'EX',
  postalCode: '12345',
  country: 'Example Country',
} as const;

/** Logs in and returns the access token. */
export async function login(client: Client, email: string, password: string): Promise<string> {
  return dataOf(await client.request(LoginMutation, { email, password })).login.accessToken;
}

/** Registers a customer and logs them in. */
export async function signUpCustomer(client: Client, email: string): Promise<{ id: string; token: string }> {
  const password = 'Password123';
  const { register } = dataOf(
    await client.request(RegisterMutation, {
      input: { email, password, firstName: 'Test', lastName: 'Customer' },
    }),
  );
  return { id: register.id, token: await login(client, email, password) };
}

export async function createProduct(
  client: Client,
  adminToken: string,
  input: CreateProductInput,
): Promise<string> {
  return dataOf(await client.request(CreateProductMutation, { input }, { token: adminToken })).createProduct
    .id;
}

/** The product's stock as the API shows it, once inventory has processed product.created. */
export function stockOf(
  client: Client,
  productId: string,
): Promise<{ available: number; reserved: number; reorderThreshold: number }> {
  return waitFor(
    async () =>
      dataOf(await client.request(ProductInventoryQuery, { id: productId })).product?.inventory ?? undefined,
    { message: `inventory of product ${productId}` },
  );
}

/** Polls the product's stock until it reads `expected`. */
export function waitForStock(
  client: Client,
  productId: string,
  expected: { available: number; reserved: number },
  timeoutMs = 30_000,
): Promise<unknown> {
  let last: unknown;
  return waitFor(
    async () => {
      const inventory = dataOf(await client.request(ProductInventoryQuery, { id: productId })).product
        ?.inventory;
      last = inventory && { available: inventory.available, reserved: inventory.reserved };
      return inventory?.available === expected.available && inventory.reserved === expected.reserved;
    },
    {
      timeoutMs,
      message: `stock of ${productId} to read ${JSON.stringify(expected)} (last read ${JSON.stringify(last)})`,
    },
  );
}

/**
 * Places an order. The orders subgraph prices orders from its own copy of the catalog, fed by
 * product.created events: until that event has arrived it answers BAD_USER_INPUT "Unknown product"
 * and stores nothing, so that answer is retried; every other answer is returned as it is.
 */
export async function placeOrder(
  client: Client,
  token: string,
  input: PlaceOrderInput,
  timeoutMs = 30_000,
): Promise<Response<PlaceOrderMutation>> {
  return waitFor(
    async () => {
      const response = await client.request(PlaceOrder, { input }, { token });
      const unknownProduct =
        errorCodes(response)[0] === 'BAD_USER_INPUT' &&
        /unknown product/i.test(response.errors?.[0]?.message ?? '');
      return unknownProduct ? undefined : response;
    },
    { timeoutMs, message: 'the orders subgraph to know the products (product.created)' },
  );
}

/** Polls the order (as `token`'s viewer sees it) until its status is `status`, and returns it. */
export function waitForOrderStatus(
  client: Client,
  token: string,
  orderId: string,
  status: OrderStatus,
  timeoutMs = 30_000,
): Promise<NonNullable<OrderView['order']>> {
  let last: string | undefined;
  return waitFor(
    async () => {
      const { order } = dataOf(await client.request(OrderQuery, { id: orderId }, { token }));
      last = order?.status;
      return order?.status === status && order;
    },
    { timeoutMs, message: `order ${orderId} to be ${status} (last ${last ?? 'unread'})` },
  );
}
