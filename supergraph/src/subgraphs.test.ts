import { generateKeyPair } from '@commerce/common/auth';
import { loadGatewayConfig } from '@commerce/gateway';
import { Kind, parse, type ConstValueNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composedSubgraphs, supergraphSdl } from './composition.js';
import { subgraphs } from './subgraphs.js';

/** name -> url of every join__Graph value of the committed supergraph. */
function graphsOfSupergraph(): Map<string, string> {
  const graphs = new Map<string, string>();
  for (const definition of parse(supergraphSdl()).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const directive = value.directives?.find((each) => each.name.value === 'join__graph');
      const argument = (name: string): string => {
        const node: ConstValueNode | undefined = directive?.arguments?.find(
          (a) => a.name.value === name,
        )?.value;
        return node?.kind === Kind.STRING ? node.value : '';
      };
      graphs.set(argument('name'), argument('url'));
    }
  }
  return graphs;
}

describe('the list of subgraphs', () => {
  it('names each subgraph once, on a port of its own, with its SDL in schema/<name>.graphql', () => {
    const names = subgraphs.map((subgraph) => subgraph.name);
    expect(new Set(names).size).toBe(names.length);
    const ports = subgraphs.map((subgraph) => subgraph.port);
    expect(new Set(ports).size).toBe(ports.length);
    expect(ports).not.toContain(4000);
    for (const subgraph of subgraphs)
      expect(subgraph.sdlPath).toMatch(new RegExp(`/schema/${subgraph.name}\\.graphql$`));
  });

  it('agrees with schema/supergraph.graphql: the same subgraphs at the same URLs, plus subscriptions', () => {
    const expected = new Map(composedSubgraphs().map(({ name, url }) => [name, url]));
    expect(graphsOfSupergraph()).toEqual(expected);
    for (const subgraph of subgraphs) {
      expect(expected.get(subgraph.name)).toBe(`http://localhost:${subgraph.port}/graphql`);
    }
  });

  it("agrees with the gateway's configuration: one URL per listed subgraph, by default the composed one", () => {
    const env = { KAFKA_BROKERS: '127.0.0.1:9092', JWT_PUBLIC_KEY: generateKeyPair().publicKey };
    const config = loadGatewayConfig(env, subgraphs);
    const composed = graphsOfSupergraph();
    expect(Object.keys(config.subgraphUrls).sort()).toEqual(subgraphs.map((s) => s.name).sort());
    for (const [name, url] of Object.entries(config.subgraphUrls)) expect(url).toBe(composed.get(name));
  });

  it('gives the private key to the users subgraph only: it signs the tokens', () => {
    expect(subgraphs.filter((subgraph) => subgraph.signsTokens).map((s) => s.name)).toEqual(['users']);
  });
});
