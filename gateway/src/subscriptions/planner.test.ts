import { readFileSync } from 'node:fs';
import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SubscriptionPlanner, type PreparedSubscription } from './planner.js';

const supergraphSdl = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');
const planner = new SubscriptionPlanner(supergraphSdl);

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

  it('without introspection, refuses __schema and __type and gives no "Did you mean" suggestion', () => {
    const closed = new SubscriptionPlanner(supergraphSdl, { introspection: false });
    const messages = (query: string): string[] => {
      const result = closed.prepare(query);
      return Array.isArray(result) ? (result as readonly GraphQLError[]).map((error) => error.message) : [];
    };
    expect(messages('{ __schema { queryType { name } } }')[0]).toBe(
      'GraphQL introspection has been disabled, but the requested query contained the field "__schema".',
    );
    expect(messages('{ __type(name: "User") { name } }')[0]).toMatch(/introspection has been disabled/);
    const typo = 'subscription { stockUpdated(productId: "p1") { availabel } }';
    expect(messages(typo)).toEqual(['Cannot query field "availabel" on type "StockUpdate".']);
    // With introspection (development), the same typo gets its suggestion.
    expect(errorsOf(typo)[0]?.message).toMatch(/Did you mean "available"\?/);
  });
});
