import { describe, expect, it } from 'vitest';
import type { TrustedDocumentsMode } from './config.js';
import { sha256Hex } from './manifest.js';
import { TrustedDocuments, type Resolution } from './trusted-documents.js';

const trustedText = 'query Me { me { id } }';
const hex = sha256Hex(trustedText);
const unknownHex = sha256Hex('{ unknown }');
const manifest = new Map([[hex, trustedText]]);
const http = { automaticPersistedQueries: true };
const ws = { automaticPersistedQueries: false };
const apq = (sha256Hash: unknown, version: unknown = 1) => ({ persistedQuery: { version, sha256Hash } });
const code = (resolution: Resolution) => (resolution.kind === 'refused' ? resolution.code : resolution.kind);

describe('TrustedDocuments.resolve', () => {
  const modes: TrustedDocumentsMode[] = ['allow', 'enforce'];

  it.each(modes)(
    '%s: runs a document of the manifest by documentId (sha256:<hex> or hex) or APQ hash',
    (mode) => {
      const trusted = TrustedDocuments.of(mode, manifest);
      const run = { kind: 'run', query: trustedText };
      expect(trusted.resolve({ documentId: `sha256:${hex}` }, http)).toEqual(run);
      expect(trusted.resolve({ documentId: hex, query: '' }, ws)).toEqual(run);
      expect(trusted.resolve({ extensions: apq(hex) }, http)).toEqual(run);
      expect(trusted.resolve({ extensions: apq(hex), query: trustedText }, ws)).toEqual(run);
    },
  );

  it.each(modes)('%s: answers PERSISTED_QUERY_NOT_FOUND (HTTP 200) for an unknown documentId', (mode) => {
    const resolution = TrustedDocuments.of(mode, manifest).resolve(
      { documentId: `sha256:${unknownHex}` },
      http,
    );
    expect(resolution).toMatchObject({ kind: 'refused', code: 'PERSISTED_QUERY_NOT_FOUND', status: 200 });
    expect(resolution.kind === 'refused' && resolution.message).toContain(`sha256:${unknownHex}`);
  });

  it('refuses a known id sent with another text', () => {
    const trusted = TrustedDocuments.of('allow', manifest);
    expect(trusted.resolve({ documentId: hex, query: '{ other }' }, http)).toMatchObject({
      code: 'BAD_REQUEST',
      status: 400,
    });
  });

  it('enforce: refuses any text without an id, and any unknown id even with its text', () => {
    const trusted = TrustedDocuments.of('enforce', manifest);
    expect(trusted.resolve({ query: '{ me { id } }' }, http)).toMatchObject({
      code: 'TRUSTED_DOCUMENT_REQUIRED',
      status: 400,
    });
    // The manifest's own text, sent as text, is still text: enforce wants ids.
    expect(code(trusted.resolve({ query: trustedText }, ws))).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect(code(trusted.resolve({}, http))).toBe('TRUSTED_DOCUMENT_REQUIRED');
    expect(code(trusted.resolve({ query: '{ unknown }', extensions: apq(unknownHex) }, http))).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
  });

  it.each(['off', 'allow'] as const)(
    '%s: text runs as sent; an unknown id with its text runs the text',
    (mode) => {
      const trusted = TrustedDocuments.of(mode, manifest);
      expect(trusted.resolve({ query: '{ me { id } }' }, http)).toEqual({ kind: 'as-sent' });
      expect(trusted.resolve({ query: '', documentId: unknownHex }, ws)).toMatchObject({
        code: 'PERSISTED_QUERY_NOT_FOUND',
      });
      expect(trusted.resolve({ query: '{ unknown }', documentId: unknownHex }, http)).toEqual({
        kind: 'run',
        query: '{ unknown }',
      });
      expect(trusted.resolve({ query: '', extensions: apq(unknownHex) }, ws)).toMatchObject({
        code: 'PERSISTED_QUERY_NOT_FOUND',
      });
    },
  );

  it.each(['off', 'allow'] as const)(
    '%s: leaves an APQ hash the manifest lacks to Apollo Server over HTTP',
    (mode) => {
      const trusted = TrustedDocuments.of(mode, manifest);
      expect(trusted.resolve({ extensions: apq(unknownHex) }, http)).toEqual({ kind: 'as-sent' });
    },
  );

  it('off: knows no id, and says to send the text', () => {
    const trusted = TrustedDocuments.of('off', manifest);
    expect(trusted.size).toBe(0);
    const resolution = trusted.resolve({ documentId: `sha256:${hex}` }, http);
    expect(resolution).toMatchObject({ code: 'PERSISTED_QUERY_NOT_FOUND' });
    expect(resolution.kind === 'refused' && resolution.message).toContain('TRUSTED_DOCUMENTS=off');
  });

  it('refuses a malformed id with BAD_REQUEST', () => {
    const trusted = TrustedDocuments.of('allow', manifest);
    expect(code(trusted.resolve({ documentId: 42 }, http))).toBe('BAD_REQUEST');
    expect(code(trusted.resolve({ extensions: apq(hex, 2) }, http))).toBe('BAD_REQUEST');
    expect(code(trusted.resolve({ extensions: apq(7) }, http))).toBe('BAD_REQUEST');
  });
});
