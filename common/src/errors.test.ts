import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AppError, formatError, notFound } from './errors.js';

const formatted = (error: GraphQLError) =>
  formatError({ message: error.message, extensions: error.extensions, path: ['x'] }, error);

describe('formatError', () => {
  it('keeps the message and stable code of our errors', () => {
    const error = new GraphQLError('ignored', { originalError: notFound('Product', 'p1') });
    expect(formatted(error)).toMatchObject({
      message: 'Product p1 not found',
      extensions: { code: 'NOT_FOUND' },
      path: ['x'],
    });
  });

  it('hides anything else behind INTERNAL_SERVER_ERROR, with no stack or driver text', () => {
    const driver = new Error(
      'duplicate key value violates unique constraint "users_email_key" SELECT * FROM users',
    );
    const result = formatted(new GraphQLError(driver.message, { originalError: driver }));
    expect(result).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
      path: ['x'],
      locations: undefined,
    });
    expect(JSON.stringify(result)).not.toMatch(/SELECT|unique|stack/);
  });

  it('passes through validation errors and subgraph errors that carry a known code', () => {
    const validation = new GraphQLError('Cannot query field "nope"', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(formatted(validation).extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    const downstream = new GraphQLError('Requires role ADMIN', { extensions: { code: 'FORBIDDEN' } });
    expect(formatted(downstream)).toMatchObject({
      message: 'Requires role ADMIN',
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('keeps the details a subgraph attached to a known code (e.g. the status of an unpayable order)', () => {
    const downstream = new GraphQLError('Order o1 is PAID: only a CONFIRMED order can be paid', {
      extensions: { code: 'ORDER_NOT_PAYABLE', details: { orderId: 'o1', status: 'PAID' } },
    });
    expect(formatted(downstream).extensions).toEqual({
      code: 'ORDER_NOT_PAYABLE',
      details: { orderId: 'o1', status: 'PAID' },
    });
    const odd = new GraphQLError('x', { extensions: { code: 'CONFLICT', details: 'not an object' } });
    expect(formatted(odd).extensions).toEqual({ code: 'CONFLICT' });
  });

  it('does not trust a code on an error wrapping a thrown non-project error', () => {
    const thrown = new Error('secret');
    const wrapped = new GraphQLError('secret', { originalError: thrown, extensions: { code: 'FORBIDDEN' } });
    expect(formatted(wrapped).extensions?.['code']).toBe('INTERNAL_SERVER_ERROR');
    expect(new AppError('CONFLICT', 'x').retriable).toBe(false);
  });
});
