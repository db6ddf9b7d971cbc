import {
  HeaderMap,
  type ApolloServer,
  type BaseContext,
  type HTTPGraphQLRequest,
  type HTTPGraphQLResponse,
} from '@apollo/server';
import { graphqlResponseMediaType } from '@commerce/common/server';
import { isRecord, type Resolution, type TrustedDocuments } from './trusted-documents.js';

/** Apollo Server's HTTP entry point, the one thing the project's HTTP server calls. */
export type GraphqlHttpHandler<C extends BaseContext> = Pick<ApolloServer<C>, 'executeHTTPGraphQLRequest'>;

/**
 * Apollo Server behind the trusted documents: each POST body or GET query string naming a document
 * by id gets the document's text before Apollo parses it; a refused one is answered here, before
 * any parsing.
 */
export function withTrustedDocuments<C extends BaseContext>(
  apollo: GraphqlHttpHandler<C>,
  trusted: TrustedDocuments,
): GraphqlHttpHandler<C> {
  return {
    executeHTTPGraphQLRequest(request) {
      const screened = screenHttpRequest(request.httpGraphQLRequest, trusted);
      return screened.kind === 'answer'
        ? Promise.resolve(screened.response)
        : apollo.executeHTTPGraphQLRequest({ ...request, httpGraphQLRequest: screened.request });
    },
  };
}

/** What to do with one HTTP request: hand it on to Apollo (rewritten), or answer it here. */
export type Screened =
  | { readonly kind: 'forward'; readonly request: HTTPGraphQLRequest }
  | { readonly kind: 'answer'; readonly response: HTTPGraphQLResponse };

/** The request to hand to Apollo (its document id replaced by the text), or the refusal to answer. */
export function screenHttpRequest(request: HTTPGraphQLRequest, trusted: TrustedDocuments): Screened {
  const options = { automaticPersistedQueries: true };
  if (request.method === 'POST') {
    // Anything but an object (a batch, a string) is Apollo's to refuse: batching is off.
    const body = request.body;
    if (!isRecord(body)) return { kind: 'forward', request };
    return answer(trusted.resolve(body, options), request, (query) => ({
      ...request,
      body: withText(body, query),
    }));
  }
  if (request.method === 'GET') {
    const params = new URLSearchParams(request.search);
    const fields = {
      query: params.get('query') ?? undefined,
      documentId: params.get('documentId') ?? undefined,
      extensions: parsedJson(params.get('extensions')),
    };
    return answer(trusted.resolve(fields, options), request, (query) => {
      const rewritten = withText(fields, query);
      params.delete('documentId');
      params.set('query', query);
      if (rewritten['extensions'] === undefined) params.delete('extensions');
      else params.set('extensions', JSON.stringify(rewritten['extensions']));
      return { ...request, search: `?${params.toString()}` };
    });
  }
  return { kind: 'forward', request };
}

function answer(
  resolution: Resolution,
  request: HTTPGraphQLRequest,
  run: (query: string) => HTTPGraphQLRequest,
): Screened {
  switch (resolution.kind) {
    case 'as-sent':
      return { kind: 'forward', request };
    case 'run':
      return { kind: 'forward', request: run(resolution.query) };
    case 'refused': {
      // The media type Apollo would answer with: the HTTP server then sets the spec's status for it.
      const mediaType =
        graphqlResponseMediaType(request.headers.get('accept')) ?? 'application/json; charset=utf-8';
      const headers = new HeaderMap([['content-type', mediaType]]);
      // As Apollo Server answers it: an APQ client retries with the text, nothing caches the miss.
      if (resolution.code === 'PERSISTED_QUERY_NOT_FOUND') {
        headers.set('cache-control', 'private, no-cache, must-revalidate');
      }
      const errors = [{ message: resolution.message, extensions: { code: resolution.code } }];
      const string = JSON.stringify({ errors });
      return {
        kind: 'answer',
        response: { status: resolution.status, headers, body: { kind: 'complete', string } },
      };
    }
  }
}

/** The request's fields with `query` set, without its id (documentId, extensions.persistedQuery). */
function withText(fields: Readonly<Record<string, unknown>>, query: string): Record<string, unknown> {
  const rewritten: Record<string, unknown> = { ...fields, query };
  delete rewritten['documentId'];
  const extensions = isRecord(fields['extensions']) ? { ...fields['extensions'] } : undefined;
  delete extensions?.['persistedQuery'];
  // Apollo refuses an `extensions` key that is not an object: leave it out when nothing is left.
  if (extensions && Object.keys(extensions).length > 0) rewritten['extensions'] = extensions;
  else delete rewritten['extensions'];
  return rewritten;
}

function parsedJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Apollo answers 400 for it.
    return undefined;
  }
}
