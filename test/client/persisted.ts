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

/** Whether the gateway answered that it does not know the id (TRUSTED_DOCUMENTS=off, or another manifest). */
export function isUnknownId(
  errors: readonly { readonly extensions?: { readonly code?: unknown } }[] | undefined,
): boolean {
  return (errors ?? []).some((error) => error.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND');
}
