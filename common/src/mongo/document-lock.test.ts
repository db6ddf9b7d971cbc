import { describe, expect, it } from 'vitest';
import { withDocumentLock, withDocumentLocks } from './document-lock.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
const collection = { dbName: 'lock_test', collectionName: 'docs' };

describe('withDocumentLocks', () => {
  it('runs its work while no single-document writer of those documents runs, and never deadlocks', async () => {
    const log: string[] = [];
    const writer = (id: string) =>
      withDocumentLock(collection, id, async () => {
        log.push(`${id} start`);
        await tick();
        log.push(`${id} end`);
      });
    // Writers hold b and c when the multi-document work asks for c, a and b (in that order).
    const b = writer('b');
    const c = writer('c');
    const all = withDocumentLocks(collection, ['c', 'a', 'b', 'a'], async () => {
      log.push('all start');
      await tick();
      log.push('all end');
      return 'done';
    });
    const a = writer('a');
    expect(await Promise.all([all, a, b, c])).toEqual(['done', undefined, undefined, undefined]);
    const at = (entry: string) => log.indexOf(entry);
    expect(at('all start')).toBeGreaterThan(Math.max(at('b end'), at('c end')));
    // a was asked for after the work had queued for it: it runs once the work is done.
    expect(at('a start')).toBeGreaterThan(at('all end'));
  });

  it('runs the work at once for no documents', async () => {
    expect(await withDocumentLocks(collection, [], () => Promise.resolve(1))).toBe(1);
  });
});
