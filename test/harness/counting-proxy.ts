import { Agent, createServer, request as httpRequest } from 'node:http';
import { closeServer, listen } from '@commerce/common/server';

/** An HTTP proxy in front of one server that counts the requests passing through. */
export interface CountingProxy {
  /** The target URL with the proxy's origin (same path). */
  readonly url: string;
  /** Requests forwarded since the start or the last reset. */
  count(): number;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts a forwarding proxy on 127.0.0.1:0 for `targetUrl`'s origin. The e2e suite puts one in
 * front of each subgraph to assert how many HTTP requests a gateway query sends to it.
 */
export async function startCountingProxy(targetUrl: string): Promise<CountingProxy> {
  const target = new URL(targetUrl);
  const agent = new Agent({ keepAlive: true });
  let requests = 0;
  const server = createServer((incoming, outgoing) => {
    requests += 1;
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host },
        agent,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on('error', (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end(`Proxy error: ${error.message}`);
    });
    incoming.pipe(upstream);
  });
  const port = await listen(server, 0);
  const url = new URL(target.pathname + target.search, `http://127.0.0.1:${port}`).toString();
  return {
    url,
    count: () => requests,
    reset() {
      requests = 0;
    },
    async close() {
      await closeServer(server);
      agent.destroy();
    },
  };
}
