import type { Logger } from '../logger.js';

/** Closes one thing a service opened (its server, the bus, a database client). */
export type Closer = () => Promise<unknown>;

/**
 * Runs a service process: `start` opens what the service needs and returns how to close each
 * thing, in the order it was opened. On SIGTERM or SIGINT they are closed last-opened first and
 * the process exits 0 (1 when closing something fails; the others are still closed). A failed
 * start exits 1 with the reason logged.
 */
export function runService(logger: Logger, start: () => Promise<readonly Closer[]>): void {
  start().then(
    (closers) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals): void => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        closeInReverse(closers).then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    (error: unknown) => {
      logger.fatal({ err: error }, 'failed to start');
      process.exit(1);
    },
  );
}

/** Closes every closer, last-opened first, even after one fails; then throws the failures together. */
async function closeInReverse(closers: readonly Closer[]): Promise<void> {
  const errors: unknown[] = [];
  for (const close of [...closers].reverse()) await close().catch((error: unknown) => errors.push(error));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'Several closers failed');
}
