import type { DocumentNode } from 'graphql';

/**
 * The id `npm run codegen` gave a generated document (client preset, `persistedDocuments`): its
 * `__meta__.hash`, `sha256:<hex>`, a key of test/client/generated/persisted-documents.json.
 * Undefined for a document that did not come from the generated `graphql()`.
 */
export function documentIdOf(document: DocumentNode): string | undefined {
  const meta: unknown = (document as { __meta__?: unknown }).__meta__;
  const hash = typeof meta === 'object' && meta !== null ? (meta as { hash?: unknown }).hash : undefined;
  return typeof hash === 'string' ? hash : undefined;
}

/**
 * The `extensions` naming a generated document by its id in Apollo's APQ shape, understood by every
 * Apollo Server (a gateway in any TRUSTED_DOCUMENTS mode, a subgraph reached straight): one that
 * does not hold the document answers PERSISTED_QUERY_NOT_FOUND. Undefined for other documents.
 */
export function persistedQueryOf(
  document: DocumentNode,
): { persistedQuery: { version: 1; sha256Hash: string } } | undefined {
  const hex = /^sha256:([0-9a-f]{64})$/.exec(documentIdOf(document) ?? '')?.[1];
  return hex === undefined ? undefined : { persistedQuery: { version: 1, sha256Hash: hex } };
}

/** Whether the server answered that it does not hold the document of that id (then send the text). */
export function isUnknownId(
  errors: readonly { readonly extensions?: { readonly code?: unknown } }[] | undefined,
): boolean {
  return (errors ?? []).some((error) => error.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND');
}
