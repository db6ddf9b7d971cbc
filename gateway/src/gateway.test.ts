import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { generateKeyPair, signAccessToken } from '@commerce/common/auth';
import { createLogger } from '@commerce/common/logger';
import { closeServer, listen } from '@commerce/common/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from './gateway.js';

const supergraphSdl = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');

interface Seen {
  readonly headers: IncomingHttpHeaders;
  readonly query: string;
}

/** A stand-in subgraph answering every request with `reply`, recording what it received. */
async function stubSubgraph(reply: unknown): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { query } = JSON.parse(body) as { query: string };
      seen.push({ headers: request.headers, query });
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  return { url: `http://127.0.0.1:${await listen(server, 0)}/graphql`, seen, server };
}

describe('startGateway', () => {
  const keys = generateKeyPair();
  const token = signAccessToken(
    { userId: 'u1', email: 'a@example.com', role: 'CUSTOMER' },
    keys.privateKey,
    60,
  );
  let users: Awaited<ReturnType<typeof stubSubgraph>>;
  let products: Awaited<ReturnType<typeof stubSubgraph>>;
  let gateway: RunningGateway;

  beforeAll(async () => {
    users = await stubSubgraph({ data: { me: { id: 'u1', email: 'a@example.com' } } });
    products = await stubSubgraph({
      data: null,
      errors: [{ message: 'Requires role ADMIN', extensions: { code: 'FORBIDDEN' } }],
    });
    gateway = await startGateway({
      supergraphSdl,
      subgraphUrls: { users: users.url, products: products.url, inventory: 'http://127.0.0.1:1/graphql' },
      jwtPublicKey: keys.publicKey,
      logger: createLogger('test'),
    });
  });

  afterAll(async () => {
    await gateway.close();
    await Promise.all([closeServer(users.server), closeServer(products.server)]);
  });

  beforeEach(() => {
    users.seen.length = 0;
  });

  const post = (query: string, headers: Record<string, string> = {}) =>
    fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });

  it('forwards the Authorization header and the correlation id to the subgraph', async () => {
    const correlationId = randomUUID();
    const response = await post('{ me { id email } }', {
      authorization: `Bearer ${token}`,
      'x-correlation-id': correlationId,
    });
    expect(await response.json()).toEqual({ data: { me: { id: 'u1', email: 'a@example.com' } } });
    expect(response.headers.get('x-correlation-id')).toBe(correlationId);
    expect(users.seen).toHaveLength(1);
    expect(users.seen[0]?.headers).toMatchObject({
      authorization: `Bearer ${token}`,
      'x-correlation-id': correlationId,
    });
  });

  it('calls subgraphs without Authorization for an anonymous request, with a fresh correlation id', async () => {
    await post('{ me { id } }');
    expect(users.seen[0]?.headers.authorization).toBeUndefined();
    expect(users.seen[0]?.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('fails a request carrying an invalid token with UNAUTHENTICATED before calling any subgraph', async () => {
    const response = await post('{ me { id } }', { authorization: 'Bearer not-a-jwt' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(users.seen).toHaveLength(0);
  });

  it("passes a subgraph's error code through to the client", async () => {
    const response = await post('mutation { deleteProduct(id: "p1") }', { authorization: `Bearer ${token}` });
    const body = (await response.json()) as {
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    expect(body.errors?.[0]).toMatchObject({
      message: 'Requires role ADMIN',
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('answers UNAVAILABLE, hiding the socket error, when a subgraph cannot be reached', async () => {
    const response = await post('{ inventoryItem(productId: "p1") { available } }');
    const text = await response.text();
    expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    expect(JSON.parse(text)).toMatchObject({
      errors: [{ message: 'The inventory service is unavailable', extensions: { code: 'UNAVAILABLE' } }],
    });
  });

  it('serves /health', async () => {
    const response = await fetch(gateway.url.replace('/graphql', '/health'));
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });
});
