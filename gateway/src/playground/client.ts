// The playground page's own script, bundled for the browser by assets.ts (esbuild). React, ReactDOM
// and GraphiQL are loaded before it from their UMD builds, as globals.
import { newTabQuery, playgroundTabs } from './examples.js';
import { createPlaygroundFetcher } from './fetcher.js';

/** The browser globals this script uses (the gateway's type-check has no DOM library). */
interface PageGlobals {
  readonly React: { createElement(type: unknown, props: Readonly<Record<string, unknown>>): unknown };
  readonly ReactDOM: { createRoot(container: unknown): { render(element: unknown): void } };
  readonly GraphiQL: unknown;
  readonly location: { readonly protocol: string; readonly host: string; readonly search: string };
  readonly document: { getElementById(id: string): unknown };
}

const page = globalThis as unknown as PageGlobals;

const fetcher = createPlaygroundFetcher({
  httpUrl: '/graphql',
  wsUrl: `${page.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${page.location.host}/graphql`,
});

// A link such as /graphql?query=... opens that operation in a tab of its own.
const search = new URLSearchParams(page.location.search);
const linked = search.get('query') ?? undefined;
const linkedTab =
  linked === undefined ? undefined : { query: linked, variables: search.get('variables') ?? undefined };

page.ReactDOM.createRoot(page.document.getElementById('playground')).render(
  page.React.createElement(page.GraphiQL, {
    fetcher,
    defaultTabs: linkedTab ? [linkedTab, ...playgroundTabs] : playgroundTabs,
    ...linkedTab,
    defaultQuery: newTabQuery,
    defaultEditorToolsVisibility: 'headers',
    isHeadersEditorEnabled: true,
    // Tokens stay out of localStorage.
    shouldPersistHeaders: false,
  }),
);
