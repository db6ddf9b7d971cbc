/**
 * `npm run example [-- <gateway url>]`: the user's walkthrough, step by step, with the generated
 * typed client against a running supergraph (`npm start` in another terminal). Safe to re-run:
 * the customer's email is new each time.
 */
import { createClient, dataOf, errorCodes } from '../test/client/client.js';
import { exampleAddress as address } from '../test/e2e/actors.js';
import {
  AddAddressMutation,
  CancelOrderMutation,
  CreateProductMutation,
  LoginMutation,
  MeQuery,
  OrderQuery,
  PayOrderMutation,
  PlaceOrderMutation,
  ProductsQuery,
  RegisterMutation,
  UpdateOrderStatusMutation,
} from '../test/e2e/operations.js';
import {
  OrderStatusChangedSubscription,
  StockUpdatedSubscription,
} from '../test/e2e/subscription-operations.js';

const url = process.argv[2] ?? process.env['EXAMPLE_URL'] ?? 'http://localhost:4000/graphql';
const client = createClient(url);
const step = (title: string, value: unknown): void =>
  console.log(`\n== ${title}\n${JSON.stringify(value, null, 2)}`);

async function login(email: string, password: string): Promise<string> {
  return dataOf(await client.request(LoginMutation, { email, password })).login.accessToken;
}

async function smartphoneId(admin: string): Promise<string> {
  const filter = { search: 'Premium Smartphone' };
  const found = dataOf(await client.request(ProductsQuery, { filter, first: 1 })).products.edges[0];
  if (found) return found.node.id;
  const input = { name: 'Premium Smartphone', category: 'Electronics', price: 899.99, quantity: 50 };
  return dataOf(await client.request(CreateProductMutation, { input }, { token: admin })).createProduct.id;
}

const admin = await login(
  process.env['ADMIN_EMAIL'] ?? 'admin@example.com',
  process.env['ADMIN_PASSWORD'] ?? 'Admin12345!',
);
const email = `customer+${Date.now()}@example.com`;
const registerInput = {
  email,
  password: 'Password123',
  firstName: 'Example',
  lastName: 'Customer',
  phone: '555-123-4567',
};
step('register', dataOf(await client.request(RegisterMutation, { input: registerInput })).register);
const token = await login(email, 'Password123');
step('login, then me', dataOf(await client.request(MeQuery, {}, { token })).me);
const added = await client.request(AddAddressMutation, { input: { ...address, isDefault: true } }, { token });
step('addAddress', dataOf(added).addAddress);
step('products', dataOf(await client.request(ProductsQuery, {})).products);

const productId = await smartphoneId(admin);
const live = client.subscribe(StockUpdatedSubscription, { productId }, { token });
const statuses = client.subscribe(OrderStatusChangedSubscription, {}, { token });
await Promise.all([live.connected, statuses.connected]);
const items = [{ productId, quantity: 1 }];
const first = dataOf(
  await client.request(PlaceOrderMutation, { input: { items, shippingAddress: address } }, { token }),
);
const orderId = first.placeOrder.id;
step('placeOrder (1 smartphone): PENDING until inventory reserves it', first.placeOrder);
const event = await live.waitFor((result) => result.data?.stockUpdated.reason === 'RESERVED', {
  timeoutMs: 30_000,
});
step('stockUpdated, live over graphql-ws', event.data?.stockUpdated);
await live.close();
const confirmed = await statuses.waitFor(
  (result) =>
    result.data?.orderStatusChanged.id === orderId && result.data.orderStatusChanged.status === 'CONFIRMED',
  { timeoutMs: 30_000 },
);
step('orderStatusChanged, live: inventory reserved the stock', confirmed.data?.orderStatusChanged);

const byHand = await client.request(UpdateOrderStatusMutation, { id: orderId, status: 'PAID' }, { token });
step('updateOrderStatus PAID by the customer is refused', errorCodes(byHand));
const declined = await client.request(
  PayOrderMutation,
  { orderId, payment: { method: 'CARD', token: 'tok_chargeDeclined' } },
  { token },
);
step('payOrder with a declined card (tok_chargeDeclined)', declined.errors?.[0]);
const paid = await client.request(
  PayOrderMutation,
  { orderId, payment: { method: 'CARD', token: 'tok_visa' } },
  { token },
);
step('payOrder (tok_visa)', dataOf(paid).payOrder);
await statuses.waitFor(
  (result) =>
    result.data?.orderStatusChanged.id === orderId && result.data.orderStatusChanged.status === 'PAID',
  { timeoutMs: 30_000 },
);
await statuses.close();
step(
  'the order, its history and payments',
  dataOf(await client.request(OrderQuery, { id: orderId }, { token })).order,
);

const second = dataOf(
  await client.request(PlaceOrderMutation, { input: { items, shippingAddress: address } }, { token }),
);
step('placeOrder (another smartphone)', second.placeOrder);
const cancelled = await client.request(CancelOrderMutation, { id: second.placeOrder.id }, { token });
step('cancelOrder', dataOf(cancelled).cancelOrder);
