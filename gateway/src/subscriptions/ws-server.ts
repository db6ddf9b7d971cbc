import type { Logger } from '@commerce/common/logger';
import {
  CloseCode,
  handleProtocols,
  makeServer,
  type ConnectionInitMessage,
  type ServerOptions,
} from 'graphql-ws';
import type { RawData, WebSocket, WebSocketServer } from 'ws';

/** What each graphql-ws context carries: the socket (not the upgrade request, which is not kept). */
export interface SocketExtra {
  readonly socket: WebSocket;
}

export type GraphqlWsOptions = ServerOptions<ConnectionInitMessage['payload'], SocketExtra>;

/**
 * graphql-ws on a `ws` server, as graphql-ws's own `useServer` (graphql-ws/use/ws) but lighter per
 * connection, for instances holding ten thousand: one keep-alive timer for every socket (a peer
 * that has not answered the previous ping when the next is due is terminated, the same rule), and
 * no upgrade request kept for the connection's life (the service reads it once, when it opens).
 */
export function serveGraphqlWs(
  options: GraphqlWsOptions,
  wss: WebSocketServer,
  keepAliveMs: number,
  logger: Logger,
): { dispose(): Promise<void> } {
  const server = makeServer(options);
  wss.options.handleProtocols = handleProtocols;
  /** Sockets pinged and not yet answered. */
  const awaitingPong = new WeakSet<WebSocket>();
  const failed = (socket: WebSocket, error: unknown, message: string): void => {
    logger.error({ err: error }, message);
    socket.close(CloseCode.InternalServerError, 'Internal server error');
  };
  wss.once('error', (error) => {
    logger.error({ err: error }, 'WebSocket server error');
    for (const client of wss.clients) client.close(CloseCode.InternalServerError, 'Internal server error');
  });
  wss.on('connection', (socket: WebSocket) => {
    socket.once('error', (error) => failed(socket, error, 'WebSocket error'));
    socket.on('pong', () => awaitingPong.delete(socket));
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            handle(textOf(data)).catch((error: unknown) =>
              failed(socket, error, 'graphql-ws message failed'),
            );
          }),
      },
      { socket },
    );
    socket.once('close', (code, reason) => void closed(code, String(reason)));
  });
  const keepAlive =
    keepAliveMs > 0 && Number.isFinite(keepAliveMs)
      ? setInterval(() => {
          for (const socket of wss.clients) {
            if (socket.readyState !== socket.OPEN) continue;
            if (awaitingPong.has(socket)) {
              socket.terminate();
              continue;
            }
            awaitingPong.add(socket);
            socket.ping();
          }
        }, keepAliveMs)
      : undefined;
  keepAlive?.unref();
  return {
    async dispose() {
      clearInterval(keepAlive);
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** A message's text: graphql-ws speaks JSON in text frames (ws hands each over as a Buffer). */
function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(new Uint8Array(data)).toString('utf8');
}
