import { readFileSync } from 'node:fs';
import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SubscriptionPlanner } from '../subscriptions/planner.js';
import { OperationLimiter } from './operation-limiter.js';
import { defaultOperationLimits } from './operation-limits.js';

const supergraphSdl = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');
const planner = new SubscriptionPlanner(supergraphSdl, new OperationLimiter(defaultOperationLimits));

/** What the subscriber gets for `query` and `variables`: its error messages, or [] when accepted. */
function refusals(query: string, variables: Record<string, unknown> = {}): string[] {
  const prepared = planner.prepare(query);
  const result = Array.isArray(prepared) ? prepared : planner.argumentsOf(prepared, variables);
  return Array.isArray(result)
    ? (result as readonly GraphQLError[]).map(
        (error) => `${String(error.extensions['code'])}: ${error.message}`,
      )
    : [];
}

describe('subscription documents under the operation limits', () => {
  it('refuses a document over the depth limit before planning it', () => {
    const query =
      'subscription { orderPlaced { user { orders { user { orders { user { orders { id } } } } } } } }';
    expect(refusals(query)).toEqual([
      'OPERATION_LIMIT_EXCEEDED: Operation limit OPERATION_MAX_DEPTH: Query depth limit of 7 exceeded, found 8.',
    ]);
  });

  it('refuses a document over the token limit', () => {
    const aliases = Array.from({ length: 5_000 }, (_, i) => `a${i}: stockUpdated { productId }`).join(' ');
    expect(refusals(`subscription { ${aliases} }`)).toEqual([
      'OPERATION_LIMIT_EXCEEDED: Operation limit OPERATION_MAX_TOKENS: Token limit of 1000 exceeded.',
    ]);
  });

  it('refuses a document over the cost limit: nested lists multiply', () => {
    // orders { id total } = 1 + 10 x 2; user = 22; orders = 1 + 10 x 22; user = 222; orderPlaced = 223.
    const cheap = new SubscriptionPlanner(
      supergraphSdl,
      new OperationLimiter({ ...defaultOperationLimits, maxCost: 222 }),
    );
    const prepared = cheap.prepare(
      'subscription { orderPlaced { user { orders { user { orders { id total } } } } } }',
    );
    const result = Array.isArray(prepared) ? prepared : cheap.argumentsOf(prepared, {});
    expect(result).toEqual([
      expect.objectContaining({
        message: 'Operation limit OPERATION_MAX_COST: Query cost limit of 222 exceeded, found 223.',
        extensions: expect.objectContaining({ code: 'OPERATION_LIMIT_EXCEEDED' }),
      }),
    ]);
  });

  it('accepts the subscriptions of the typed client', () => {
    expect(
      refusals(
        'subscription ($p: ID) { stockUpdated(productId: $p) { available product { name inventory { reserved } } } }',
        { p: 'p1' },
      ),
    ).toEqual([]);
  });
});
