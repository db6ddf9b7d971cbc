import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { generateKeyPair } from '@commerce/common/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../test/client/client.js';
import { createProduct, login, stockOf } from '../../test/e2e/actors.js';
import { startSupergraph, type Supergraph } from '../../test/harness/supergraph.js';
import { startGateway, type RunningGateway } from './gateway.js';

/**
 * A TCP proxy in front of a subgraph server that closes a keep-alive connection idle for more than
 * `idleMs` as soon as the next request arrives on it, before anything is answered: what a subgraph
 * server closing idle sockets does when the gateway reuses one at that very moment.
 */
async function closingIdleSockets(
  targetUrl: string,
  idleMs: number,
): Promise<{ url: string; resets: () => number; server: Server }> {
  const target = new URL(targetUrl);
  let resets = 0;
  const server = createServer((client: Socket) => {
    const upstream = connect(Number(target.port), target.hostname);
    let lastAnswer: number | undefined;
    client.on('data', (chunk: Buffer) => {
      if (lastAnswer !== undefined && Date.now() - lastAnswer > idleMs) {
        resets += 1;
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      lastAnswer = Date.now();
      client.write(chunk);
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${target.pathname}`, resets: () => resets, server };
}

const catalog =
  '{ products(first: 5) { edges { node { id name price inventory { available reserved } } } } }';

describe('the gateway in front of subgraphs that close idle sockets', () => {
  let supergraph: Supergraph;
  let proxies: Awaited<ReturnType<typeof closingIdleSockets>>[];
  let gateway: RunningGateway;

  beforeAll(async () => {
    supergraph = await startSupergraph();
    const client = createClient(supergraph.gatewayUrl);
    const adminToken = await login(client, supergraph.admin.email, supergraph.admin.password);
    for (let i = 1; i <= 3; i += 1) {
      const id = await createProduct(client, adminToken, {
        name: `Mug ${i}`,
        category: 'Kitchen',
        price: i,
        quantity: 5,
      });
      await stockOf(client, id);
    }
    proxies = [
      await closingIdleSockets(supergraph.subgraphs.products.url, 50),
      await closingIdleSockets(supergraph.subgraphs.inventory.url, 50),
    ];
    gateway = await startGateway({
      supergraphSdl: (await import('@commerce/supergraph')).supergraphSdl(),
      subgraphUrls: { products: proxies[0]?.url ?? '', inventory: proxies[1]?.url ?? '' },
      jwtPublicKey: generateKeyPair().publicKey,
      logger: (await import('@commerce/common/logger')).createLogger('test'),
    });
  });

  afterAll(async () => {
    await gateway?.close();
    for (const proxy of proxies ?? []) proxy.server.close();
    await supergraph?.close();
  });

  it('answers every query, sending one that met a closed socket again', async () => {
    const answers: unknown[] = [];
    for (let round = 0; round < 5; round += 1) {
      // Bursts open several pooled sockets; the pause leaves them idle past the proxy's limit.
      const burst = await Promise.all(
        Array.from({ length: 4 }, () =>
          fetch(gateway.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: catalog }),
          }).then((response) => response.json() as Promise<{ data?: unknown; errors?: unknown }>),
        ),
      );
      answers.push(...burst);
      await new Promise((resolve) => setTimeout(resolve, 120));
    }
    for (const answer of answers) {
      expect(answer).not.toHaveProperty('errors');
      expect(answer).toMatchObject({ data: { products: { edges: expect.any(Array) as unknown } } });
    }
    // The test proves something only if sockets were indeed closed under the gateway.
    expect(proxies.reduce((sum, proxy) => sum + proxy.resets(), 0)).toBeGreaterThan(0);
  });
});
