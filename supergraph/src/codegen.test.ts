import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import type { Types } from '@graphql-codegen/plugin-helpers';
import { describe, expect, it } from 'vitest';
import config from '../../codegen.js';
import * as typedClient from '../../test/client/generated/graphql.js';
import { documentIdOf } from '../../test/client/persisted.js';

const manifestPath = 'test/client/generated/persisted-documents.json';

describe('generated code', () => {
  it('the committed resolver types, typed client and its manifest match codegen.ts (else run npm run codegen)', async () => {
    // generate() is typed `any`; with saveToFile false it returns the file outputs.
    const outputs = (await generate({ ...config, silent: true }, false)) as Types.FileOutput[];
    expect(outputs.length).toBeGreaterThan(4);
    expect(outputs.map((output) => output.filename)).toContain(manifestPath);
    for (const output of outputs) {
      expect(readFileSync(output.filename, 'utf8'), output.filename).toBe(output.content);
    }
  }, 60_000);

  it('the manifest holds every typed document, under the sha256 of its text that the document carries', () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, string>;
    for (const [id, text] of Object.entries(manifest)) {
      expect(id).toBe(`sha256:${createHash('sha256').update(text).digest('hex')}`);
    }
    const documents = Object.entries(typedClient).filter(([name]) => name.endsWith('Document'));
    expect(documents.length).toBeGreaterThan(10);
    const ids = documents.map(([, document]) => documentIdOf(document as Parameters<typeof documentIdOf>[0]));
    expect(ids.sort()).toEqual(Object.keys(manifest).sort());
  });
});
