import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse, printSchema } from 'graphql';

export const schemaDir = fileURLToPath(new URL('../schema/', import.meta.url));
export const supergraphPath = `${schemaDir}supergraph.graphql`;
/** The client-facing schema (no federation machinery): what introspection, the playground and codegen see. */
export const apiSchemaPath = `${schemaDir}api.graphql`;

/**
 * The subgraphs composed into the supergraph, with the URL written into it.
 * The gateway replaces these URLs from its configuration at start; `subscriptions` is served
 * inside the gateway process and is never fetched over HTTP.
 */
export const subgraphs = [
  { name: 'users', url: 'http://localhost:4001/graphql' },
  { name: 'products', url: 'http://localhost:4002/graphql' },
  { name: 'inventory', url: 'http://localhost:4003/graphql' },
  { name: 'orders', url: 'http://localhost:4004/graphql' },
  { name: 'subscriptions', url: 'http://localhost:4000/subscriptions' },
] as const;

export type SubgraphName = (typeof subgraphs)[number]['name'];

export function readSubgraphSdl(name: SubgraphName): string {
  return readFileSync(`${schemaDir}${name}.graphql`, 'utf8');
}

export interface Composed {
  readonly supergraphSdl: string;
  readonly apiSchemaSdl: string;
}

/** Composes schema/*.graphql; throws one readable error listing every composition error. */
export function composeSupergraph(): Composed {
  const result = composeServices(
    subgraphs.map(({ name, url }) => ({ name, url, typeDefs: parse(readSubgraphSdl(name)) })),
  );
  if (result.errors) {
    const lines = result.errors.map((error) => `  - ${error.message}`);
    throw new Error(`Composition failed with ${result.errors.length} error(s):\n${lines.join('\n')}`);
  }
  return {
    supergraphSdl: result.supergraphSdl,
    apiSchemaSdl: printSchema(result.schema.toAPISchema().toGraphQLJSSchema()),
  };
}
