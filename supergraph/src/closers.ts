/** Closes one thing that was opened (a server, a bus, a store). */
export type Closer = () => Promise<unknown>;

/**
 * What a start has opened so far, closed last-opened first. Every closer runs even when one fails;
 * the failures are thrown together.
 */
export class Closers {
  private readonly stack: Closer[] = [];

  push(close: Closer): void {
    this.stack.push(close);
  }

  async closeAll(what: string): Promise<void> {
    const errors: unknown[] = [];
    for (const close of this.stack.splice(0).reverse()) {
      await close().catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw new AggregateError(errors, `${what} did not close cleanly`);
  }

  /** Runs `start`; when it fails, closes what it had opened and rethrows. */
  async undoOnFailure<T>(what: string, start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (error) {
      await this.closeAll(what).catch(() => undefined);
      throw error;
    }
  }
}
