import { fileURLToPath } from 'node:url';
import { ConfigError, readString, type Env } from '@commerce/common/config';

/**
 * - `off`: documents by text only, as a plain Apollo Server (its automatic persisted queries
 *   included); a `documentId` answers PERSISTED_QUERY_NOT_FOUND.
 * - `allow`: the manifest's documents by id, and ad-hoc documents by text.
 * - `enforce`: the manifest's documents by id only; text answers TRUSTED_DOCUMENT_REQUIRED.
 */
export type TrustedDocumentsMode = 'off' | 'allow' | 'enforce';

export const trustedDocumentsModes: readonly TrustedDocumentsMode[] = ['off', 'allow', 'enforce'];

/** Which documents the gateway runs (HTTP and graphql-ws alike). */
export interface TrustedDocumentsConfig {
  readonly mode: TrustedDocumentsMode;
  /** The persisted-documents manifest, read at start unless `mode` is off. Default: the typed client's. */
  readonly manifestPath?: string;
}

/** The typed client's manifest, written by `npm run codegen`. */
export const defaultManifestPath = fileURLToPath(
  new URL('../../../test/client/generated/persisted-documents.json', import.meta.url),
);

/**
 * TRUSTED_DOCUMENTS (off | allow | enforce, default allow) and TRUSTED_DOCUMENTS_MANIFEST (default
 * the typed client's manifest, test/client/generated/persisted-documents.json).
 */
export function readTrustedDocuments(env: Env): TrustedDocumentsConfig {
  const mode = readString(env, 'TRUSTED_DOCUMENTS', 'allow');
  if (!isMode(mode)) {
    throw new ConfigError(
      `TRUSTED_DOCUMENTS must be one of ${trustedDocumentsModes.join(', ')}, got "${mode}"`,
    );
  }
  return Object.freeze({
    mode,
    manifestPath: readString(env, 'TRUSTED_DOCUMENTS_MANIFEST', defaultManifestPath),
  });
}

function isMode(value: string): value is TrustedDocumentsMode {
  return (trustedDocumentsModes as readonly string[]).includes(value);
}
