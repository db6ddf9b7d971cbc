import type { CodegenConfig } from '@graphql-codegen/cli';
import type { Types } from '@graphql-codegen/plugin-helpers';
import { subgraphs } from './supergraph/src/subgraphs.js';

/**
 * `npm run codegen`: for every subgraph of the list, resolver types (federation: true) from its SDL
 * with the type mappers of its descriptor, into subgraphs/<name>/src/generated/; and the typed client
 * (test/client/generated/: `graphql()` and TypedDocumentNode operations) from the public API schema,
 * with its persisted-documents manifest (persisted-documents.json: `sha256:<hex>` -> document), the
 * gateway's trusted documents.
 */
function resolverTypes(subgraph: (typeof subgraphs)[number]): [string, Types.ConfiguredOutput] {
  return [
    `subgraphs/${subgraph.name}/src/generated/resolvers-types.ts`,
    {
      schema: subgraph.sdlPath,
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        federation: true,
        useIndexSignature: true,
        useTypeImports: true,
        enumsAsTypes: true,
        contextType: '../context.js#Context',
        scalars: { DateTime: 'string' },
        mappers: { ...subgraph.codegenMappers },
      },
    },
  ];
}

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    ...Object.fromEntries(subgraphs.map(resolverTypes)),
    'test/client/generated/': {
      schema: 'schema/api.graphql',
      documents: ['test/**/*.ts', 'scripts/**/*.ts', '!test/client/generated/**'],
      preset: 'client',
      // persistedDocuments: each document keeps its definitions (the client falls back to the text
      // for a gateway that does not know the id) and carries its id in `__meta__.hash`.
      presetConfig: { fragmentMasking: false, persistedDocuments: true },
      config: {
        // NodeNext resolution needs the .js extensions in the generated imports.
        emitLegacyCommonJSImports: false,
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string' },
      },
    },
  },
};

export default config;
