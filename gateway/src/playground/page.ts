import { assetPaths } from './assets.js';

/** The playground's HTML: every script and stylesheet comes from the gateway (no CDN, no inline script). */
export const playgroundHtml = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>commerce-supergraph playground</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${assetPaths.graphiqlCss}" />
    <link rel="stylesheet" href="${assetPaths.playgroundCss}" />
  </head>
  <body>
    <header class="playground-session" aria-label="Sign in">
      <form id="session-form">
        <strong>Sign in once for every tab:</strong>
        <input id="session-email" type="email" placeholder="e-mail" autocomplete="username" required />
        <input id="session-password" type="password" placeholder="password" autocomplete="current-password" required />
        <button id="session-sign-in" type="submit">Sign in</button>
        <button id="session-register" type="submit">Register</button>
        <span id="session-error" role="alert"></span>
      </form>
      <form id="session-sign-out" hidden>
        <span id="session-signed-in">Signed in as <strong id="session-user"></strong>: every tab sends its token (a tab's own Authorization header wins).</span>
        <button type="submit">Sign out</button>
      </form>
    </header>
    <section id="subscription-events" class="playground-events" aria-label="Subscription events" hidden>
      <span><strong id="subscription-operation"></strong>: <span id="subscription-count"></span></span>
      <span>last cursor <code id="subscription-cursor"></code></span>
      <span id="subscription-snapshot" class="playground-snapshot" hidden>snapshot</span>
      <details>
        <summary>every event's cursor (to resume, subscribe with <code>after</code> set to one)</summary>
        <pre id="subscription-cursors"></pre>
      </details>
    </section>
    <div id="playground"><p class="playground-loading">Loading the GraphiQL playground…</p></div>
    <noscript>The playground needs JavaScript. POST GraphQL requests to /graphql instead.</noscript>
    <script src="${assetPaths.react}"></script>
    <script src="${assetPaths.reactDom}"></script>
    <script src="${assetPaths.graphiql}"></script>
    <script src="${assetPaths.playground}"></script>
  </body>
</html>
`;

const hostPattern = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/**
 * The page's Content-Security-Policy: scripts only from the gateway (none inline), styles from the
 * gateway plus inline ones (GraphiQL's dialogs inject <style> elements), fonts and icons from the
 * stylesheet's data: URIs, and connections back to the gateway only (fetch, and the WebSocket for
 * subscriptions: listed explicitly from the Host header, for browsers whose 'self' omits ws:).
 */
export function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host && hostPattern.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "img-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
