import { describe, expect, it } from 'vitest';
import { graphqlResponseMediaType, specStatus } from './graphql-media.js';

const errors = (...codes: string[]) =>
  JSON.stringify({ errors: codes.map((code) => ({ message: code, extensions: { code } })) });

describe('GraphQL over HTTP media types and status codes', () => {
  it('chooses the media type as Apollo Server does', () => {
    expect(graphqlResponseMediaType(undefined)).toBe('application/json; charset=utf-8');
    expect(graphqlResponseMediaType('application/json')).toBe('application/json; charset=utf-8');
    expect(graphqlResponseMediaType('application/graphql-response+json')).toBe(
      'application/graphql-response+json',
    );
    expect(graphqlResponseMediaType('application/graphql-response+json, application/json;q=0.9')).toBe(
      'application/graphql-response+json',
    );
    expect(graphqlResponseMediaType('text/html')).toBeUndefined();
  });

  it('answers 200 to request errors of a well-formed request under application/json only', () => {
    const json = 'application/json; charset=utf-8';
    for (const code of [
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'BAD_USER_INPUT',
      'OPERATION_LIMIT_EXCEEDED',
    ]) {
      expect(specStatus(400, json, errors(code))).toBe(200);
      expect(specStatus(400, 'application/graphql-response+json', errors(code))).toBe(400);
    }
    expect(specStatus(400, json, errors('BAD_REQUEST'))).toBe(400);
    expect(specStatus(400, json, 'not json')).toBe(400);
    expect(specStatus(413, json, errors('PAYLOAD_TOO_LARGE'))).toBe(413);
    expect(specStatus(200, json, errors('UNAUTHENTICATED'))).toBe(200);
  });
});
