import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';
import { isUnknownId, persistedQueryOf } from './persisted.js';
import { subscribe, type LiveSubscription, type SubscribeOptions } from './subscriptions.js';

export type {
  ClosedEvent,
  Ending,
  LiveSubscription,
  ResumePolicy,
  SubscribeOptions,
  SubscriptionResult,
} from './subscriptions.js';
export { connect, type LiveConnection, type SubscriptionEnd } from './subscriptions.js';

/** One error of a GraphQL response; `extensions.code` is the project's stable error code. */
export interface ResponseError {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: { readonly code?: string; readonly [key: string]: unknown };
}

/** A GraphQL response, typed by the operation's document. */
export interface Response<TResult> {
  readonly data: TResult | null | undefined;
  readonly errors: readonly ResponseError[] | undefined;
  /** The HTTP status (200, or 401 for a refused token, 400 for an invalid operation...). */
  readonly status: number;
}

export interface RequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A small typed GraphQL client over HTTP for the gateway (tests and scripts). It sends each
 * generated document by its id in the persisted-documents manifest (APQ's
 * `extensions.persistedQuery.sha256Hash`), not its text; a server that does not hold it
 * (PERSISTED_QUERY_NOT_FOUND: a gateway with TRUSTED_DOCUMENTS=off or another manifest, a subgraph)
 * gets the text instead, then and from then on for that document.
 */
export interface Client {
  readonly url: string;
  request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    options?: RequestOptions,
  ): Promise<Response<TResult>>;
  /**
   * Subscribes over graphql-ws (WebSocket, same URL), one connection per call; the token goes in
   * `connection_init`. Iterate the results, or wait on them with `waitFor`. A document that declares
   * `$after: String` resumes by itself when the socket drops (reconnects with backoff, subscribes
   * again with `after` set to the last event's cursor); `options.after` starts after a kept cursor.
   */
  subscribe<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    options?: SubscribeOptions,
  ): LiveSubscription<TResult>;
}

/** A client for `url` (e.g. http://127.0.0.1:4000/graphql); documents come from the generated `graphql()`. */
export function createClient(url: string): Client {
  const printed = new WeakMap<object, string>();
  const unknownIds = new WeakSet<object>();
  const textOf = (document: DocumentNode): string => {
    let query = printed.get(document);
    if (query === undefined) {
      query = print(document);
      printed.set(document, query);
    }
    return query;
  };
  return {
    url,
    subscribe: (document, variables, options) => subscribe(url, document, variables, options),
    async request<TResult, TVariables>(
      document: TypedDocumentNode<TResult, TVariables>,
      variables: TVariables,
      options: RequestOptions = {},
    ): Promise<Response<TResult>> {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
      if (options.token) headers['authorization'] = `Bearer ${options.token}`;
      const post = async (body: Record<string, unknown>): Promise<Response<TResult>> => {
        const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
        const text = await response.text();
        return { ...parseBody<TResult>(text, response.status), status: response.status };
      };
      const extensions = unknownIds.has(document) ? undefined : persistedQueryOf(document);
      if (extensions !== undefined) {
        const byId = await post({ extensions, variables });
        if (!isUnknownId(byId.errors)) return byId;
        unknownIds.add(document);
      }
      return post({ query: textOf(document), variables });
    },
  };
}

/** The data of a response without errors; throws with the errors (and their codes) otherwise. */
export function dataOf<TResult>(
  response: Pick<Response<TResult>, 'data' | 'errors'> & { readonly status?: number },
): TResult {
  if (response.errors?.length || response.data === null || response.data === undefined) {
    const detail = (response.errors ?? []).map(
      (error) => `${error.extensions?.code ?? '?'}: ${error.message}`,
    );
    const status = response.status === undefined ? 'subscription' : `HTTP ${response.status}`;
    throw new Error(`GraphQL request failed (${status}): ${detail.join('; ') || 'no data'}`);
  }
  return response.data;
}

/** The error codes of a response, in order. */
export function errorCodes(response: Pick<Response<unknown>, 'errors'>): (string | undefined)[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}

function parseBody<TResult>(text: string, status: number): Pick<Response<TResult>, 'data' | 'errors'> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { data: undefined, errors: [{ message: `HTTP ${status}: ${text.slice(0, 200)}` }] };
  }
  if (typeof body !== 'object' || body === null) {
    return { data: undefined, errors: [{ message: `HTTP ${status}: unexpected body` }] };
  }
  const { data, errors } = body as { data?: unknown; errors?: unknown };
  // The shape is the server's contract for this document; it is not re-validated here.
  return {
    data: data as TResult | null | undefined,
    errors: Array.isArray(errors) ? (errors as ResponseError[]) : undefined,
  };
}
