import { describe, expect, it } from 'vitest';
import { readEntityCache } from './config.js';

describe('readEntityCache', () => {
  it('is on with 64 MiB per subgraph unless told otherwise', () => {
    expect(readEntityCache({})).toEqual({ enabled: true, maxBytes: 64 * 1024 * 1024 });
    expect(readEntityCache({ ENTITY_CACHE: 'off', ENTITY_CACHE_MAX_MB: '8' })).toEqual({
      enabled: false,
      maxBytes: 8 * 1024 * 1024,
    });
  });

  it('fails naming the variable on anything but on or off', () => {
    expect(() => readEntityCache({ ENTITY_CACHE: 'yes' })).toThrow(/ENTITY_CACHE must be on or off/);
  });
});
