import { readFileSync } from 'node:fs';
import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SubscriptionPlanner } from '../subscriptions/planner.js';
import { OperationLimiter } from './operation-limiter.js';
import { defaultOperationLimits } from './operation-limits.js';

const supergraphSdl = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');
const planner = new SubscriptionPlanner(supergraphSdl, {
  limiter: new OperationLimiter(defaultOperationLimits),
});

/** The errors a subscriber gets for `query` and `variables` ([] when accepted), as planner.ts checks them. */
function errorsOf(
  on: SubscriptionPlanner,
  query: string,
  variables: Record<string, unknown> = {},
): readonly GraphQLError[] {
  const prepared = on.prepare(query);
  if (isErrors(prepared)) return prepared;
  const args = on.argumentsOf(prepared, variables);
  return isErrors(args) ? args : [];
}

function isErrors<T extends object>(value: T | readonly GraphQLError[]): value is readonly GraphQLError[] {
  return Array.isArray(value);
}

function refusals(query: string, variables: Record<string, unknown> = {}): string[] {
  return errorsOf(planner, query, variables).map(
    (error) => `${String(error.extensions['code'])}: ${error.message}`,
  );
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
    const cheap = new SubscriptionPlanner(supergraphSdl, {
      limiter: new OperationLimiter({ ...defaultOperationLimits, maxCost: 222 }),
    });
    const query = 'subscription { orderPlaced { user { orders { user { orders { id total } } } } } }';
    expect(errorsOf(cheap, query).map(({ message, extensions }) => [extensions['code'], message])).toEqual([
      [
        'OPERATION_LIMIT_EXCEEDED',
        'Operation limit OPERATION_MAX_COST: Query cost limit of 222 exceeded, found 223.',
      ],
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
