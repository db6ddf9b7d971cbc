import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSecret } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'secret-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readSecret', () => {
  const file = join(dir, 'password');
  writeFileSync(file, 'from-the-file\n');

  it('reads NAME, else the file NAME_FILE names without its trailing newline, and says which', () => {
    expect(readSecret({ TOKEN: 's3cret', TOKEN_FILE: file }, 'TOKEN')).toEqual({
      value: 's3cret',
      from: 'TOKEN',
    });
    expect(readSecret({ TOKEN: '', TOKEN_FILE: file }, 'TOKEN')).toEqual({
      value: 'from-the-file',
      from: 'TOKEN_FILE',
    });
    expect(readSecret({ TOKEN: ' ' }, 'TOKEN')).toBeUndefined();
    expect(readSecret({}, 'TOKEN')).toBeUndefined();
  });

  it('fails naming NAME_FILE when the file is missing or empty, without printing a secret', () => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    expect(() => readSecret({ TOKEN_FILE: join(dir, 'missing') }, 'TOKEN')).toThrow('TOKEN_FILE');
    expect(() => readSecret({ TOKEN_FILE: empty }, 'TOKEN')).toThrow('TOKEN_FILE names an empty file');
  });
});
