import { afterEach, describe, expect, it } from 'vitest';
import { logLines, plainLines, runTsx, type TsxChild } from '../../../test/fixtures/tsx-child.js';

const fixture = 'test/fixtures/run-service.ts';
const children: TsxChild[] = [];

function service(...args: string[]): TsxChild {
  const child = runTsx(fixture, args, { ...process.env, LOG_LEVEL: 'info' });
  children.push(child);
  return child;
}

afterEach(async () => {
  for (const child of children.splice(0)) await child.stop();
});

// Each test starts a process through tsx: seconds, not milliseconds.
describe('runService in a process of its own', { timeout: 30_000 }, () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s closes what start opened one at a time, last-opened first, then exits 0',
    async (signal) => {
      const child = service('server', 'bus', 'store');
      await child.waitForStdout(/^ready$/m);
      child.kill(signal);

      expect(await child.exited).toEqual({ code: 0, signal: null });
      expect(plainLines(child.stdout)).toEqual([
        'ready',
        'closing store',
        'closed store',
        'closing bus',
        'closed bus',
        'closing server',
        'closed server',
      ]);
      expect(logLines(child.stdout)).toContainEqual(
        expect.objectContaining({ signal, msg: 'shutting down' }),
      );
    },
  );

  it('exits 1 when a closer fails, logging why, and still closes the things opened before it', async () => {
    const child = service('server', 'bus!', 'store');
    await child.waitForStdout(/^ready$/m);
    child.kill('SIGTERM');

    expect(await child.exited).toEqual({ code: 1, signal: null });
    expect(plainLines(child.stdout)).toEqual([
      'ready',
      'closing store',
      'closed store',
      'closing bus',
      'closing server',
      'closed server',
    ]);
    expect(logLines(child.stdout)).toContainEqual(
      expect.objectContaining({
        msg: 'shutdown failed',
        err: expect.objectContaining({ message: 'bus would not close' }) as unknown,
      }),
    );
  });

  it('exits 1 with the reason logged when start rejects', async () => {
    const child = service('--fail-start');

    expect(await child.exited).toEqual({ code: 1, signal: null });
    expect(plainLines(child.stdout)).toEqual([]);
    expect(logLines(child.stdout)).toContainEqual(
      expect.objectContaining({
        level: 60,
        msg: 'failed to start',
        err: expect.objectContaining({ message: 'cannot reach the database' }) as unknown,
      }),
    );
  });
});
