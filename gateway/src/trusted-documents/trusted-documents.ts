import type { Logger } from '@commerce/common/logger';
import { defaultManifestPath, type TrustedDocumentsConfig, type TrustedDocumentsMode } from './config.js';
import { readManifest, type TrustedDocumentManifest } from './manifest.js';

/** The fields of a GraphQL request (HTTP body or query string, graphql-ws `subscribe` payload) as received. */
export interface DocumentRequest {
  readonly query?: unknown;
  /** GraphQL over HTTP, Persisted Documents: `sha256:<hex>` (the client preset's ids); bare hex accepted. */
  readonly documentId?: unknown;
  /** APQ: `{ persistedQuery: { version: 1, sha256Hash: '<hex>' } }`. */
  readonly extensions?: unknown;
}

export type RefusalCode = 'PERSISTED_QUERY_NOT_FOUND' | 'TRUSTED_DOCUMENT_REQUIRED' | 'BAD_REQUEST';

/** What to do with a request. */
export type Resolution =
  /** Run this text (a document of the manifest, or the text sent beside an id the manifest lacks). */
  | { readonly kind: 'run'; readonly query: string }
  /** Leave the request as it came: ad-hoc text, or an APQ hash for Apollo Server's own APQ cache. */
  | { readonly kind: 'as-sent' }
  | {
      readonly kind: 'refused';
      readonly code: RefusalCode;
      readonly message: string;
      /** The HTTP status (200 for PERSISTED_QUERY_NOT_FOUND, as Apollo Server answers it). */
      readonly status: number;
    };

export interface ResolveOptions {
  /**
   * An APQ hash the manifest lacks may still be in Apollo Server's automatic persisted queries
   * (HTTP, modes off and allow): leave it to Apollo. Over graphql-ws there is no such cache.
   */
  readonly automaticPersistedQueries: boolean;
}

type NamedId =
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'documentId' | 'apq'; readonly hex: string; readonly sent: string };

/**
 * The gateway's trusted documents: which documents it runs, by id (from the persisted-documents
 * manifest) or by text, according to its mode. The same rules serve HTTP and graphql-ws.
 */
export class TrustedDocuments {
  private constructor(
    readonly mode: TrustedDocumentsMode,
    private readonly manifest: TrustedDocumentManifest,
  ) {}

  /** Mode off: no manifest, documents by text. */
  static off(): TrustedDocuments {
    return new TrustedDocuments('off', new Map());
  }

  /** With `manifest` (already read and checked). */
  static of(mode: TrustedDocumentsMode, manifest: TrustedDocumentManifest): TrustedDocuments {
    return new TrustedDocuments(mode, mode === 'off' ? new Map() : manifest);
  }

  /** Reads the manifest (unless the mode is off); throws naming the file when it is missing or wrong. */
  static load(config: TrustedDocumentsConfig, logger?: Logger): TrustedDocuments {
    if (config.mode === 'off') return TrustedDocuments.off();
    const path = config.manifestPath ?? defaultManifestPath;
    const trusted = TrustedDocuments.of(config.mode, readManifest(path));
    logger?.info({ mode: config.mode, documents: trusted.size, manifest: path }, 'trusted documents');
    return trusted;
  }

  /** How many documents the manifest holds. */
  get size(): number {
    return this.manifest.size;
  }

  /**
   * - An id of the manifest runs its document (text sent beside it must hash to it).
   * - An id the manifest lacks answers PERSISTED_QUERY_NOT_FOUND, except in modes off and allow
   *   when the text comes with it (APQ registration) or Apollo's APQ cache may know it.
   * - Text without an id runs in modes off and allow; `enforce` answers TRUSTED_DOCUMENT_REQUIRED.
   */
  resolve(request: DocumentRequest, options: ResolveOptions): Resolution {
    const id = namedId(request);
    const text = typeof request.query === 'string' && request.query !== '' ? request.query : undefined;
    switch (id.kind) {
      case 'invalid':
        return refused('BAD_REQUEST', id.message, 400);
      case 'none':
        return this.mode === 'enforce' ? documentRequired : { kind: 'as-sent' };
      case 'documentId':
      case 'apq': {
        const trusted = this.manifest.get(id.hex);
        if (trusted !== undefined) {
          if (text !== undefined && text !== trusted) {
            return refused('BAD_REQUEST', 'provided sha does not match query', 400);
          }
          return { kind: 'run', query: trusted };
        }
        if (this.mode === 'enforce') return this.notFound(id.sent);
        if (id.kind === 'apq' && options.automaticPersistedQueries) return { kind: 'as-sent' };
        return text === undefined ? this.notFound(id.sent) : { kind: 'run', query: text };
      }
    }
  }

  private notFound(id: string): Resolution {
    const why =
      this.mode === 'off'
        ? 'this gateway runs no trusted documents (TRUSTED_DOCUMENTS=off): send the document text'
        : `no document has id ${id} in this gateway's manifest`;
    return refused('PERSISTED_QUERY_NOT_FOUND', `PersistedQueryNotFound: ${why}`, 200);
  }
}

const documentRequired = refused(
  'TRUSTED_DOCUMENT_REQUIRED',
  'This gateway runs trusted documents only (TRUSTED_DOCUMENTS=enforce): send the id of a document ' +
    'of its manifest (documentId, or extensions.persistedQuery.sha256Hash) instead of a document text',
  400,
);

function refused(code: RefusalCode, message: string, status: number): Resolution {
  return { kind: 'refused', code, message, status };
}

const hexId = /^(?:sha256:)?([0-9a-f]{64})$/;

function namedId(request: DocumentRequest): NamedId {
  const { documentId, extensions } = request;
  if (documentId !== undefined && documentId !== null) {
    if (typeof documentId !== 'string') return { kind: 'invalid', message: 'documentId must be a string' };
    // An id of another form (another hash, another scheme) is simply not in the manifest.
    return { kind: 'documentId', hex: hexId.exec(documentId)?.[1] ?? documentId, sent: documentId };
  }
  const persistedQuery = isRecord(extensions) ? extensions['persistedQuery'] : undefined;
  if (persistedQuery === undefined || persistedQuery === null) return { kind: 'none' };
  if (!isRecord(persistedQuery) || persistedQuery['version'] !== 1) {
    return { kind: 'invalid', message: 'Unsupported persisted query version' };
  }
  const hash = persistedQuery['sha256Hash'];
  if (typeof hash !== 'string') {
    return { kind: 'invalid', message: 'extensions.persistedQuery.sha256Hash must be a string' };
  }
  return { kind: 'apq', hex: hash, sent: hash };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
