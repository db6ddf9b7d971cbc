import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { defineConfig } from 'vitest/config';

// graphql ships CommonJS and ESM builds. Apollo's federation packages require() the CommonJS one;
// Vite would give our code the ESM one, and graphql refuses types from "another module or realm".
// Node (tsx, production) resolves both to CommonJS; make the tests do the same.
const graphqlDir = dirname(createRequire(import.meta.url).resolve('graphql'));

const globalSetup = ['test/harness/global-setup.ts'];

export default defineConfig({
  resolve: {
    alias: [
      { find: /^graphql$/, replacement: `${graphqlDir}/index.js` },
      { find: /^graphql\/(.*)$/, replacement: `${graphqlDir}/$1` },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{common,gateway,subgraphs,supergraph,scripts,test}/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.int.test.ts', '**/*.e2e.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{common,gateway,subgraphs,supergraph,scripts,test}/**/*.int.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          globalSetup,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // e2e files each start the whole supergraph; on 2 cores they are steadier one at a time,
          // and after the unit and integration projects: the fault tests time recoveries, and the
          // other projects' CPU (scrypt at N=2^17, Kafka rebalances) stretched them past their budget.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
