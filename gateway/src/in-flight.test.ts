import { describe, expect, it } from 'vitest';
import { InFlight } from './in-flight.js';

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('InFlight', () => {
  it('runs the task once for callers of the same key while it is in flight', async () => {
    const inFlight = new InFlight<{ n: number }>((value) => ({ ...value }));
    const pending = deferred<{ n: number }>();
    let runs = 0;
    const task = (): Promise<{ n: number }> => {
      runs += 1;
      return pending.promise;
    };
    const calls = [inFlight.run('k', task), inFlight.run('k', task), inFlight.run('k', task)];
    expect(inFlight.size).toBe(1);
    pending.resolve({ n: 1 });
    const results = await Promise.all(calls);
    expect(runs).toBe(1);
    expect(results).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }]);
    expect(inFlight.shared).toBe(2);
    expect(inFlight.size).toBe(0);
  });

  it('gives every caller of a shared result its own copy, so that none sees another change it', async () => {
    const inFlight = new InFlight<{ items: number[] }>((value) => structuredClone(value));
    const pending = deferred<{ items: number[] }>();
    const first = inFlight
      .run('k', () => pending.promise)
      .then((value) => {
        value.items.push(99);
        return value;
      });
    const second = inFlight.run('k', () => pending.promise);
    const original = { items: [1] };
    pending.resolve(original);
    expect((await first).items).toEqual([1, 99]);
    expect((await second).items).toEqual([1]);
    expect(original.items).toEqual([1]);
  });

  it('hands an unshared result over as it is', async () => {
    const inFlight = new InFlight<{ n: number }>(() => ({ n: -1 }));
    const value = { n: 1 };
    expect(await inFlight.run('k', () => Promise.resolve(value))).toBe(value);
  });

  it('runs different keys separately, and the same key again once it has settled', async () => {
    const inFlight = new InFlight<string>((value) => value);
    let runs = 0;
    const task = (value: string) => (): Promise<string> => {
      runs += 1;
      return Promise.resolve(value);
    };
    expect(await Promise.all([inFlight.run('a', task('a')), inFlight.run('b', task('b'))])).toEqual([
      'a',
      'b',
    ]);
    expect(await inFlight.run('a', task('again'))).toBe('again');
    expect(runs).toBe(3);
  });

  it('shares a failure with every caller, and forgets it', async () => {
    const inFlight = new InFlight<string>((value) => value);
    const pending = deferred<string>();
    const calls = [inFlight.run('k', () => pending.promise), inFlight.run('k', () => pending.promise)];
    pending.reject(new Error('down'));
    for (const call of calls) await expect(call).rejects.toThrow('down');
    expect(inFlight.size).toBe(0);
    expect(await inFlight.run('k', () => Promise.resolve('up'))).toBe('up');
  });
});
