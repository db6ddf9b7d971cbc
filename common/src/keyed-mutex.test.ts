import { describe, expect, it } from 'vitest';
import { KeyedMutex } from './keyed-mutex.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('KeyedMutex', () => {
  it('runs work of one key one at a time, in call order', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      mutex.run('k', job('a')),
      mutex.run('k', job('b')),
      mutex.run('k', job('c')),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('lets different keys run side by side', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    await Promise.all(
      ['x', 'y'].map((key) =>
        mutex.run(key, async () => {
          log.push(`${key} start`);
          await tick();
          log.push(`${key} end`);
        }),
      ),
    );
    expect(log.slice(0, 2).sort()).toEqual(['x start', 'y start']);
  });

  it('releases the key when the work fails', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run('k', () => Promise.resolve('next'))).resolves.toBe('next');
  });
});
