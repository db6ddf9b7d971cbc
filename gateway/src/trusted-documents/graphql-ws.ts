import { GraphQLError } from 'graphql';
import type { DocumentRequest, TrustedDocuments } from './trusted-documents.js';

/**
 * The text of the document a graphql-ws `subscribe` payload names: by id (`documentId`, or
 * `extensions.persistedQuery`, beside an empty `query`: graphql-ws requires the field), or by text;
 * or the errors refusing it (sent as a graphql-ws `error`; the connection stays open).
 */
export function subscriptionQuery(
  payload: DocumentRequest & { readonly query: string },
  trusted: TrustedDocuments,
): string | readonly GraphQLError[] {
  const resolution = trusted.resolve(payload, { automaticPersistedQueries: false });
  switch (resolution.kind) {
    case 'as-sent':
      return payload.query;
    case 'run':
      return resolution.query;
    case 'refused':
      return [new GraphQLError(resolution.message, { extensions: { code: resolution.code } })];
  }
}
