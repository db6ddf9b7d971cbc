import Negotiator from 'negotiator';

/** The GraphQL-over-HTTP spec's two response media types. */
export const graphqlResponseJson = 'application/graphql-response+json';
export const applicationJson = 'application/json';

/**
 * The media type of a single GraphQL response, chosen from the request's Accept header as Apollo
 * Server chooses it: application/json on a tie or without Accept (legacy clients), undefined when
 * the client accepts neither.
 */
export function graphqlResponseMediaType(accept: string | undefined): string | undefined {
  const chosen = new Negotiator({ headers: { accept: accept ?? '*/*' } }).mediaType([
    applicationJson,
    graphqlResponseJson,
  ]);
  return chosen === applicationJson ? `${applicationJson}; charset=utf-8` : chosen;
}

/** Errors of a request that is not a well-formed GraphQL-over-HTTP request (Apollo's code for them). */
const malformedRequestCode = 'BAD_REQUEST';

/**
 * The status of a GraphQL response per the GraphQL-over-HTTP spec. With `application/json` "the
 * server SHOULD use the 200 status code for every response to a well-formed GraphQL-over-HTTP
 * request, independent of any GraphQL request error" (spec, "application/json" § Examples: parse,
 * validation, operation and variable coercion failures answer 200); only a request that is not
 * well-formed keeps its 4xx. With `application/graphql-response+json` a request error keeps its 400
 * (and whatever else was chosen, such as 413, 429 or 405, stays).
 */
export function specStatus(status: number, contentType: string | undefined, body: string): number {
  if (status !== 400 || !contentType?.toLowerCase().startsWith(applicationJson)) return status;
  let codes: unknown[];
  try {
    const parsed = JSON.parse(body) as { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
    if (!Array.isArray(parsed.errors) || parsed.errors.length === 0) return status;
    codes = parsed.errors.map((error) => error.extensions?.code);
  } catch {
    return status;
  }
  return codes.includes(malformedRequestCode) ? status : 200;
}
