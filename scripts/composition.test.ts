import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeSupergraph, supergraphPath } from './composition.js';

describe('supergraph composition', () => {
  it('the committed schema/supergraph.graphql matches the subgraph SDL (run npm run compose)', () => {
    expect(readFileSync(supergraphPath, 'utf8')).toBe(composeSupergraph());
  });

  it('composes Query, Mutation and Subscription into one schema', () => {
    const supergraph = composeSupergraph();
    expect(supergraph).toMatch(/type Query/);
    expect(supergraph).toMatch(/type Mutation/);
    expect(supergraph).toMatch(/type Subscription/);
  });
});
