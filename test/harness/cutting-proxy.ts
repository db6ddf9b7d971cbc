import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A TCP proxy in front of one server whose connections a test cuts, as a network failure would. */
export interface CuttingProxy {
  /** The target URL with the proxy's origin (same path): HTTP and WebSocket pass through. */
  readonly url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Destroys every open connection, both ends, without a WebSocket close frame (the client sees 1006). */
  cut(): void;
  close(): Promise<void>;
}

/** Starts a TCP forwarding proxy on 127.0.0.1:0 for `targetUrl`'s host and port. */
export async function startCuttingProxy(targetUrl: string): Promise<CuttingProxy> {
  const target = new URL(targetUrl);
  const open = new Set<Socket>();
  let connections = 0;
  const server = createServer((client) => {
    connections += 1;
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const cut = (): void => {
    for (const socket of open) socket.destroy();
  };
  return {
    url: `${target.protocol}//127.0.0.1:${port}${target.pathname}`,
    get connections() {
      return connections;
    },
    cut,
    close() {
      cut();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
