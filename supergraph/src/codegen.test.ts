import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import type { Types } from '@graphql-codegen/plugin-helpers';
import { describe, expect, it } from 'vitest';
import config from '../../codegen.js';

describe('generated code', () => {
  it('the committed resolver types and typed client match codegen.ts (else run npm run codegen)', async () => {
    // generate() is typed `any`; with saveToFile false it returns the file outputs.
    const outputs = (await generate({ ...config, silent: true }, false)) as Types.FileOutput[];
    expect(outputs.length).toBeGreaterThan(4);
    for (const output of outputs) {
      expect(readFileSync(output.filename, 'utf8'), output.filename).toBe(output.content);
    }
  }, 60_000);
});
