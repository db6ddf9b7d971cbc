import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * A persisted-documents manifest as the client preset of GraphQL Code Generator writes it
 * (`persistedDocuments: true`): `{ "sha256:<hex>": "<document text>" }`, where `<hex>` is the
 * SHA-256 of the text. Keyed here by the bare hex, the id APQ clients send.
 */
export type TrustedDocumentManifest = ReadonlyMap<string, string>;

const manifestKey = /^sha256:([0-9a-f]{64})$/;

/** The SHA-256 of a document's text, in hex (the APQ `sha256Hash`). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Checks a parsed manifest: an object of `sha256:<hex>` keys whose values hash to their key.
 * `source` names the manifest in the error (its path).
 */
export function parseManifest(json: unknown, source: string): TrustedDocumentManifest {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error(`${source}: a persisted-documents manifest is a JSON object of id -> document`);
  }
  const documents = new Map<string, string>();
  for (const [key, text] of Object.entries(json)) {
    const hex = manifestKey.exec(key)?.[1];
    if (!hex) throw new Error(`${source}: "${key}" is not an id of the form sha256:<64 hex digits>`);
    if (typeof text !== 'string' || sha256Hex(text) !== hex) {
      throw new Error(`${source}: the document of ${key} does not hash to its id (run npm run codegen)`);
    }
    documents.set(hex, text);
  }
  return documents;
}

/** Reads and checks the manifest at `path`. */
export function readManifest(path: string): TrustedDocumentManifest {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the trusted documents manifest ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseManifest(json, path);
}
