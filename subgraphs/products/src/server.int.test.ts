import { generateKeyPair, signAccessToken, type Role } from '@commerce/common/auth';
import type { JwtConfig } from '@commerce/common/config';
import type { Envelope, Topics } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import type { OpenedSubgraph, RunningSubgraph } from '@commerce/common/server';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKafkaBus, type EventRecorder, type TestKafkaBus } from '../../../test/harness/kafka.js';
import { createMongoDatabase } from '../../../test/harness/servers.js';
import { waitFor } from '../../../test/harness/wait.js';
import { productsSubgraph } from './subgraph.js';

interface GraphqlResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; details?: { field?: string } } }[];
}

interface ProductView {
  id: string;
  name: string;
  description: string | null;
  category: string;
  price: number;
  createdAt: string;
}

interface Connection {
  edges: { cursor: string; node: ProductView }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount: number;
}

const productFields = 'id name description category price createdAt';
const listQuery = `query List($filter: ProductFilter, $first: Int, $after: String) {
  products(filter: $filter, first: $first, after: $after) {
    edges { cursor node { ${productFields} } }
    pageInfo { endCursor hasNextPage }
    totalCount
  }
}`;
const createMutation = `mutation Create($input: CreateProductInput!) { createProduct(input: $input) { ${productFields} } }`;

const walkthrough = [
  {
    name: 'Premium Smartphone',
    description: 'Flagship phone with a 6.7" display',
    category: 'Electronics',
    price: 899.99,
    quantity: 50,
  },
  {
    name: 'Wireless Noise-Cancelling Headphones',
    description: 'Over-ear, 30 h battery',
    category: 'Audio',
    price: 249.99,
    quantity: 100,
    reorderThreshold: 10,
  },
  { name: 'Smart Fitness Watch', description: null, category: 'Wearables', price: 179.99, quantity: 75 },
];

let database: Awaited<ReturnType<typeof createMongoDatabase>>;
let client: MongoClient;
let db: Db;
let kafka: TestKafkaBus;
let recorder: EventRecorder;
let storage: OpenedSubgraph;
let subgraph: RunningSubgraph;
let tokens: Record<Role, string>;
const ids: Record<string, string> = {};
const productTopics = ['product.created', 'product.updated', 'product.deleted'] as const;
type ProductTopic = (typeof productTopics)[number];

