import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type Browser } from '../browser/chromium.js';
import { GraphiqlPage } from '../browser/graphiql.js';
import { createClient, dataOf, type Client } from '../client/client.js';
import { startSupergraph, type Supergraph } from '../harness/supergraph.js';
import { waitFor } from '../harness/wait.js';
import { createProduct, exampleAddress, login, placeOrder, signUpCustomer, stockOf } from './actors.js';

const screenshotPath = 'test-results/playground.png';

/** The GraphiQL playground in Debian's Chromium, against the whole supergraph on the real servers. */
describe('playground: GraphiQL served by the gateway, in a real browser', () => {
  let supergraph: Supergraph;
  let client: Client;
  let browser: Browser;
  let page: Page;
  let graphiql: GraphiqlPage;
  let customer: { id: string; token: string };
  let productId: string;
  const productName = 'Playground Desk Lamp';
  const customerEmail = 'playground@example.com';
  const requested: string[] = [];
  const sentOverWebSocket: string[] = [];
  let socketsClosed = 0;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    // Fail first and fast, naming the binary, when Chromium is not installed.
    browser = await launchChromium();
    supergraph = await startSupergraph();
    client = createClient(supergraph.gatewayUrl);
    const adminToken = await login(client, supergraph.admin.email, supergraph.admin.password);
    productId = await createProduct(client, adminToken, {
      name: productName,
      category: 'Lighting',
      price: 39.99,
      quantity: 20,
    });
    await stockOf(client, productId);
    customer = await signUpCustomer(client, customerEmail);

    page = await browser.context.newPage();
    page.on('request', (request) => requested.push(request.url()));
    page.on('websocket', (socket) => {
      socket.on('close', () => (socketsClosed += 1));
      socket.on('framesent', (frame) => {
        if (typeof frame.payload === 'string') sentOverWebSocket.push(frame.payload);
      });
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    graphiql = new GraphiqlPage(page);
  });

  afterAll(async () => {
    await browser?.close();
    await supergraph?.close();
  });

  it('opens GraphiQL on GET /graphql with the walkthrough tabs, loading nothing but the gateway', async () => {
    const response = await page.goto(supergraph.gatewayUrl);
    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
    await graphiql.ready();
    expect(await graphiql.tabTitles()).toEqual([
      'Products',
      'Login',
      'Me',
      'StockUpdated',
      'PlaceOrder',
      'OrderStatusChanged',
      'PayOrder',
      'AdjustStock',
    ]);
    const origin = new URL(supergraph.gatewayUrl).origin;
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('runs the products query and shows the catalog with its stock', async () => {
    await graphiql.openTab('Products');
    await graphiql.run();
    await graphiql.waitForResult([productName, '"available": 20']);
  });

  it('runs the login mutation, then me with the token set in the Headers editor', async () => {
    await graphiql.openTab('Login');
    await graphiql.setEditor('Variables', JSON.stringify({ email: customerEmail, password: 'Password123' }));
    await graphiql.run('Login');
    const result = await graphiql.waitForResult(['"accessToken"', customerEmail]);
    const token = /"accessToken": "([^"]+)"/.exec(result)?.[1];
    expect(token).toBeTruthy();

    await graphiql.openTab('Me');
    await graphiql.setEditor('Headers', JSON.stringify({ Authorization: `Bearer ${token}` }));
    await graphiql.run();
    await graphiql.waitForResult([`"id": "${customer.id}"`, customerEmail]);
  });

  it('opens the operation of a /graphql?query=... link in a tab of its own', async () => {
    const query = 'query Linked { products(first: 1) { totalCount } }';
    await page.goto(`${supergraph.gatewayUrl}?query=${encodeURIComponent(query)}`);
    await graphiql.ready();
    expect(await graphiql.tabTitles()).toContain('Linked');
    await graphiql.openTab('Linked');
    await graphiql.run();
    await graphiql.waitForResult(['"totalCount": 1']);
  });

  it('shows stockUpdated events live over graphql-ws, authenticated by the Authorization header', async () => {
    await graphiql.openTab('StockUpdated');
    await graphiql.setEditor('Headers', JSON.stringify({ Authorization: `Bearer ${customer.token}` }));
    await graphiql.run();
    await waitFor(() => sentOverWebSocket.some((frame) => frame.includes('"type":"subscribe"')), {
      message: 'the playground to subscribe over WebSocket',
    });
    expect(JSON.parse(sentOverWebSocket[0] ?? '{}')).toEqual({
      type: 'connection_init',
      payload: { authorization: `Bearer ${customer.token}` },
    });

    // The subscribe message may still be on its way to the gateway's consumers: order again until
    // the page shows an event (each order reserves one lamp).
    let ordered = 0;
    let nextOrderAt = 0;
    await waitFor(
      async () => {
        if (Date.now() >= nextOrderAt) {
          nextOrderAt = Date.now() + 5_000;
          ordered += 1;
          await placeOrder(client, customer.token, {
            items: [{ productId, quantity: 1 }],
            shippingAddress: exampleAddress,
          });
        }
        const shown = await graphiql.resultText();
        return shown.includes('"reason": "RESERVED"') && shown.includes(productName);
      },
      { timeoutMs: 60_000, intervalMs: 250, message: 'a stockUpdated event in the result pane' },
    );
    const shown = await graphiql.resultText();
    expect(shown).toContain(`"productId": "${productId}"`);
    expect(shown).toMatch(/"reserved": [1-9]/);
    expect(ordered).toBeGreaterThan(0);
    // The bar above GraphiQL counts the run's events and lists their cursors.
    expect(await page.locator('#subscription-operation').textContent()).toBe('StockUpdated');
    expect(await page.locator('#subscription-count').textContent()).toMatch(/^[1-9]\d* events?$/);
    expect(await page.locator('#subscription-cursors').textContent()).toMatch(/^#1 /);
    // The gateway sends a cursor with every event.
    expect(await page.locator('#subscription-cursor').textContent()).not.toMatch(/^(-|\(none\))?$/);
    expect(await page.locator('#subscription-cursors').textContent()).not.toContain('(no cursor)');

    expect(pageErrors).toEqual([]);
  });

  it('signs in once in the panel: me and a subscription run without Headers until sign-out', async () => {
    await page.goto(supergraph.gatewayUrl);
    await graphiql.ready();
    await page.locator('#session-email').fill(customerEmail);
    await page.locator('#session-password').fill('Password123');
    await page.locator('#session-sign-in').click();
    await page.locator('#session-user', { hasText: customerEmail }).waitFor({ timeout: 10_000 });
    const kept = await page.evaluate(() => sessionStorage.getItem('commerce-playground-session'));
    const { accessToken } = JSON.parse(kept ?? '{}') as { accessToken?: string };
    expect(accessToken).toBeTruthy();

    // The Headers editor stays empty: the session's token goes with every request.
    await graphiql.openTab('Me');
    await graphiql.run();
    await graphiql.waitForResult([`"id": "${customer.id}"`, customerEmail]);

    sentOverWebSocket.length = 0;
    await graphiql.openTab('OrderStatusChanged');
    await graphiql.run();
    await waitFor(() => sentOverWebSocket.some((frame) => frame.includes('"type":"subscribe"')), {
      message: 'the playground to subscribe over WebSocket',
    });
    expect(JSON.parse(sentOverWebSocket[0] ?? '{}')).toEqual({
      type: 'connection_init',
      payload: { authorization: `Bearer ${accessToken}` },
    });
    // As for stockUpdated: order again until the page shows the customer's order changing status.
    const orderIds: string[] = [];
    let nextOrderAt = 0;
    await waitFor(
      async () => {
        if (Date.now() >= nextOrderAt) {
          nextOrderAt = Date.now() + 5_000;
          const order = await placeOrder(client, customer.token, {
            items: [{ productId, quantity: 1 }],
            shippingAddress: exampleAddress,
          });
          orderIds.push(dataOf(order).placeOrder.id);
        }
        const shown = await graphiql.resultText();
        return orderIds.some((id) => shown.includes(`"id": "${id}"`)) && shown.includes('"CONFIRMED"');
      },
      { timeoutMs: 60_000, intervalMs: 250, message: 'an orderStatusChanged event in the result pane' },
    );
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: screenshotPath });

    // Sign-out closes the session's socket (its subscription ends) and the token is gone.
    const closedBefore = socketsClosed;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#session-form').waitFor({ state: 'visible', timeout: 5_000 });
    await waitFor(() => socketsClosed > closedBefore, { message: "the session's socket to close" });
    expect(await page.evaluate(() => sessionStorage.getItem('commerce-playground-session'))).toBeNull();
    const after = dataOf(
      await placeOrder(client, customer.token, {
        items: [{ productId, quantity: 1 }],
        shippingAddress: exampleAddress,
      }),
    ).placeOrder;
    await graphiql.openTab('Me');
    await graphiql.run();
    // Anonymous again: no token is sent, and me is null.
    await graphiql.waitForResult(['"me": null']);
    await graphiql.openTab('OrderStatusChanged');
    expect(await graphiql.resultText()).not.toContain(after.id);
    expect(pageErrors).toEqual([]);
  });
});
