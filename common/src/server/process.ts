import type { Logger } from '../logger.js';

/** Closes one thing a service opened (its server, the bus, a database client). */
export type Closer = () => Promise<unknown>;

/**
 * Runs a service process: `start` opens what the service needs and returns how to close each
 * thing, in the order it was opened. On SIGTERM or SIGINT they are closed last-opened first and
 * the process exits 0 (1 when closing fails). A failed start exits 1 with the reason logged.
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

async function closeInReverse(closers: readonly Closer[]): Promise<void> {
  for (const close of [...closers].reverse()) await close();
}
