import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { generateKeyPair } from '@commerce/common/auth';
import { createLogger } from '@commerce/common/logger';
import { closeServer, graphqlResponseJson, listen } from '@commerce/common/server';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient, dataOf, errorCodes } from '../../../test/client/client.js';
import { documentIdOf } from '../../../test/client/persisted.js';
import { MeQuery } from '../../../test/e2e/operations.js';
import { startGateway, type RunningGateway } from '../gateway.js';
import type { TrustedDocumentsMode } from './config.js';
import { sha256Hex } from './manifest.js';

const supergraphSdl = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');
const me = {
  id: 'u1',
  email: 'a@example.com',
  firstName: 'A',
  lastName: 'B',
  phone: null,
  role: 'CUSTOMER',
  addresses: [],
};
const meId = documentIdOf(MeQuery) ?? '';
const meHex = meId.replace('sha256:', '');
const adHoc = '{ me { id email } }';

describe('the gateway over HTTP with TRUSTED_DOCUMENTS', () => {
  const keys = generateKeyPair();
  let users: { url: string; server: Server; requests: number };
  const gateways = {} as Record<TrustedDocumentsMode, RunningGateway>;

  beforeAll(async () => {
    const server = createServer((request, response) => {
      users.requests += 1;
      request.resume().on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { me } }));
      });
    });
    users = { url: `http://127.0.0.1:${await listen(server, 0)}/graphql`, server, requests: 0 };
    for (const mode of ['off', 'allow', 'enforce'] as const) {
      gateways[mode] = await startGateway({
        supergraphSdl,
        subgraphUrls: { users: users.url },
        jwtPublicKey: keys.publicKey,
        logger: createLogger('test'),
        trustedDocuments: { mode },
      });
    }
  });

  afterAll(async () => {
    await Promise.all(Object.values(gateways).map((gateway) => gateway.close()));
    await closeServer(users.server);
  });

  const post = async (mode: TrustedDocumentsMode, body: unknown, accept = 'application/json') => {
    const response = await fetch(gateways[mode].url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as { data?: unknown; errors?: unknown[] },
    };
  };
  const get = async (
    mode: TrustedDocumentsMode,
    params: Record<string, string>,
    accept = 'application/json',
  ) => {
    const response = await fetch(`${gateways[mode].url}?${new URLSearchParams(params).toString()}`, {
      headers: { 'apollo-require-preflight': 'true', accept },
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: (await response.json()) as { data?: unknown; errors?: unknown[] },
    };
  };
  /** The bodies the typed client POSTs while `run` runs. */
  const sentBodies = async (run: () => Promise<unknown>): Promise<unknown[]> => {
    const spy = vi.spyOn(globalThis, 'fetch');
    try {
      await run();
      return spy.mock.calls.map(([, init]) => JSON.parse(init?.body as string) as unknown);
    } finally {
      spy.mockRestore();
    }
  };
  const codeOf = (body: { errors?: unknown[] }) =>
    (body.errors?.[0] as { extensions?: { code?: string } } | undefined)?.extensions?.code;

  it.each(['allow', 'enforce'] as const)(
    '%s: runs a manifest document by documentId, by APQ hash, and by GET',
    async (mode) => {
      expect(await post(mode, { documentId: meId })).toEqual({ status: 200, body: { data: { me } } });
      const apq = { persistedQuery: { version: 1, sha256Hash: meHex } };
      expect((await post(mode, { extensions: apq })).body).toEqual({ data: { me } });
      expect((await get(mode, { documentId: meId })).body).toEqual({ data: { me } });
      expect((await get(mode, { extensions: JSON.stringify(apq) })).body).toEqual({ data: { me } });
      const client = createClient(gateways[mode].url);
      const sent = await sentBodies(async () =>
        expect(dataOf(await client.request(MeQuery, {})).me).toEqual(me),
      );
      expect(sent).toEqual([
        { extensions: { persistedQuery: { version: 1, sha256Hash: meHex } }, variables: {} },
      ]);
    },
  );

  it('enforce: refuses a document sent as text, by POST or GET, before any subgraph is called', async () => {
    const before = users.requests;
    for (const query of [adHoc, print(MeQuery)]) {
      const posted = await post('enforce', { query }, graphqlResponseJson);
      expect(posted.status).toBe(400);
      expect(codeOf(posted.body)).toBe('TRUSTED_DOCUMENT_REQUIRED');
      const got = await get('enforce', { query }, graphqlResponseJson);
      expect(got).toMatchObject({ status: 400, contentType: graphqlResponseJson });
      expect(codeOf(got.body)).toBe('TRUSTED_DOCUMENT_REQUIRED');
      // GraphQL over HTTP, application/json: "the server SHOULD use the 200 status code for every
      // response to a well-formed GraphQL-over-HTTP request, independent of any GraphQL request error".
      const legacy = await post('enforce', { query });
      expect(legacy.status).toBe(200);
      expect(codeOf(legacy.body)).toBe('TRUSTED_DOCUMENT_REQUIRED');
    }
    expect(users.requests).toBe(before);
  });

  it.each(['off', 'allow', 'enforce'] as const)(
    '%s: answers PERSISTED_QUERY_NOT_FOUND for an id the manifest lacks',
    async (mode) => {
      const unknown = `sha256:${sha256Hex(adHoc)}`;
      const answered = await post(mode, { documentId: unknown });
      expect(answered.status).toBe(200);
      expect(codeOf(answered.body)).toBe('PERSISTED_QUERY_NOT_FOUND');
      const apq = await post(mode, {
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(adHoc) } },
      });
      expect(codeOf(apq.body)).toBe('PERSISTED_QUERY_NOT_FOUND');
    },
  );

  it.each(['off', 'allow'] as const)(
    '%s: runs ad-hoc documents, with APQ as Apollo Server has it',
    async (mode) => {
      expect((await post(mode, { query: adHoc })).body).toEqual({
        data: { me: { id: 'u1', email: me.email } },
      });
      const query = `{ me { id } } # ${mode}`;
      const persistedQuery = { version: 1, sha256Hash: sha256Hex(query) };
      expect(codeOf((await post(mode, { extensions: { persistedQuery } })).body)).toBe(
        'PERSISTED_QUERY_NOT_FOUND',
      );
      expect((await post(mode, { query, extensions: { persistedQuery } })).body).toEqual({
        data: { me: { id: 'u1' } },
      });
      expect((await post(mode, { extensions: { persistedQuery } })).body).toEqual({
        data: { me: { id: 'u1' } },
      });
    },
  );

  it('off: the typed client sends the text once the gateway says it does not hold the id, then only the text', async () => {
    const client = createClient(gateways.off.url);
    const first = await sentBodies(async () =>
      expect(dataOf(await client.request(MeQuery, {})).me).toEqual(me),
    );
    expect(first).toEqual([
      { extensions: { persistedQuery: { version: 1, sha256Hash: meHex } }, variables: {} },
      { query: print(MeQuery), variables: {} },
    ]);
    const then = await sentBodies(async () =>
      expect(errorCodes(await client.request(MeQuery, {}))).toEqual([]),
    );
    expect(then).toEqual([{ query: print(MeQuery), variables: {} }]);
  });
});
