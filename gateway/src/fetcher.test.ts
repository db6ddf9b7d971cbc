import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { closeServer, listen } from '@commerce/common/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeepAliveFetcher, isQueryBody, StaleSocketError } from './fetcher.js';

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

describe('createKeepAliveFetcher and closed connections', () => {
  let server: Server;
  let url: string;
  /** Requests answered on each server-side socket so far. */
  const answered = new Map<Socket, number>();
  const closed: Socket[] = [];
  const query = JSON.stringify({ query: '{ products { id } }' });
  const mutation = JSON.stringify({ query: 'mutation { deleteProduct(id: "p1") }' });

  beforeAll(async () => {
    // Answers the first request of a connection; resets the connection on its second (a server
    // closing an idle keep-alive socket just as the next request arrives).
    server = createServer((request, response) => {
      const socket = request.socket;
      socket.once('close', () => closed.push(socket));
      request.resume();
      request.on('end', () => {
        const count = answered.get(socket) ?? 0;
        if (count >= 1) {
          socket.resetAndDestroy();
          return;
        }
        answered.set(socket, count + 1);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{}}');
      });
    });
    url = `http://127.0.0.1:${await listen(server, 0)}/graphql`;
  });

  afterAll(async () => {
    await closeServer(server);
  });

  it('sends a query failing on a reused connection once more, on a new connection', async () => {
    const fetcher = createKeepAliveFetcher();
    try {
      for (let i = 0; i < 3; i += 1) {
        const response = await fetcher.fetch(url, { method: 'POST', body: query });
        expect(await response.json()).toEqual({ data: {} });
      }
    } finally {
      fetcher.close();
    }
  });

  it('never sends a mutation twice: it fails, naming the closed connection', async () => {
    const fetcher = createKeepAliveFetcher();
    try {
      await (await fetcher.fetch(url, { method: 'POST', body: mutation })).text();
      const failure = fetcher.fetch(url, { method: 'POST', body: mutation });
      await expect(failure).rejects.toBeInstanceOf(StaleSocketError);
      await expect(failure).rejects.toMatchObject({ cause: { code: 'ECONNRESET' } });
    } finally {
      fetcher.close();
    }
  });

  it('closes a pooled connection once it has been idle for idleTimeoutMs', async () => {
    const fetcher = createKeepAliveFetcher({ idleTimeoutMs: 100 });
    try {
      closed.length = 0;
      await (await fetcher.fetch(url, { method: 'POST', body: query })).text();
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(closed).toHaveLength(1);
    } finally {
      fetcher.close();
    }
  });
});

describe('isQueryBody', () => {
  it('tells queries, which may be sent twice, from anything else', () => {
    expect(isQueryBody(JSON.stringify({ query: '{ a }' }))).toBe(true);
    expect(isQueryBody(JSON.stringify({ query: 'query Q($x: ID) { a(x: $x) }', variables: { x: 1 } }))).toBe(
      true,
    );
    expect(isQueryBody(JSON.stringify({ query: 'mutation { a }' }))).toBe(false);
    expect(isQueryBody(JSON.stringify({ query: 'query A { a } mutation B { b }' }))).toBe(false);
    expect(isQueryBody(JSON.stringify({ query: 'subscription { a }' }))).toBe(false);
    expect(isQueryBody('{"query": "{ a')).toBe(false);
    expect(isQueryBody(undefined)).toBe(false);
  });
});
