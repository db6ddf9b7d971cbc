import {
  buildSchema,
  getIntrospectionQuery,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLError,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { OperationLimiter } from './operation-limiter.js';
import { defaultOperationLimits, OperationLimitError, type OperationLimits } from './operation-limits.js';

const schema = buildSchema(`
  type Query { me: User, products(first: Int, after: String): ProductConnection!, product(id: ID!): Product }
  type User { id: ID!, orders: [Order!]! }
  type Order { id: ID!, user: User!, items: [OrderItem!]! }
  type OrderItem { quantity: Int!, product: Product! }
  type Product { id: ID!, name: String! }
  type ProductConnection { edges: [ProductEdge!]!, totalCount: Int! }
  type ProductEdge { node: Product! }
`);

function limiter(overrides: Partial<OperationLimits> = {}): OperationLimiter {
  return new OperationLimiter({ ...defaultOperationLimits, ...overrides });
}

/** Parses and validates as the gateway does: the refusals, or [] for an accepted document. */
function refusals(limits: OperationLimiter, query: string): readonly GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(query, limits.parseOptions);
  } catch (error) {
    const refusal = limits.refusalOf(error);
    if (!refusal) throw error;
    return [refusal];
  }
  const errors = validate(schema, document, [...specifiedRules, ...limits.validationRules]);
  return errors.map((error) => limits.refusalOf(error) ?? error);
}

function cost(limits: OperationLimiter, query: string, variables?: Record<string, unknown>): string {
  return limits.costRefusal(schema, parse(query), undefined, variables)?.message ?? 'accepted';
}

const nested = (levels: number): string =>
  `{ me { ${Array.from({ length: levels }, (_, i) => (i % 2 === 0 ? 'orders {' : 'user {')).join(' ')} id ${'}'.repeat(levels)} } }`;

describe('OperationLimiter', () => {
  it('refuses a document deeper than maxDepth, naming the limit', () => {
    const [refusal, ...others] = refusals(limiter({ maxDepth: 4 }), nested(4));
    expect(others).toEqual([]);
    expect(refusal).toBeInstanceOf(OperationLimitError);
    expect(refusal?.extensions['code']).toBe('OPERATION_LIMIT_EXCEEDED');
    expect(refusal?.message).toBe(
      'Operation limit OPERATION_MAX_DEPTH: Query depth limit of 4 exceeded, found 6.',
    );
    expect(refusals(limiter({ maxDepth: 4 }), nested(2))).toEqual([]);
  });

  it('counts depth in fields: fragments do not add a level', () => {
    const query = `{ me { ...Orders } } fragment Orders on User { orders { id } }`;
    expect(refusals(limiter({ maxDepth: 3 }), query)).toEqual([]);
  });

  it('refuses more aliases than maxAliases', () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: product(id: "${i}") { id }`).join(' ');
    expect(refusals(limiter(), `{ ${aliases} }`).map(({ message }) => message)).toEqual([
      'Operation limit OPERATION_MAX_ALIASES: Aliases limit of 15 exceeded, found 16.',
    ]);
  });

  it('refuses more directives than maxDirectives', () => {
    const query = `{ me { id @include(if: true) @skip(if: false) } }`;
    expect(refusals(limiter({ maxDirectives: 1 }), query).map(({ message }) => message)).toEqual([
      'Operation limit OPERATION_MAX_DIRECTIVES: Directives limit of 1 exceeded, found 2.',
    ]);
  });

  it('stops parsing at maxTokens', () => {
    const query = `{ ${Array.from({ length: 5_000 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    expect(refusals(limiter(), query).map(({ message }) => message)).toEqual([
      'Operation limit OPERATION_MAX_TOKENS: Token limit of 1000 exceeded.',
    ]);
  });

  it('estimates a list as listSize items, so that nested lists multiply', () => {
    // orders { id } = 1 + 10 x 1; user = 1 + 11; orders = 1 + 10 x 12; me = 1 + 121.
    const query = '{ me { orders { user { orders { id } } } } }';
    expect(cost(limiter({ maxCost: 122 }), query)).toBe('accepted');
    expect(cost(limiter({ maxCost: 121 }), query)).toBe(
      'Operation limit OPERATION_MAX_COST: Query cost limit of 121 exceeded, found 122.',
    );
    expect(cost(limiter({ maxCost: 122, listSize: 20 }), query)).toMatch(/found 442\.$/);
  });

  it('takes a page from `first`, as sent in the variables, and does not count the edges again', () => {
    // node = 1 + 1; edges = 1 + 2; products = 1 + first x 3.
    const query = 'query ($n: Int) { products(first: $n) { edges { node { id } } } }';
    const limits = limiter({ maxCost: 150 });
    expect(cost(limits, query, { n: 49 })).toBe('accepted');
    expect(cost(limits, query, { n: 50 })).toMatch(/found 151\.$/);
    expect(cost(limits, query, {})).toBe('accepted');
    expect(cost(limiter({ maxCost: 30 }), query, {})).toMatch(/found 31\.$/);
  });

  it('leaves variables that do not coerce to the gateway, which refuses them before planning', () => {
    const query = 'query ($n: Int!) { products(first: $n) { totalCount } }';
    expect(cost(limiter({ maxCost: 1 }), query, { n: 'many' })).toBe('accepted');
  });

  it('accepts introspection (GraphiQL) with the default limits', () => {
    const query = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true });
    expect(refusals(limiter(), query)).toEqual([]);
    expect(cost(limiter(), query)).toBe('accepted');
  });

  it('gives no refusal for errors that are not its own', () => {
    expect(limiter().refusalOf(new Error('Syntax Error: Unexpected Name "x"'))).toBeUndefined();
    expect(refusals(limiter(), '{ nope }').map(({ message }) => message)).toEqual([
      'Cannot query field "nope" on type "Query".',
    ]);
  });
});
