import type { ChildProcess } from 'node:child_process';
import { GRAPHQL_TRANSPORT_WS_PROTOCOL } from 'graphql-ws';
import WebSocket, { type RawData } from 'ws';

/**
 * The subscribers of `npm run bench:subscriptions`, in a child process of their own so that the
 * server's CPU and memory are measured apart: bare graphql-ws connections (one subscription each),
 * lean enough that thousands of them do not make the client the bottleneck. Each receipt is
 * recorded as (product, available) → time received.
 */
export type ToSubscribers =
  | {
      readonly type: 'open';
      readonly url: string;
      /** Subscriber i subscribes to products[i % products.length] with queries[i % queries.length]. */
      readonly subscribers: number;
      readonly products: readonly string[];
      readonly queries: readonly string[];
    }
  /** Answer `received` once every subscriber of `productId` has received `available`. */
  | { readonly type: 'expect'; readonly productId: string; readonly available: number }
  | { readonly type: 'report' }
  | { readonly type: 'close' };

export type FromSubscribers =
  | { readonly type: 'opened'; readonly ms: number }
  | { readonly type: 'received'; readonly productId: string; readonly available: number }
  | {
      readonly type: 'report';
      /** `${productId}:${available}` → receipt times (ms since the epoch, fractional). */
      readonly receipts: Record<string, number[]>;
      /** Sockets that closed while the bench had not asked for it, by close code. */
      readonly closed: Record<string, number>;
      /** Error messages and unexpected `complete`s received. */
      readonly errors: number;
      /** CPU this process spent since the subscribers were open (µs). */
      readonly cpuMicros: number;
    }
  | { readonly type: 'closed' };

export const now = (): number => performance.timeOrigin + performance.now();

/** Runs in the child process: opens the subscribers when told, records receipts, reports. */
export function runSubscriberProcess(): void {
  const sockets: WebSocket[] = [];
  const perProduct = new Map<string, number>();
  const receipts = new Map<string, number[]>();
  const closed: Record<string, number> = {};
  let errors = 0;
  let closing = false;
  let expected: string | undefined;
  let cpuStart = process.cpuUsage();
  const reply = (message: FromSubscribers): void => void process.send?.(message);
  const received = (productId: string, available: number): void => {
    const key = `${productId}:${available}`;
    let list = receipts.get(key);
    if (!list) receipts.set(key, (list = []));
    list.push(now());
    if (key === expected && list.length === perProduct.get(productId)) {
      reply({ type: 'received', productId, available });
    }
  };
  const open = (url: string, productId: string, query: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const socket = new WebSocket(url.replace(/^http/, 'ws'), GRAPHQL_TRANSPORT_WS_PROTOCOL);
      sockets.push(socket);
      socket.once('error', reject);
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
      socket.on('message', (data) => {
        const message = JSON.parse(textOf(data)) as {
          type: string;
          payload?: { data?: { stockUpdated?: { available?: number } }; errors?: unknown };
        };
        if (message.type === 'next') {
          const available = message.payload?.data?.stockUpdated?.available;
          if (typeof available === 'number') received(productId, available);
          if (typeof available !== 'number' || message.payload?.errors) {
            if (errors === 0) console.error('bench: first error result', JSON.stringify(message.payload));
            errors += 1;
          }
        } else if (message.type === 'connection_ack') {
          socket.send(
            JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables: { productId } } }),
          );
          resolve();
        } else if (message.type === 'error' || message.type === 'complete') errors += 1;
      });
      socket.once('close', (code) => {
        if (!closing) closed[code] = (closed[code] ?? 0) + 1;
      });
    });
  process.on('message', (message: ToSubscribers) => {
    void (async () => {
      switch (message.type) {
        case 'open': {
          const started = now();
          const { products, queries } = message;
          for (let i = 0; i < message.subscribers; i += 200) {
            const batch: Promise<void>[] = [];
            for (let j = i; j < Math.min(message.subscribers, i + 200); j += 1) {
              const productId = products[j % products.length] ?? '';
              perProduct.set(productId, (perProduct.get(productId) ?? 0) + 1);
              batch.push(open(message.url, productId, queries[j % queries.length] ?? ''));
            }
            await Promise.all(batch);
          }
          cpuStart = process.cpuUsage();
          reply({ type: 'opened', ms: now() - started });
          return;
        }
        case 'expect': {
          expected = `${message.productId}:${message.available}`;
          if ((receipts.get(expected)?.length ?? 0) === perProduct.get(message.productId)) {
            reply({ type: 'received', productId: message.productId, available: message.available });
          }
          return;
        }
        case 'report': {
          const cpu = process.cpuUsage(cpuStart);
          reply({
            type: 'report',
            receipts: Object.fromEntries(receipts),
            closed,
            errors,
            cpuMicros: cpu.user + cpu.system,
          });
          return;
        }
        case 'close':
          closing = true;
          for (const socket of sockets) socket.close(1000);
          await new Promise((resolve) => setTimeout(resolve, 500));
          reply({ type: 'closed' });
          process.exit(0);
      }
    })();
  });
}

/** The parent's side of the conversation with the subscriber process. */
export class SubscriberProcess {
  constructor(private readonly child: ChildProcess) {}

  send(message: ToSubscribers): void {
    this.child.send(message);
  }

  receive<T extends FromSubscribers['type']>(
    type: T,
    wanted: (message: Extract<FromSubscribers, { type: T }>) => boolean = () => true,
    timeoutMs = 120_000,
  ): Promise<Extract<FromSubscribers, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.off('message', onMessage);
        reject(new Error(`bench: the subscriber process sent no ${type} in time`));
      }, timeoutMs);
      const onMessage = (message: FromSubscribers): void => {
        if (message.type !== type) return;
        const typed = message as Extract<FromSubscribers, { type: T }>;
        if (!wanted(typed)) return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        resolve(typed);
      };
      this.child.on('message', onMessage);
    });
  }

  async close(): Promise<void> {
    this.send({ type: 'close' });
    await this.receive('closed', () => true, 30_000).catch(() => this.child.kill());
  }
}

/** A text frame's payload as ws hands it over. */
function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(new Uint8Array(data)).toString('utf8');
}
