import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse, printSchema } from 'graphql';
import { subgraphs } from './subgraphs.js';

export const schemaDir = fileURLToPath(new URL('../../schema/', import.meta.url));
export const supergraphPath = `${schemaDir}supergraph.graphql`;
/** The client-facing schema (no federation machinery): what introspection, the playground and codegen see. */
export const apiSchemaPath = `${schemaDir}api.graphql`;

/** The committed, composed supergraph the gateway runs on. */
export function supergraphSdl(): string {
  return readFileSync(supergraphPath, 'utf8');
}

/** A subgraph as composition sees it: its name, the URL written into the supergraph, its SDL file. */
export interface ComposedSubgraph {
  readonly name: string;
  readonly url: string;
  readonly sdlPath: string;
}

/**
 * What is composed: every listed subgraph at its default URL (the gateway replaces these URLs from
 * its configuration at start), and the Subscription type, served inside the gateway process and
 * never fetched over HTTP.
 */
export function composedSubgraphs(): readonly ComposedSubgraph[] {
  return [
    ...subgraphs.map(({ name, port, sdlPath }) => ({
      name,
      url: `http://localhost:${port}/graphql`,
      sdlPath,
    })),
    {
      name: 'subscriptions',
      url: 'http://localhost:4000/subscriptions',
      sdlPath: `${schemaDir}subscriptions.graphql`,
    },
  ];
}

export interface Composed {
  readonly supergraphSdl: string;
  readonly apiSchemaSdl: string;
}

/** Composes the listed subgraphs' SDL; throws one readable error listing every composition error. */
export function composeSupergraph(): Composed {
  const result = composeServices(
    composedSubgraphs().map(({ name, url, sdlPath }) => ({
      name,
      url,
      typeDefs: parse(readFileSync(sdlPath, 'utf8')),
    })),
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
