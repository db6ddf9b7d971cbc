import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSupergraph, type Supergraph } from '../harness/supergraph.js';

/**
 * The GraphQL-over-HTTP spec's audit (the `graphql-http` package, the spec's reference
 * implementation) against the gateway: no error and no warning. Its notices (MAY items) are the
 * choices README's "GraphQL over HTTP" section explains.
 */
describe('GraphQL over HTTP: the spec audit against the gateway', () => {
  let supergraph: Supergraph;

  beforeAll(async () => {
    supergraph = await startSupergraph();
  });

  afterAll(async () => {
    await supergraph?.close();
  });

  it('passes every MUST and SHOULD audit', async ({ annotate }) => {
    const results = await auditServer({ url: supergraph.gatewayUrl });
    const failed = await Promise.all(
      results
        .filter((result) => result.status !== 'ok')
        .map(async (result) => ({
          status: result.status,
          name: result.name,
          reason: 'reason' in result ? result.reason : '',
          response: 'response' in result ? await result.response.clone().text() : '',
        })),
    );
    const notices = failed.filter((result) => result.status === 'notice');
    await annotate(
      `${results.length} audits: ${results.length - failed.length} ok, ${notices.length} notices` +
        notices.map((notice) => `\n- ${notice.name}: ${notice.reason}`).join(''),
    );
    expect(failed.filter((result) => result.status !== 'notice')).toEqual([]);
  });

  it('runs a GET with URL-encoded variables once it carries a CSRF-preflight header', async () => {
    const params = new URLSearchParams({
      query: 'query ($first: Int) { products(first: $first) { totalCount } }',
      variables: JSON.stringify({ first: 1 }),
    });
    const url = `${supergraph.gatewayUrl}?${params.toString()}`;
    const accept = 'application/graphql-response+json';
    // Apollo's CSRF prevention: a GET a browser could send cross-site without a preflight is refused.
    expect((await fetch(url, { headers: { accept } })).status).toBe(400);
    const response = await fetch(url, { headers: { accept, 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: { products?: { totalCount?: unknown } } };
    expect(typeof body.data?.products?.totalCount).toBe('number');
  });
});
