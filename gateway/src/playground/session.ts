// The playground's sign-in (runs in the browser): one token for every tab, refreshed before it expires.

/** A signed-in user's tokens, as the login and refreshToken mutations return them. */
export interface SessionTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** When the access token expires (epoch ms). */
  readonly expiresAt: number;
  readonly email: string;
  readonly role: string;
}

/** Where the session is kept between reloads of the tab (the browser's sessionStorage). */
export interface SessionStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface SessionOptions {
  /** The GraphQL endpoint (same origin: /graphql). */
  readonly httpUrl: string;
  readonly storage?: SessionStorage | undefined;
  readonly fetch?: typeof fetch;
  /** Default Date.now. */
  readonly now?: () => number;
}

const storageKey = 'commerce-playground-session';

const authFields = 'accessToken refreshToken expiresIn user { email role }';
const loginMutation = `mutation PlaygroundLogin($email: String!, $password: String!) {
  login(email: $email, password: $password) { ${authFields} }
}`;
const registerMutation = `mutation PlaygroundRegister($input: RegisterInput!) {
  register(input: $input) { id }
}`;
const refreshMutation = `mutation PlaygroundRefresh($refreshToken: String!) {
  refreshToken(refreshToken: $refreshToken) { ${authFields} }
}`;

interface AuthPayload {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
  readonly user: { readonly email: string; readonly role: string };
}

/** What a mutation's errors said, as one message. */
export class SessionError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'SessionError';
  }
}

/**
 * When to refresh an access token living `lifetimeMs`: at four fifths of its life, and at least
 * 5 s before it expires (never sooner than 1 s from now).
 */
export function refreshDelayMs(expiresAt: number, lifetimeMs: number, now: number): number {
  const left = expiresAt - now;
  return Math.max(1_000, Math.min(left - lifetimeMs / 5, left - 5_000));
}

/**
 * The playground's session: sign in (or register, then sign in) once, and every tab uses the token
 * until sign-out. Kept in memory and in the tab's sessionStorage (not localStorage: it ends with the
 * tab); refreshed with the refreshToken mutation before it expires. Listeners hear every change:
 * `signedIn` (a new user, or signed out) or `refreshed` (same user, new access token).
 */
export class PlaygroundSession {
  private tokens: SessionTokens | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(change: 'signedIn' | 'signedOut' | 'refreshed') => void>();
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: SessionOptions) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.now = options.now ?? Date.now;
  }

  /** Picks up the session this tab kept across a reload, refreshing it when it is (nearly) expired. */
  restore(): void {
    const kept = this.options.storage?.getItem(storageKey);
    if (!kept) return;
    try {
      this.tokens = JSON.parse(kept) as SessionTokens;
    } catch {
      this.options.storage?.removeItem(storageKey);
      return;
    }
    this.schedule(this.tokens.expiresAt - this.now());
  }

  get current(): SessionTokens | undefined {
    return this.tokens;
  }

  /** `Bearer <accessToken>` while signed in. */
  get authorization(): string | undefined {
    return this.tokens ? `Bearer ${this.tokens.accessToken}` : undefined;
  }

  onChange(listener: (change: 'signedIn' | 'signedOut' | 'refreshed') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async signIn(email: string, password: string): Promise<SessionTokens> {
    const { login } = await this.mutate<{ login: AuthPayload }>(loginMutation, { email, password });
    return this.accept(login, 'signedIn');
  }

  /** Registers a customer account (names are placeholders, editable with updateMe), then signs in. */
  async register(email: string, password: string): Promise<SessionTokens> {
    await this.mutate(registerMutation, {
      input: { email, password, firstName: 'Playground', lastName: 'User' },
    });
    return this.signIn(email, password);
  }

  signOut(): void {
    if (!this.tokens) return;
    this.clear();
    this.emit('signedOut');
  }

  /** Trades the refresh token for new tokens now; a refused refresh signs out. */
  async refresh(): Promise<void> {
    const tokens = this.tokens;
    if (!tokens) return;
    try {
      const { refreshToken } = await this.mutate<{ refreshToken: AuthPayload }>(refreshMutation, {
        refreshToken: tokens.refreshToken,
      });
      // Signed out (or in as someone else) meanwhile: that session wins.
      if (this.tokens === tokens) this.accept(refreshToken, 'refreshed');
    } catch (error) {
      if (this.tokens !== tokens) return;
      if (error instanceof SessionError) {
        this.signOut();
        return;
      }
      // The gateway unreachable for now: try again in a while, while the token may still be valid.
      this.schedule(5_000);
    }
  }

  private accept(payload: AuthPayload, change: 'signedIn' | 'refreshed'): SessionTokens {
    const lifetimeMs = payload.expiresIn * 1_000;
    const tokens: SessionTokens = {
      accessToken: payload.accessToken,
      refreshToken: payload.refreshToken,
      expiresAt: this.now() + lifetimeMs,
      email: payload.user.email,
      role: payload.user.role,
    };
    this.tokens = tokens;
    this.options.storage?.setItem(storageKey, JSON.stringify(tokens));
    this.schedule(refreshDelayMs(tokens.expiresAt, lifetimeMs, this.now()));
    this.emit(change);
    return tokens;
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.refresh();
      },
      Math.max(0, delayMs),
    );
  }

  private clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.tokens = undefined;
    this.options.storage?.removeItem(storageKey);
  }

  private emit(change: 'signedIn' | 'signedOut' | 'refreshed'): void {
    for (const listener of this.listeners) listener(change);
  }

  private async mutate<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await this.fetch(this.options.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query, variables }),
    });
    const result = (await response.json()) as {
      data?: T | null;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    const error = result.errors?.[0];
    if (error) throw new SessionError(error.message, error.extensions?.code);
    if (!result.data) throw new SessionError(`HTTP ${response.status}`, undefined);
    return result.data;
  }
}