async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  role?: Role,
): Promise<GraphqlResponse<T>> {
  const response = await fetch(subgraph.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(role ? { authorization: `Bearer ${tokens[role]}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphqlResponse<T>;
}

async function list(variables: Record<string, unknown>): Promise<Connection> {
  const result = await gql<{ products: Connection }>(listQuery, variables);
  expect(result.errors).toBeUndefined();
  if (!result.data) throw new Error('no data');
  return result.data.products;
}

function eventsOf<T extends ProductTopic>(topic: T, productId: string): Envelope<Topics[T]>[] {
  return recorder
    .of(topic)
    .filter((recorded) => recorded.event.payload.productId === productId)
    .map((recorded) => recorded.event);
}

/** Every message recorded on the product topics. */
function received(): Envelope<Topics[ProductTopic]>[] {
  return productTopics.flatMap((topic) => recorder.of(topic).map((recorded) => recorded.event));
}

function errorOf<T>(result: GraphqlResponse<T>): { code: string | undefined; field: string | undefined } {
  const error = result.errors?.[0];
  return { code: error?.extensions?.code, field: error?.extensions?.details?.field };
}

beforeAll(async () => {
  const logger = createLogger('products-test');
  database = await createMongoDatabase('products');
  client = new MongoClient(database.url);
  await client.connect();
  db = client.db(database.dbName);
  kafka = await createTestKafkaBus('products', logger);
  recorder = await kafka.record(productTopics);
  const keys = generateKeyPair();
  const jwt: JwtConfig = {
    publicKey: keys.publicKey,
    privateKey: keys.privateKey,
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 3600,
  };
  tokens = {
    ADMIN: signAccessToken(
      { userId: 'admin-1', email: 'admin@example.com', role: 'ADMIN' },
      keys.privateKey,
      900,
    ),
    CUSTOMER: signAccessToken(
      { userId: 'customer-1', email: 'jane@example.com', role: 'CUSTOMER' },
      keys.privateKey,
      900,
    ),
  };
  storage = await productsSubgraph.open({ mode: 'servers', url: database.url });
  subgraph = await storage.start({ bus: kafka.bus, jwt, logger });
});

afterAll(async () => {
  await subgraph?.close();
  await storage?.close();
  await kafka?.close();
  await client?.close();
  await database?.drop();
});

describe('products subgraph on FerretDB and Kafka', () => {
  it('createProduct by an ADMIN stores the walkthrough products and publishes product.created with stock settings', async () => {
    for (const input of walkthrough) {
      const result = await gql<{ createProduct: ProductView }>(createMutation, { input }, 'ADMIN');
      expect(result.errors).toBeUndefined();
      const product = result.data?.createProduct;
      expect(product).toMatchObject({
        name: input.name,
        category: input.category,
        price: input.price,
        description: input.description,
      });
      expect(product?.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(product?.createdAt ?? '').toISOString()).toBe(product?.createdAt);
      ids[input.name] = product?.id ?? '';
    }
    const [phone, headphones, watch] = walkthrough.map((input) => ids[input.name] ?? '');
    const created = await waitFor(
      () => {
        const events = [phone, headphones, watch].map((id) => eventsOf('product.created', id ?? '')[0]);
        return events.every(Boolean) && events;
      },
      { message: 'three product.created events' },
    );
    expect(created.map((event) => event?.payload)).toEqual([
      {
        productId: phone,
        name: 'Premium Smartphone',
        description: 'Flagship phone with a 6.7" display',
        category: 'Electronics',
        price: 899.99,
        quantity: 50,
        reorderThreshold: 5,
      },
      {
        productId: headphones,
        name: 'Wireless Noise-Cancelling Headphones',
        description: 'Over-ear, 30 h battery',
        category: 'Audio',
        price: 249.99,
        quantity: 100,
        reorderThreshold: 10,
      },
      {
        productId: watch,
        name: 'Smart Fitness Watch',
        description: null,
        category: 'Wearables',
        price: 179.99,
        quantity: 75,
        reorderThreshold: 5,
      },
    ]);
    expect(created[0]?.metadata).toMatchObject({
      eventType: 'product.created',
      source: 'products',
      causationId: null,
    });
  });

  it('removes published events from the documents (the outbox drains)', async () => {
    await waitFor(
      async () =>
        (await db.collection('products').countDocuments({ 'pendingEvents.0': { $exists: true } })) === 0,
      {
        message: 'no pending events left',
      },
    );
    expect(recorder.of('product.created')).toHaveLength(3);
  });

  it('refuses writes to a CUSTOMER (FORBIDDEN) and to anonymous callers (UNAUTHENTICATED)', async () => {
    const input = { name: 'Nope', category: 'Electronics', price: 1, quantity: 1 };
    expect(errorOf(await gql(createMutation, { input }, 'CUSTOMER')).code).toBe('FORBIDDEN');
    expect(errorOf(await gql(createMutation, { input })).code).toBe('UNAUTHENTICATED');
    const phone = ids['Premium Smartphone'];
    expect(
      errorOf(
        await gql(`mutation { updateProduct(id: "${phone}", input: { price: 1 }) { id } }`, {}, 'CUSTOMER'),
      ).code,
    ).toBe('FORBIDDEN');
    expect(errorOf(await gql(`mutation { deleteProduct(id: "${phone}") }`, {}, 'CUSTOMER')).code).toBe(
      'FORBIDDEN',
    );
    expect(errorOf(await gql(`mutation { deleteProduct(id: "${phone}") }`)).code).toBe('UNAUTHENTICATED');
    const all = await list({});
    expect(all.totalCount).toBe(3);
  });

  it('lists all products newest first, to anyone', async () => {
    const all = await list({});
    expect(all.edges.map((edge) => edge.node.name)).toEqual([
      'Smart Fitness Watch',
      'Wireless Noise-Cancelling Headphones',
      'Premium Smartphone',
    ]);
    expect(all.totalCount).toBe(3);
    expect(all.pageInfo.hasNextPage).toBe(false);
    expect(all.pageInfo.endCursor).toBe(all.edges.at(-1)?.cursor);
  });

  it('filters by category, by inclusive price range and by case-insensitive search', async () => {
    const names = (connection: Connection) => connection.edges.map((edge) => edge.node.name);
    expect(names(await list({ filter: { category: 'Electronics' } }))).toEqual(['Premium Smartphone']);
    const midRange = await list({ filter: { minPrice: 100, maxPrice: 300 } });
    expect(names(midRange)).toEqual(['Smart Fitness Watch', 'Wireless Noise-Cancelling Headphones']);
    expect(midRange.totalCount).toBe(2);
    expect(names(await list({ filter: { minPrice: 249.99, maxPrice: 249.99 } }))).toEqual([
      'Wireless Noise-Cancelling Headphones',
    ]);
    expect(names(await list({ filter: { search: 'SMART' } }))).toEqual([
      'Smart Fitness Watch',
      'Premium Smartphone',
    ]);
    expect(names(await list({ filter: { search: 'over-ear' } }))).toEqual([
      'Wireless Noise-Cancelling Headphones',
    ]);
    // Regex metacharacters in the user's text match literally.
    expect(names(await list({ filter: { search: '6.7"' } }))).toEqual(['Premium Smartphone']);
    expect(names(await list({ filter: { search: '6x7' } }))).toEqual([]);
    expect(names(await list({ filter: { search: '.*' } }))).toEqual([]);
    expect(names(await list({ filter: { category: 'Audio', search: 'phone', maxPrice: 200 } }))).toEqual([]);
  });

  it('product(id) returns the product, and null for an unknown id', async () => {
    const phone = ids['Premium Smartphone'];
    const found = await gql<{ product: ProductView | null }>(
      `query { product(id: "${phone}") { ${productFields} } }`,
    );
    expect(found.data?.product).toMatchObject({ id: phone, name: 'Premium Smartphone', price: 899.99 });
    const missing = await gql<{ product: ProductView | null }>(`query { product(id: "no-such-id") { id } }`);
    expect(missing.errors).toBeUndefined();
    expect(missing.data?.product).toBeNull();
  });

  it('paginates newest first over several pages with no duplicates or gaps', async () => {
    const created: string[] = [];
    // Concurrent creates, some likely in the same millisecond: the id breaks createdAt ties.
    const results = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        gql<{ createProduct: ProductView }>(
          createMutation,
          { input: { name: `Cable ${i}`, category: 'Paging', price: 5 + i, quantity: i } },
          'ADMIN',
        ),
      ),
    );
    for (const result of results) created.push(result.data?.createProduct.id ?? '');
    const expected = (await list({ filter: { category: 'Paging' }, first: 100 })).edges.map(
      (edge) => edge.node.id,
    );
    expect([...expected].sort()).toEqual([...created].sort());

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: Connection = await list({ filter: { category: 'Paging' }, first: 4, after });
      pages += 1;
      expect(page.totalCount).toBe(9);
      seen.push(...page.edges.map((edge) => edge.node.id));
      expect(page.pageInfo.hasNextPage).toBe(seen.length < 9);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);

    const whole = await list({ first: 5 });
    expect(whole.totalCount).toBe(12);
    expect(whole.edges).toHaveLength(5);
    expect(whole.pageInfo.hasNextPage).toBe(true);
  });

  it('updateProduct changes the product and publishes product.updated with the full state after', async () => {
    const headphones = ids['Wireless Noise-Cancelling Headphones'] ?? '';
    const result = await gql<{ updateProduct: ProductView }>(
      `mutation { updateProduct(id: "${headphones}", input: { price: 199.5, description: null }) { ${productFields} } }`,
      {},
      'ADMIN',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.updateProduct).toMatchObject({
      price: 199.5,
      description: null,
      name: 'Wireless Noise-Cancelling Headphones',
    });
    const [updated] = await waitFor(
      () => eventsOf('product.updated', headphones).length > 0 && eventsOf('product.updated', headphones),
    );
    expect(updated?.payload).toEqual({
      productId: headphones,
      name: 'Wireless Noise-Cancelling Headphones',
      description: null,
      category: 'Audio',
      price: 199.5,
    });
    const cheap = await list({ filter: { maxPrice: 199.5, minPrice: 199.5 } });
    expect(cheap.edges.map((edge) => edge.node.id)).toEqual([headphones]);
  });

  it('deleteProduct returns the id, publishes product.deleted, hides the product but keeps it resolvable by reference', async () => {
    const watch = ids['Smart Fitness Watch'] ?? '';
    const result = await gql<{ deleteProduct: string }>(
      `mutation { deleteProduct(id: "${watch}") }`,
      {},
      'ADMIN',
    );
    expect(result).toEqual({ data: { deleteProduct: watch } });
    const [deleted] = await waitFor(
      () => eventsOf('product.deleted', watch).length > 0 && eventsOf('product.deleted', watch),
    );
    expect(deleted?.payload).toEqual({ productId: watch });

    const all = await list({ first: 100 });
    expect(all.edges.map((edge) => edge.node.id)).not.toContain(watch);
    expect(all.totalCount).toBe(11);
    expect((await list({ filter: { category: 'Wearables' } })).totalCount).toBe(0);
    const byId = await gql<{ product: ProductView | null }>(`query { product(id: "${watch}") { id } }`);
    expect(byId.data?.product).toBeNull();

    const entities = await gql<{ _entities: (ProductView | null)[] }>(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { ${productFields} } } }`,
      {
        representations: [watch, ids['Premium Smartphone'], 'unknown-id'].map((id) => ({
          __typename: 'Product',
          id,
        })),
      },
    );
    expect(entities.errors).toBeUndefined();
    expect(entities.data?._entities.map((entity) => entity?.name ?? null)).toEqual([
      'Smart Fitness Watch',
      'Premium Smartphone',
      null,
    ]);
  });

  it('answers NOT_FOUND for updates and deletes of unknown or deleted products', async () => {
    const watch = ids['Smart Fitness Watch'];
    for (const id of [watch, 'no-such-id']) {
      expect(
        errorOf(
          await gql(`mutation { updateProduct(id: "${id}", input: { name: "X" }) { id } }`, {}, 'ADMIN'),
        ).code,
      ).toBe('NOT_FOUND');
      expect(errorOf(await gql(`mutation { deleteProduct(id: "${id}") }`, {}, 'ADMIN')).code).toBe(
        'NOT_FOUND',
      );
    }
    expect(eventsOf('product.deleted', watch ?? '')).toHaveLength(1);
  });

  it('answers BAD_USER_INPUT naming the field for invalid input, pages and cursors', async () => {
    const base = { name: 'Gadget', category: 'Misc', price: 10, quantity: 1 };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, name: '  ' }, 'name'],
      [{ ...base, category: '' }, 'category'],
      [{ ...base, price: 0 }, 'price'],
      [{ ...base, price: -3 }, 'price'],
      [{ ...base, price: 10.999 }, 'price'],
      [{ ...base, quantity: -1 }, 'quantity'],
      [{ ...base, reorderThreshold: -2 }, 'reorderThreshold'],
    ];
    for (const [input, field] of cases) {
      expect(errorOf(await gql(createMutation, { input }, 'ADMIN'))).toEqual({
        code: 'BAD_USER_INPUT',
        field,
      });
    }
    const phone = ids['Premium Smartphone'];
    expect(
      errorOf(
        await gql(`mutation { updateProduct(id: "${phone}", input: { price: 0.001 }) { id } }`, {}, 'ADMIN'),
      ).field,
    ).toBe('price');
    expect(
      errorOf(
        await gql(`mutation { updateProduct(id: "${phone}", input: { name: null }) { id } }`, {}, 'ADMIN'),
      ).field,
    ).toBe('name');
    for (const [variables, field] of [
      [{ first: 0 }, 'first'],
      [{ first: 101 }, 'first'],
      [{ after: 'not-a-cursor' }, 'after'],
      [{ after: Buffer.from('yesterday|x').toString('base64url') }, 'after'],
      [{ filter: { minPrice: 300, maxPrice: 100 } }, 'minPrice'],
    ] as const) {
      expect(errorOf(await gql(listQuery, variables))).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    expect((await list({})).totalCount).toBe(11);
  });

  it('publishes every event once and leaves no pending events behind', async () => {
    await waitFor(
      async () =>
        (await db.collection('products').countDocuments({ 'pendingEvents.0': { $exists: true } })) === 0,
      {
        message: 'no pending events left',
      },
    );
    // Published is not yet received: wait for the broker to deliver what the outbox handed over.
    await waitFor(() => received().length >= 14, { message: '14 product events received' });
    const eventIds = received().map((event) => event.metadata.eventId);
    expect(new Set(eventIds).size).toBe(eventIds.length);
    // 3 + 9 created, 1 updated, 1 deleted.
    expect(eventIds).toHaveLength(14);
  });

  it('reports healthy database and relay', async () => {
    expect(await subgraph.health()).toEqual({ status: 'ok', checks: { database: 'ok', relay: 'ok' } });
  });

  it('publishes every event with its aggregate id as the Kafka key', async () => {
    const created = await gql<{ createProduct: ProductView }>(
      createMutation,
      { input: { name: 'Keyed Lamp', category: 'Keys', price: 30, quantity: 2 } },
      'ADMIN',
    );
    const id = created.data?.createProduct.id ?? '';
    expect(id).not.toBe('');
    expect(
      errorOf(await gql(`mutation { updateProduct(id: "${id}", input: { price: 31 }) { id } }`, {}, 'ADMIN')),
    ).toEqual({ code: undefined, field: undefined });
    expect(await gql(`mutation { deleteProduct(id: "${id}") }`, {}, 'ADMIN')).toEqual({
      data: { deleteProduct: id },
    });
    for (const topic of productTopics) {
      const recorded = await recorder.waitFor(topic, (each) => each.event.payload.productId === id);
      expect(recorded.key).toBe(id);
    }
    for (const topic of productTopics) {
      for (const { key, event } of recorder.of(topic)) expect(key).toBe(event.payload.productId);
    }
  });
});
