import { createServer, type Server } from 'node:http';
import { closeServer, listen } from '@commerce/common/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeepAliveFetcher } from './fetcher.js';

describe('createKeepAliveFetcher', () => {
  let server: Server;
  let url: string;
  const sockets = new Set<unknown>();
  const seen: { method?: string; headers: Record<string, unknown>; body: string }[] = [];
  const fetcher = createKeepAliveFetcher();

  beforeAll(async () => {
    server = createServer((request, response) => {
      sockets.add(request.socket);
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ method: request.method, headers: request.headers, body });
        response.writeHead(201, { 'content-type': 'application/json', 'x-echo': 'yes' });
        response.end(JSON.stringify({ data: { echo: body } }));
      });
    });
    url = `http://127.0.0.1:${await listen(server, 0)}/graphql`;
  });

  afterAll(async () => {
    fetcher.close();
    await closeServer(server);
  });

  it('sends the method, headers and body and returns status, headers and JSON', async () => {
    const response = await fetcher.fetch(url, {
      method: 'POST',
      headers: { authorization: 'Bearer t' },
      body: '{"q":1}',
    });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(await response.json()).toEqual({ data: { echo: '{"q":1}' } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', headers: { authorization: 'Bearer t' } });
  });

  it('reuses one connection for sequential requests', async () => {
    sockets.clear();
    for (let i = 0; i < 5; i += 1) await (await fetcher.fetch(url, { method: 'POST', body: '{}' })).text();
    expect(sockets.size).toBe(1);
  });

  it('rejects when the server cannot be reached', async () => {
    await expect(
      fetcher.fetch('http://127.0.0.1:1/graphql', { method: 'POST', body: '{}' }),
    ).rejects.toThrow();
  });
});
