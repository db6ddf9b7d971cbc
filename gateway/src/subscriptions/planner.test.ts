import { readFileSync } from 'node:fs';
import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SubscriptionPlanner, type PreparedSubscription } from './planner.js';

const planner = new SubscriptionPlanner(
  readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8'),
);

function prepared(query: string): PreparedSubscription {
  const result = planner.prepare(query);
  if (Array.isArray(result))
    throw new Error((result as readonly GraphQLError[]).map((e) => e.message).join('; '));
  return result as PreparedSubscription;
}

function errorsOf(query: string): readonly GraphQLError[] {
  const result = planner.prepare(query);
  return Array.isArray(result) ? (result as readonly GraphQLError[]) : [];
}

describe('SubscriptionPlanner', () => {
  it('plans the event as the primary fetch and the product fields from products and inventory', () => {
    const plan = prepared(
      'subscription($p: ID) { stockUpdated(productId: $p) { available product { name inventory { reserved } } } }',
    ).plan;
    expect(plan.node?.kind).toBe('Sequence');
    const nodes = plan.node?.kind === 'Sequence' ? plan.node.nodes : [];
    expect(nodes[0]).toMatchObject({ kind: 'Fetch', serviceName: 'subscriptions' });
    expect(JSON.stringify(nodes[1])).toMatch(/"serviceName":"products"/);
    expect(JSON.stringify(nodes[1])).toMatch(/"serviceName":"inventory"/);
  });

  it('plans one operation once', () => {
    const query = 'subscription { orderPlaced { id status } }';
    expect(planner.prepare(query)).toBe(planner.prepare(query));
    expect(prepared(query).field).toBe('orderPlaced');
  });

  it('finds the root field through fragments', () => {
    const query = 'subscription { ...F } fragment F on Subscription { lowStockAlert { priority } }';
    expect(prepared(query).field).toBe('lowStockAlert');
  });

  it('reads the root arguments from literals and coerced variables', () => {
    const withVariable = prepared('subscription($o: ID) { orderStatusChanged(orderId: $o) { id } }');
    expect(planner.argumentsOf(withVariable, { o: 'o1' })).toEqual({
      variables: { o: 'o1' },
      args: { orderId: 'o1' },
    });
    const literal = prepared('subscription { stockUpdated(productId: "p9") { available } }');
    expect(planner.argumentsOf(literal, undefined)).toMatchObject({ args: { productId: 'p9' } });
  });

  it('answers invalid operations and variables with coded errors', () => {
    expect(errorsOf('subscription {')[0]?.extensions['code']).toBe('GRAPHQL_PARSE_FAILED');
    expect(errorsOf('subscription { nope }')[0]?.extensions['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(errorsOf('{ products { totalCount } }')[0]?.extensions['code']).toBe('BAD_REQUEST');
    const withVariable = prepared('subscription($o: ID!) { orderStatusChanged(orderId: $o) { id } }');
    const result = planner.argumentsOf(withVariable, {});
    expect(Array.isArray(result) && (result as readonly GraphQLError[])[0]?.extensions['code']).toBe(
      'BAD_USER_INPUT',
    );
  });
});
