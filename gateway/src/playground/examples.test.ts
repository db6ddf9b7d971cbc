import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { playgroundTabs } from './examples.js';

const apiSchema = buildSchema(readFileSync(new URL('../../../schema/api.graphql', import.meta.url), 'utf8'));

describe('the playground’s example tabs', () => {
  it.each(
    playgroundTabs.map((tab) => [
      tab.query.split('\n').find((line) => /^(query|mutation|subscription) /.test(line)),
      tab,
    ]),
  )('%s is valid against the public API', (_name, tab) => {
    expect(validate(apiSchema, parse(tab.query))).toEqual([]);
  });
});
