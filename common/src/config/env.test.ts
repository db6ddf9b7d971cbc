import { describe, expect, it } from 'vitest';
import { isProduction, readBoolean } from './index.js';

describe('readBoolean', () => {
  it('reads true and false (1/0, yes/no), falls back when unset, and refuses anything else naming the variable', () => {
    expect(readBoolean({ X: 'true' }, 'X', false)).toBe(true);
    expect(readBoolean({ X: ' FALSE ' }, 'X', true)).toBe(false);
    expect(readBoolean({ X: '1' }, 'X', false)).toBe(true);
    expect(readBoolean({ X: 'no' }, 'X', true)).toBe(false);
    expect(readBoolean({ X: '' }, 'X', true)).toBe(true);
    expect(readBoolean({}, 'X', false)).toBe(false);
    expect(() => readBoolean({ X: 'maybe' }, 'X', false)).toThrow('X must be true or false, got "maybe"');
  });
});

describe('isProduction', () => {
  it('is true only for NODE_ENV=production', () => {
    expect(isProduction({ NODE_ENV: 'production' })).toBe(true);
    expect(isProduction({ NODE_ENV: 'development' })).toBe(false);
    expect(isProduction({})).toBe(false);
  });
});
