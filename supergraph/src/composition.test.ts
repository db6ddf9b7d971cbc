import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiSchemaPath, composeSupergraph, supergraphPath } from './composition.js';

describe('supergraph composition', () => {
  const composed = composeSupergraph();

  it('the committed schema/supergraph.graphql and api.graphql match the subgraph SDL (else run npm run compose)', () => {
    expect(readFileSync(supergraphPath, 'utf8')).toBe(composed.supergraphSdl);
    expect(readFileSync(apiSchemaPath, 'utf8')).toBe(composed.apiSchemaSdl);
  });

  it('the API schema has Query, Mutation and Subscription together', () => {
    expect(composed.apiSchemaSdl).toMatch(/^type Query \{/m);
    expect(composed.apiSchemaSdl).toMatch(/^type Mutation \{/m);
    expect(composed.apiSchemaSdl).toMatch(/^type Subscription \{/m);
    expect(composed.apiSchemaSdl).not.toMatch(/join__/);
  });
});
