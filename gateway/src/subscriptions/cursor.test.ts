import { describe, expect, it } from 'vitest';
import { checkCursor, decodeCursor, encodeCursor } from './cursor.js';

const topic = 'kafka:run1.stock.updated';

describe('resume cursors', () => {
  it('decode what they encode: the position in their topic', () => {
    const cursor = encodeCursor(topic, [3, 0, 17]);
    expect(cursor).toMatch(/^c1\.[\w-]+\.[a-z0-9]+$/);
    expect(decodeCursor(cursor, topic)).toEqual([3, 0, 17]);
  });

  it('refuse an altered, truncated or foreign cursor with BAD_CURSOR', () => {
    const cursor = encodeCursor(topic, [3, 0, 17]);
    const [version, body, check] = cursor.split('.');
    const altered = Buffer.from(JSON.stringify([topic, [3, 0, 18]])).toString('base64url');
    const codes = [
      `${version}.${altered}.${check}`,
      cursor.slice(0, -1),
      `c2.${body}.${check}`,
      'garbage',
      '',
      encodeCursor('kafka:run2.stock.updated', [3, 0, 17]),
      encodeCursor(topic, [-1]),
      encodeCursor(topic, []),
    ].map((text) => {
      const decoded = decodeCursor(text, topic);
      return decoded instanceof Error ? decoded.extensions['code'] : 'accepted';
    });
    expect(codes).toEqual(Array.from({ length: 8 }, () => 'BAD_CURSOR'));
  });

  it('are expired once retention deleted events after them, bad when ahead of the topic', () => {
    const bounds = { start: [2, 0], end: [10, 5] };
    expect(checkCursor([2, 0], bounds)).toBeUndefined();
    expect(checkCursor([10, 5], bounds)).toBeUndefined();
    expect(checkCursor([1, 5], bounds)?.extensions['code']).toBe('CURSOR_EXPIRED');
    expect(checkCursor([10, 6], bounds)?.extensions['code']).toBe('BAD_CURSOR');
    expect(checkCursor([2, 0, 0], bounds)?.extensions['code']).toBe('BAD_CURSOR');
  });
});
