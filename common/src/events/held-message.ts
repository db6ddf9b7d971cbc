import kafkajs from 'kafkajs';

// kafkajs is CommonJS and spreads its error classes into its exports: Node cannot name them.
const { KafkaJSError } = kafkajs;

/** Heartbeat answers meaning this member must rejoin its group before it may commit again. */
const lostMembership = new Set([
  'REBALANCE_IN_PROGRESS',
  'NOT_COORDINATOR_FOR_GROUP',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
]);

/**
 * One message a kafkajs consumer has in hand, kept alive for as long as its handler takes
 * (retries while a database is down included): it heartbeats every `intervalMs`, during attempts
 * and backoffs alike (kafkajs sends one only when its own heartbeatInterval has passed), so the
 * member keeps its partitions however long that is.
 *
 * A heartbeat is never part of an attempt: when one answers that the group is rebalancing (or has
 * forgotten this member), the answer is kept, and the next backoff throws it. The message is then
 * handed back unfinished (its offset not committed): kafkajs rejoins and delivers it again, to this
 * member or another. The backoff also throws when the consumer is stopping.
 */
export class HeldMessage {
  private lost: Error | undefined;
  private readonly timer: NodeJS.Timeout;
  private wake: (() => void) | undefined;

  constructor(
    private readonly heartbeat: () => Promise<void>,
    intervalMs: number,
    private readonly stopping: AbortSignal,
  ) {
    this.timer = setInterval(() => void this.beat(), intervalMs);
    this.timer.unref();
  }

  /** Waits `ms` before the next attempt; throws, at once, when the message must be handed back. */
  async sleep(ms: number): Promise<void> {
    this.throwIfHandedBack();
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timeout);
        this.stopping.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timeout = setTimeout(done, ms);
      this.stopping.addEventListener('abort', done);
      this.wake = done;
    });
    this.throwIfHandedBack();
  }

  /** Stops the heartbeats: the handler is done with the message. */
  release(): void {
    clearInterval(this.timer);
  }

  private async beat(): Promise<void> {
    try {
      await this.heartbeat();
    } catch (error) {
      // Other failures (the broker unreachable) pass: kafkajs retries its own requests.
      if (isLostMembership(error)) {
        this.lost ??= error;
        this.wake?.();
      }
    }
  }

  private throwIfHandedBack(): void {
    if (this.lost !== undefined) throw this.lost;
    if (this.stopping.aborted) {
      // A KafkaJSError: kafkajs does not log it as a failed handler, and retries the fetch loop,
      // which ends as the consumer is no longer running. The offset stays uncommitted.
      throw new KafkaJSError('The consumer is stopping: the message is handed back', { retriable: true });
    }
  }
}

function isLostMembership(error: unknown): error is Error {
  return (
    error instanceof Error &&
    'type' in error &&
    typeof error.type === 'string' &&
    lostMembership.has(error.type)
  );
}
