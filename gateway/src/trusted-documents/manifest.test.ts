import { describe, expect, it } from 'vitest';
import { defaultManifestPath, readTrustedDocuments } from './config.js';
import { parseManifest, readManifest, sha256Hex } from './manifest.js';

describe('persisted-documents manifest', () => {
  it("reads the typed client's manifest: documents keyed by the SHA-256 of their text", () => {
    const manifest = readManifest(defaultManifestPath);
    expect(manifest.size).toBeGreaterThan(10);
    for (const [hex, text] of manifest) expect(sha256Hex(text)).toBe(hex);
  });

  it('refuses a document that does not hash to its id, a malformed id, a file that is not a map', () => {
    const text = '{ me { id } }';
    expect(parseManifest({ [`sha256:${sha256Hex(text)}`]: text }, 'm.json').size).toBe(1);
    expect(() => parseManifest({ [`sha256:${sha256Hex(text)}`]: '{ other }' }, 'm.json')).toThrow(
      /m\.json: the document of sha256:[0-9a-f]{64} does not hash to its id/,
    );
    expect(() => parseManifest({ [sha256Hex(text)]: text }, 'm.json')).toThrow(/sha256:<64 hex digits>/);
    expect(() => parseManifest([text], 'm.json')).toThrow(/JSON object of id -> document/);
    expect(() => readManifest('/nonexistent/manifest.json')).toThrow(
      /Cannot read the trusted documents manifest \/nonexistent\/manifest\.json/,
    );
  });
});

describe('readTrustedDocuments', () => {
  it("defaults to allow with the typed client's manifest", () => {
    expect(readTrustedDocuments({})).toEqual({ mode: 'allow', manifestPath: defaultManifestPath });
    expect(defaultManifestPath).toMatch(/test[/\\]client[/\\]generated[/\\]persisted-documents\.json$/);
    expect(
      readTrustedDocuments({
        TRUSTED_DOCUMENTS: 'enforce',
        TRUSTED_DOCUMENTS_MANIFEST: '/srv/manifest.json',
      }),
    ).toEqual({ mode: 'enforce', manifestPath: '/srv/manifest.json' });
  });

  it('fails naming the variable for an unknown mode', () => {
    expect(() => readTrustedDocuments({ TRUSTED_DOCUMENTS: 'strict' })).toThrow(
      'TRUSTED_DOCUMENTS must be one of off, allow, enforce, got "strict"',
    );
  });
});
