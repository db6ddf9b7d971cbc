import { defineConfig } from 'vitest/config';

const globalSetup = ['test/harness/global-setup.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{common,gateway,subgraphs,scripts,test}/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.int.test.ts', '**/*.e2e.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{common,gateway,subgraphs,scripts,test}/**/*.int.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          globalSetup,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // e2e files each start the whole supergraph; on 2 cores they are steadier one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
