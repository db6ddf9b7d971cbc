import { generateKeyPair, signAccessToken } from '@commerce/common/auth';
import { createLogger } from '@commerce/common/logger';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { forwardedHeaders, gatewayContext } from './context.js';

const keys = generateKeyPair();
const logger = createLogger('test');
const viewer = { userId: 'u1', email: 'a@example.com', role: 'CUSTOMER' as const };

describe('gatewayContext', () => {
  it('treats a request without Authorization as anonymous', () => {
    const context = gatewayContext(undefined, 'c1', keys.publicKey, logger);
    expect(context.viewer).toBeNull();
    expect(context.authorization).toBeUndefined();
  });

  it('verifies a valid token and keeps the header to forward', () => {
    const header = `Bearer ${signAccessToken(viewer, keys.privateKey, 60)}`;
    const context = gatewayContext(header, 'c1', keys.publicKey, logger);
    expect(context.viewer).toEqual(viewer);
    expect(context.authorization).toBe(header);
  });

  it('refuses a token signed with another key with UNAUTHENTICATED and HTTP 401', () => {
    const other = generateKeyPair();
    const header = `Bearer ${signAccessToken(viewer, other.privateKey, 60)}`;
    const error = captured(() => gatewayContext(header, 'c1', keys.publicKey, logger));
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      http: { status: 401 },
    });
  });

  it('refuses a malformed Authorization header', () => {
    const error = captured(() => gatewayContext('Basic abc', 'c1', keys.publicKey, logger));
    expect((error as GraphQLError).extensions['code']).toBe('UNAUTHENTICATED');
  });
});

describe('forwardedHeaders', () => {
  it('forwards the Authorization header as received and the correlation id', () => {
    expect(forwardedHeaders({ authorization: 'Bearer abc', correlationId: 'c1' })).toEqual({
      authorization: 'Bearer abc',
      'x-correlation-id': 'c1',
    });
  });

  it('sends no Authorization header for an anonymous request', () => {
    expect(forwardedHeaders({ authorization: undefined, correlationId: 'c2' })).toEqual({
      'x-correlation-id': 'c2',
    });
  });
});

function captured(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
