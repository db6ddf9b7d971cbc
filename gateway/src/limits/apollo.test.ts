import { ApolloServer, HeaderMap } from '@apollo/server';
import { formatError } from '@commerce/common/errors';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apolloOperationLimits } from './apollo.js';
import { operationLimiter } from './operation-limiter.js';
import { defaultOperationLimits, type OperationLimitsSetting } from './operation-limits.js';

const typeDefs = `
  type Query { me: User }
  type User { id: ID!, orders: [Order!]! }
  type Order { id: ID!, user: User!, total: Float!, status: String!, createdAt: String!, updatedAt: String! }
`;

let resolved = 0;
const user = (): unknown => {
  resolved += 1;
  return { id: 'u1', orders: [{ id: 'o1', user: { id: 'u1', orders: [] } }] };
};

async function startServer(setting: OperationLimitsSetting): Promise<ApolloServer> {
  const limits = apolloOperationLimits(operationLimiter(setting), formatError);
  const server = new ApolloServer({
    typeDefs,
    resolvers: { Query: { me: user } },
    formatError: limits.formatError,
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    plugins: [limits.plugin],
  });
  await server.start();
  return server;
}

async function post(
  server: ApolloServer,
  query: string,
): Promise<{ status: number; body: { errors?: { message: string; extensions: unknown }[] } }> {
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: 'POST',
      headers: new HeaderMap([['content-type', 'application/json']]),
      search: '',
      body: { query },
    },
    context: () => Promise.resolve({}),
  });
  if (response.body.kind !== 'complete') throw new Error('expected a complete body');
  return { status: response.status ?? 200, body: JSON.parse(response.body.string) as never };
}

const deep = '{ me { orders { user { orders { user { orders { user { orders { id } } } } } } } } }';

describe('apolloOperationLimits', () => {
  let limited: ApolloServer;
  let unlimited: ApolloServer;
  beforeAll(async () => {
    limited = await startServer(defaultOperationLimits);
    unlimited = await startServer('off');
  });
  afterAll(async () => {
    await limited.stop();
    await unlimited.stop();
  });
  beforeEach(() => {
    resolved = 0;
  });

  it.each([
    ['depth', deep, 'OPERATION_MAX_DEPTH'],
    ['tokens', `{ ${'me { id } '.repeat(400)}}`, 'OPERATION_MAX_TOKENS'],
    [
      'cost',
      '{ me { orders { user { orders { user { orders { id total status createdAt updatedAt } } } } } } }',
      'OPERATION_MAX_COST',
    ],
  ])(
    'answers an operation over the %s limit with 400 OPERATION_LIMIT_EXCEEDED, unexecuted',
    async (_, query, limit) => {
      const { status, body } = await post(limited, query);
      expect(status).toBe(400);
      expect(body.errors?.map(({ extensions }) => extensions)).toEqual([
        { code: 'OPERATION_LIMIT_EXCEEDED' },
      ]);
      expect(body.errors?.[0]?.message).toMatch(`Operation limit ${limit}: `);
      expect(resolved).toBe(0);
    },
  );

  it('refuses again a document it refused before (nothing is cached on refusal)', async () => {
    expect((await post(limited, deep)).status).toBe(400);
    expect((await post(limited, deep)).status).toBe(400);
  });

  it('executes what is inside the limits, and everything when the limits are off', async () => {
    expect(await post(limited, '{ me { orders { id } } }')).toMatchObject({ status: 200 });
    expect((await post(unlimited, deep)).body.errors).toBeUndefined();
    expect(resolved).toBe(2);
  });

  it('leaves other request errors to the formatter', async () => {
    const { status, body } = await post(limited, '{ nope }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});
