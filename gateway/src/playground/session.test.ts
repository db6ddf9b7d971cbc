import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PlaygroundSession, refreshDelayMs, type SessionStorage } from './session.js';

/** A gateway answering login, register and refreshToken, counting the tokens it hands out. */
function fakeGateway(expiresIn = 900) {
  let issued = 0;
  const calls: string[] = [];
  const payload = () => {
    issued += 1;
    return {
      accessToken: `access-${issued}`,
      refreshToken: `refresh-${issued}`,
      expiresIn,
      user: { email: 'ada@example.com', role: 'CUSTOMER' },
    };
  };
  const fetch = vi.fn((_url: string | URL | Request, init?: RequestInit) => {
    const { query, variables } = JSON.parse(init?.body as string) as {
      query: string;
      variables: Record<string, unknown>;
    };
    const name = /mutation (\w+)/.exec(query)?.[1] ?? '';
    calls.push(name);
    const body =
      name === 'PlaygroundLogin'
        ? variables['password'] === 'right'
          ? { data: { login: payload() } }
          : { errors: [{ message: 'Invalid credentials', extensions: { code: 'UNAUTHENTICATED' } }] }
        : name === 'PlaygroundRegister'
          ? { data: { register: { id: 'u1' } } }
          : variables['refreshToken'] === `refresh-${issued}`
            ? { data: { refreshToken: payload() } }
            : { errors: [{ message: 'Invalid refresh token', extensions: { code: 'UNAUTHENTICATED' } }] };
    return Promise.resolve(new Response(JSON.stringify(body)));
  });
  return { fetch, calls };
}

function memoryStorage(): SessionStorage & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

describe('the playground session', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refreshes at four fifths of the token’s life, at least 5 s before it expires', () => {
    expect(refreshDelayMs(900_000, 900_000, 0)).toBe(720_000);
    expect(refreshDelayMs(10_000, 10_000, 0)).toBe(5_000);
    expect(refreshDelayMs(3_000, 900_000, 0)).toBe(1_000);
  });

  it('signs in, refreshes itself before expiry, and signs out', async () => {
    const gateway = fakeGateway(900);
    const storage = memoryStorage();
    const session = new PlaygroundSession({ httpUrl: '/graphql', fetch: gateway.fetch, storage });
    const changes: string[] = [];
    session.onChange((change) => changes.push(change));

    await expect(session.signIn('ada@example.com', 'wrong')).rejects.toThrow('Invalid credentials');
    expect(session.authorization).toBeUndefined();
    await session.signIn('ada@example.com', 'right');
    expect(session.authorization).toBe('Bearer access-1');
    expect(session.current).toMatchObject({ email: 'ada@example.com', role: 'CUSTOMER' });

    await vi.advanceTimersByTimeAsync(719_000);
    expect(session.authorization).toBe('Bearer access-1');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(session.authorization).toBe('Bearer access-2');
    await vi.advanceTimersByTimeAsync(720_000);
    expect(session.authorization).toBe('Bearer access-3');
    expect(JSON.parse(storage.items.get('commerce-playground-session') ?? '{}')).toMatchObject({
      accessToken: 'access-3',
      refreshToken: 'refresh-3',
    });

    session.signOut();
    expect(session.authorization).toBeUndefined();
    expect(storage.items.size).toBe(0);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(gateway.calls.filter((name) => name === 'PlaygroundRefresh')).toHaveLength(2);
    expect(changes).toEqual(['signedIn', 'refreshed', 'refreshed', 'signedOut']);
  });

  it('registers then signs in, and a tab reloaded keeps its session', async () => {
    const gateway = fakeGateway();
    const storage = memoryStorage();
    await new PlaygroundSession({ httpUrl: '/graphql', fetch: gateway.fetch, storage }).register(
      'ada@example.com',
      'right',
    );
    expect(gateway.calls).toEqual(['PlaygroundRegister', 'PlaygroundLogin']);

    const reloaded = new PlaygroundSession({ httpUrl: '/graphql', fetch: gateway.fetch, storage });
    reloaded.restore();
    expect(reloaded.authorization).toBe('Bearer access-1');
  });

  it('signs out when the refresh token is refused', async () => {
    const gateway = fakeGateway(60);
    const storage = memoryStorage();
    const session = new PlaygroundSession({ httpUrl: '/graphql', fetch: gateway.fetch, storage });
    await session.signIn('ada@example.com', 'right');
    storage.items.clear();
    // Another tab (or the server) rotated the refresh token meanwhile.
    const stale = new PlaygroundSession({ httpUrl: '/graphql', fetch: gateway.fetch, storage });
    await stale.signIn('ada@example.com', 'right');
    await vi.advanceTimersByTimeAsync(55_000);
    expect(session.authorization).toBeUndefined();
    expect(stale.authorization).toBe('Bearer access-3');
  });
});
