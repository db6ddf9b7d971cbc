import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@commerce/common/embedded';

/** The products of the README walkthrough. */
export const demoProducts = [
  { name: 'Premium Smartphone', category: 'Electronics', price: 899.99, quantity: 50 },
  {
    name: 'Wireless Noise-Cancelling Headphones',
    category: 'Audio',
    price: 249.99,
    quantity: 100,
    reorderThreshold: 10,
  },
  { name: 'Smart Fitness Watch', category: 'Wearables', price: 179.99, quantity: 75 },
] as const;

const markerName = 'demo-seeded.json';

/**
 * Creates the demo products, as the admin, unless this data folder was seeded before (a marker file
 * written once all exist). A product already listed under its name (a first start that stopped
 * half-way) is not created again. Resolves with what happened. It calls the users and products
 * subgraphs straight: a gateway with TRUSTED_DOCUMENTS=enforce would refuse these documents.
 */
export async function seedDemoProducts(options: {
  readonly usersUrl: string;
  readonly productsUrl: string;
  readonly admin: { readonly email: string; readonly password: string };
  readonly dataDir: string;
}): Promise<'seeded' | 'already seeded'> {
  const marker = join(options.dataDir, markerName);
  if (existsSync(marker)) return 'already seeded';
  const users = client(options.usersUrl);
  const graphql = client(options.productsUrl);
  const login = await users(
    'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
    options.admin,
  );
  const token = stringAt(login, ['login', 'accessToken']);
  const ids: string[] = [];
  for (const product of demoProducts) {
    const listed = await graphql(
      'query ($search: String!) { products(filter: { search: $search }, first: 100) { edges { node { id name } } } }',
      { search: product.name },
    );
    const existing = edgesOf(listed).find((node) => node.name === product.name);
    if (existing) {
      ids.push(existing.id);
      continue;
    }
    const created = await graphql(
      'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      { input: product },
      token,
    );
    ids.push(stringAt(created, ['createProduct', 'id']));
  }
  writeFileAtomic(marker, JSON.stringify({ seededAt: new Date().toISOString(), productIds: ids }, null, 2));
  return 'seeded';
}

type Data = Record<string, unknown>;

function client(url: string) {
  return async (query: string, variables: Record<string, unknown>, token?: string): Promise<Data> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body: unknown = await response.json();
    const errors = isRecord(body) ? body['errors'] : undefined;
    if (!isRecord(body) || !isRecord(body['data']) || (Array.isArray(errors) && errors.length > 0)) {
      throw new Error(`Seeding the demo products failed: ${JSON.stringify(errors ?? body)}`);
    }
    return body['data'];
  };
}

function stringAt(data: Data, path: readonly string[]): string {
  let value: unknown = data;
  for (const key of path) value = isRecord(value) ? value[key] : undefined;
  if (typeof value !== 'string') throw new Error(`Seeding: no ${path.join('.')} in the answer`);
  return value;
}

function edgesOf(data: Data): { id: string; name: string }[] {
  const products = data['products'];
  const edges = isRecord(products) && Array.isArray(products['edges']) ? products['edges'] : [];
  return edges.flatMap((edge: unknown) => {
    const node = isRecord(edge) ? edge['node'] : undefined;
    return isRecord(node) && typeof node['id'] === 'string' && typeof node['name'] === 'string'
      ? [{ id: node['id'], name: node['name'] }]
      : [];
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
