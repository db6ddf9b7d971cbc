import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { build, type Plugin } from 'esbuild';

const gzip = promisify(gzipCallback);

/** One file of the playground page, held in memory. */
export interface PlaygroundAsset {
  readonly contentType: string;
  readonly body: Buffer;
  /** The same bytes gzip-compressed (GraphiQL's bundle is 3.5 MB, about a fifth of that gzipped). */
  readonly gzipped: Buffer;
  /** A weak ETag (the content hash), shared by the plain and the gzipped bytes. */
  readonly etag: string;
}

/** The URL paths the page loads its files from, all served by the gateway itself. */
export const assetPaths = {
  graphiqlCss: '/playground/graphiql.min.css',
  playgroundCss: '/playground/playground.css',
  react: '/playground/react.production.min.js',
  reactDom: '/playground/react-dom.production.min.js',
  graphiql: '/playground/graphiql.min.js',
  playground: '/playground/playground.js',
} as const;

export type AssetPath = (typeof assetPaths)[keyof typeof assetPaths];

/** The page's files by URL path. */
export type PlaygroundAssets = ReadonlyMap<AssetPath, PlaygroundAsset>;

const javascript = 'text/javascript; charset=utf-8';
const css = 'text/css; charset=utf-8';

const playgroundCss = `html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; }
#playground { flex: 1; min-height: 0; }
.playground-session { font: 14px system-ui, sans-serif; padding: 0.4rem 1rem; border-bottom: 1px solid #ddd; }
.playground-session form { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; margin: 0; }
.playground-session form[hidden] { display: none; }
#session-error { color: #b00020; }
.playground-events { font: 13px system-ui, sans-serif; padding: 0.3rem 1rem; border-bottom: 1px solid #ddd; display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; }
.playground-events[hidden] { display: none; }
.playground-events code, .playground-events pre { font: 12px ui-monospace, monospace; word-break: break-all; }
.playground-events pre { max-height: 8rem; overflow: auto; margin: 0.3rem 0 0; white-space: pre-wrap; }
.playground-snapshot { background: #e3f2fd; border-radius: 3px; padding: 0 0.4rem; }
#playground > .playground-loading { font: 16px system-ui, sans-serif; padding: 2rem; }
`;

/**
 * Loads the page's files: React, ReactDOM and GraphiQL from their UMD builds in node_modules, and
 * the page's own script (the graphql-ws fetcher and GraphiQL's setup) bundled from client.ts by
 * esbuild in memory. Nothing is fetched from the network, by the gateway or by the page.
 */
export async function loadPlaygroundAssets(): Promise<PlaygroundAssets> {
  const require = createRequire(import.meta.url);
  const fromPackage = (name: string, file: string): Promise<Buffer> =>
    readFile(join(dirname(require.resolve(`${name}/package.json`)), file));
  const sources: [AssetPath, string, Promise<Buffer>][] = [
    [assetPaths.graphiqlCss, css, fromPackage('graphiql', 'graphiql.min.css')],
    [assetPaths.playgroundCss, css, Promise.resolve(Buffer.from(playgroundCss))],
    [assetPaths.react, javascript, fromPackage('react', 'umd/react.production.min.js')],
    [assetPaths.reactDom, javascript, fromPackage('react-dom', 'umd/react-dom.production.min.js')],
    [assetPaths.graphiql, javascript, fromPackage('graphiql', 'graphiql.min.js')],
    [assetPaths.playground, javascript, bundleClient()],
  ];
  const assets = await Promise.all(
    sources.map(async ([path, contentType, source]) => {
      const body = await source;
      const hash = createHash('sha256').update(body).digest('base64url').slice(0, 32);
      return [path, { contentType, body, gzipped: await gzip(body), etag: `W/"${hash}"` }] as const;
    }),
  );
  return new Map(assets);
}

/**
 * GraphiQL's UMD build exposes its graphql-js as `GraphiQL.GraphQL` (for plugins): the page's script
 * imports graphql from there instead of bundling a second copy.
 */
const graphqlFromGraphiql: Plugin = {
  name: 'graphql-from-graphiql',
  setup(builder) {
    builder.onResolve({ filter: /^graphql$/ }, () => ({ path: 'graphql', namespace: 'graphiql-global' }));
    builder.onLoad({ filter: /.*/, namespace: 'graphiql-global' }, () => ({
      contents: 'module.exports = globalThis.GraphiQL.GraphQL;',
      loader: 'js',
    }));
  },
};

/** Bundles the browser entry (client.ts) with graphql-ws and @graphiql/toolkit into one script. */
async function bundleClient(): Promise<Buffer> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./client.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [graphqlFromGraphiql],
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no playground script');
  return Buffer.from(output.contents);
}
