// The playground page's own script, bundled for the browser by assets.ts (esbuild). React, ReactDOM
// and GraphiQL are loaded before it from their UMD builds, as globals.
import { newTabQuery, playgroundTabs } from './examples.js';
import { createPlaygroundFetcher } from './fetcher.js';
import { PlaygroundSession, type SessionStorage } from './session.js';
import { describeEvent, type StreamObserver } from './stream-events.js';

/** The few DOM members the sign-in panel uses. */
interface Element {
  hidden: boolean;
  textContent: string | null;
  value: string;
  addEventListener(
    type: string,
    listener: (event: { preventDefault(): void; submitter?: unknown }) => void,
  ): void;
}

/** The browser globals this script uses (the gateway's type-check has no DOM library). */
interface PageGlobals {
  readonly React: { createElement(type: unknown, props: Readonly<Record<string, unknown>>): unknown };
  readonly ReactDOM: { createRoot(container: unknown): { render(element: unknown): void } };
  readonly GraphiQL: unknown;
  readonly location: { readonly protocol: string; readonly host: string; readonly search: string };
  readonly document: { getElementById(id: string): unknown };
  readonly sessionStorage: SessionStorage;
}

const page = globalThis as unknown as PageGlobals;
const element = (id: string) => page.document.getElementById(id) as Element;

const session = new PlaygroundSession({ httpUrl: '/graphql', storage: page.sessionStorage });
const fetcher = createPlaygroundFetcher(
  {
    httpUrl: '/graphql',
    wsUrl: `${page.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${page.location.host}/graphql`,
  },
  session,
  streamPanel(),
);
wireSessionPanel(session);
session.restore();

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

/** The sign-in panel of page.ts: a form while signed out, the user and a sign-out button while signed in. */
function wireSessionPanel(session: PlaygroundSession): void {
  const form = element('session-form');
  const email = element('session-email');
  const password = element('session-password');
  const register = element('session-register');
  const error = element('session-error');
  const signedIn = element('session-sign-out');
  const user = element('session-user');
  const show = () => {
    const current = session.current;
    form.hidden = current !== undefined;
    signedIn.hidden = current === undefined;
    user.textContent = current ? `${current.email} (${current.role})` : '';
  };
  session.onChange(show);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    const signingIn =
      event.submitter === register
        ? session.register(email.value, password.value)
        : session.signIn(email.value, password.value);
    signingIn.then(
      () => {
        password.value = '';
      },
      (failure: unknown) => {
        error.textContent = failure instanceof Error ? failure.message : String(failure);
      },
    );
  });
  signedIn.addEventListener('submit', (event) => {
    event.preventDefault();
    session.signOut();
  });
  show();
}

/** Keeps at most this many lines in the list of cursors. */
const listedEvents = 200;

/**
 * The subscription bar of page.ts: for the subscription started last, its event count, the cursor
 * and snapshot flag of its latest result, and every event's cursor (GraphiQL's pane shows one result).
 */
function streamPanel(): StreamObserver {
  const panel = element('subscription-events');
  const operation = element('subscription-operation');
  const count = element('subscription-count');
  const cursor = element('subscription-cursor');
  const snapshot = element('subscription-snapshot');
  const list = element('subscription-cursors');
  let latestRun = 0;
  return {
    started(operationName) {
      const run = ++latestRun;
      const lines: string[] = [];
      panel.hidden = false;
      operation.textContent = operationName ?? 'subscription';
      count.textContent = 'waiting for events';
      cursor.textContent = '-';
      snapshot.hidden = true;
      list.textContent = '';
      return {
        received(event) {
          if (run !== latestRun) return;
          lines.push(describeEvent(event));
          if (lines.length > listedEvents) lines.shift();
          count.textContent = `${event.index} ${event.index === 1 ? 'event' : 'events'}`;
          cursor.textContent = event.cursor ?? '(none)';
          snapshot.hidden = !event.snapshot;
          list.textContent = lines.join('\n');
        },
      };
    },
  };
}
