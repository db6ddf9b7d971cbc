import { randomUUID } from 'node:crypto';
import { generateKeyPair } from '@commerce/common/auth';
import type { JwtConfig } from '@commerce/common/config';
import { createLogger } from '@commerce/common/logger';
import type { RunningSubgraph } from '@commerce/common/server';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyHash } from '../../../test/fixtures/legacy-password-hash.js';
import { createTestKafkaBus, type EventRecorder, type TestKafkaBus } from '../../../test/harness/kafka.js';
import { createPostgresDatabase } from '../../../test/harness/servers.js';
import { waitFor } from '../../../test/harness/wait.js';
import { createUsersDataSource } from './adapters/typeorm/data-source.js';
import { passwordRule } from './domain/validation.js';
import { startUsersSubgraph, type UsersDeps } from './server.js';

interface GraphqlError {
  message: string;
  extensions?: { code?: string };
}
interface GraphqlResult {
  data?: Record<string, unknown> | null;
  errors?: GraphqlError[];
}
interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
  user: { id: string; email: string; role: string };
}

const admin = { email: 'Root@Example.com', password: 'root-password-1' };
const userFields =
  'id email firstName lastName phone role isActive createdAt addresses { id line1 city isDefault }';
const authFields = `accessToken refreshToken tokenType expiresIn user { id email role }`;

let database: { url: string; drop(): Promise<void> };
let dataSource: DataSource;
let kafka: TestKafkaBus;
let events: EventRecorder;
let subgraph: RunningSubgraph;
let deps: UsersDeps;

beforeAll(async () => {
  database = await createPostgresDatabase('users');
  dataSource = await createUsersDataSource(database.url).initialize();
  const logger = createLogger('users-test');
  kafka = await createTestKafkaBus('users', logger);
  events = await kafka.record(['user.created']);
  const keys = generateKeyPair();
  const jwt: JwtConfig = { ...keys, accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 3600 };
  deps = { dataSource, bus: kafka.bus, jwt, logger, admin };
  // Two instances starting at once both try to seed the admin.
  const [first, second] = await Promise.all([startUsersSubgraph(deps), startUsersSubgraph(deps)]);
  await second.close();
  // And a later restart finds the admin already there.
  await (await startUsersSubgraph(deps)).close();
  subgraph = first;
});

afterAll(async () => {
  await subgraph?.close();
  await kafka?.close();
  await dataSource?.destroy();
  await database?.drop();
});

async function gql(
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string; authorization?: string; correlationId?: string } = {},
): Promise<GraphqlResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.authorization) headers['authorization'] = options.authorization;
  if (options.correlationId) headers['x-correlation-id'] = options.correlationId;
  const response = await fetch(subgraph.url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphqlResult;
}

function codes(result: GraphqlResult): (string | undefined)[] {
  return (result.errors ?? []).map((error) => error.extensions?.code);
}

function field<T>(result: GraphqlResult, name: string): T {
  if (result.errors) throw new Error(`Unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.data?.[name] as T;
}

const uniqueEmail = (): string => `user-${randomUUID()}@example.com`;

async function register(
  email = uniqueEmail(),
  password = 'secret123',
): Promise<{ id: string; email: string }> {
  const result = await gql(`mutation ($input: RegisterInput!) { register(input: $input) { id email } }`, {
    input: { email, password, firstName: 'Ada', lastName: 'Lovelace' },
  });
  return field(result, 'register');
}

async function login(email: string, password = 'secret123'): Promise<AuthPayload> {
  return field(
    await gql(`mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { ${authFields} } }`, {
      e: email,
      p: password,
    }),
    'login',
  );
}

async function refresh(refreshToken: string): Promise<GraphqlResult> {
  return gql(`mutation ($t: String!) { refreshToken(refreshToken: $t) { ${authFields} } }`, {
    t: refreshToken,
  });
}

async function signUp(): Promise<AuthPayload> {
  const { email } = await register();
  return login(email);
}

describe('users subgraph', () => {
  it('register -> login -> me returns the signed-in customer', async () => {
    const email = uniqueEmail().replace('user', 'New.User');
    const registered = await gql(
      `mutation ($input: RegisterInput!) { register(input: $input) { ${userFields} } }`,
      {
        input: {
          email,
          password: 'secret123',
          firstName: ' Ada ',
          lastName: 'Lovelace',
          phone: '+1 555 010 9999',
        },
      },
    );
    const user = field<Record<string, unknown>>(registered, 'register');
    expect(user).toMatchObject({
      email: email.toLowerCase(),
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: '+1 555 010 9999',
      role: 'CUSTOMER',
      isActive: true,
      addresses: [],
    });
    expect(Date.parse(String(user['createdAt']))).not.toBeNaN();

    const session = await login(email.toUpperCase());
    expect(session).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      user: { id: user['id'], role: 'CUSTOMER' },
    });
    expect(session.accessToken.split('.')).toHaveLength(3);

    const me = await gql(`{ me { ${userFields} } }`, {}, { token: session.accessToken });
    expect(field(me, 'me')).toEqual(user);
  });

  it('me is null when anonymous and UNAUTHENTICATED when the token is invalid', async () => {
    expect(field(await gql('{ me { id } }'), 'me')).toBeNull();
    expect(codes(await gql('{ me { id } }', {}, { token: 'not-a-jwt' }))).toEqual(['UNAUTHENTICATED']);
  });

  it('register refuses an email already taken, in any letter case, with CONFLICT', async () => {
    const { email } = await register();
    const again = await gql(`mutation ($input: RegisterInput!) { register(input: $input) { id } }`, {
      input: { email: email.toUpperCase(), password: 'secret123', firstName: 'A', lastName: 'B' },
    });
    expect(codes(again)).toEqual(['CONFLICT']);
    expect(again.errors?.[0]?.message).toBe('A user with this email already exists');
    expect(JSON.stringify(again)).not.toMatch(/duplicate key|users_email|select|insert/i);
  });

  it('register refuses a weak password with BAD_USER_INPUT naming the rule', async () => {
    const result = await gql(`mutation ($input: RegisterInput!) { register(input: $input) { id } }`, {
      input: { email: uniqueEmail(), password: 'password', firstName: 'A', lastName: 'B' },
    });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0]?.message).toBe(passwordRule);
  });

  it('register refuses an invalid email and blank names with BAD_USER_INPUT', async () => {
    const mutation = `mutation ($input: RegisterInput!) { register(input: $input) { id } }`;
    const input = { email: uniqueEmail(), password: 'secret123', firstName: 'A', lastName: 'B' };
    expect(codes(await gql(mutation, { input: { ...input, email: 'nope' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(mutation, { input: { ...input, firstName: '  ' } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('login answers a wrong password and an unknown email with the same UNAUTHENTICATED error', async () => {
    const { email } = await register();
    const query = `mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`;
    const wrongPassword = await gql(query, { e: email, p: 'secret124' });
    const unknownEmail = await gql(query, { e: uniqueEmail(), p: 'secret123' });
    expect(wrongPassword.errors).toEqual(unknownEmail.errors);
    expect(codes(wrongPassword)).toEqual(['UNAUTHENTICATED']);
    expect(wrongPassword.errors?.[0]?.message).toBe('Invalid email or password');
  });

  it('login refuses a disabled account with FORBIDDEN', async () => {
    const { id, email } = await register();
    await dataSource.query('UPDATE users SET is_active = false WHERE id = $1', [id]);
    const result = await gql(
      `mutation ($e: String!) { login(email: $e, password: "secret123") { accessToken } }`,
      { e: email },
    );
    expect(codes(result)).toEqual(['FORBIDDEN']);
  });

  it('stores a salted scrypt hash and only hashes of refresh tokens', async () => {
    const session = await signUp();
    const [user] = await dataSource.query<{ password_hash: string }[]>(
      'SELECT password_hash FROM users WHERE id = $1',
      [session.user.id],
    );
    expect(user?.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    const tokens = await dataSource.query<{ token_hash: string }[]>(
      'SELECT token_hash FROM refresh_tokens WHERE user_id = $1',
      [session.user.id],
    );
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens[0]?.token_hash).not.toContain(session.refreshToken.split('.')[1]);
  });

  it('upgrades a password hash of an older cost on PostgreSQL at the next login', async () => {
    const { id, email } = await register();
    await dataSource.query('UPDATE users SET password_hash = $1 WHERE id = $2', [
      legacyHash('secret123'),
      id,
    ]);
    await login(email);
    const [user] = await dataSource.query<{ password_hash: string }[]>(
      'SELECT password_hash FROM users WHERE id = $1',
      [id],
    );
    expect(user?.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect((await login(email)).user.id).toBe(id);
  });

  it('refreshToken returns a new working pair and refuses the spent token', async () => {
    const session = await signUp();
    const rotated = field<AuthPayload>(await refresh(session.refreshToken), 'refreshToken');
    expect(rotated.refreshToken).not.toBe(session.refreshToken);
    expect(rotated.user.id).toBe(session.user.id);
    expect(
      field<{ id: string }>(await gql('{ me { id } }', {}, { token: rotated.accessToken }), 'me').id,
    ).toBe(session.user.id);
    expect(codes(await refresh('garbage'))).toEqual(['UNAUTHENTICATED']);
    const next = field<AuthPayload>(await refresh(rotated.refreshToken), 'refreshToken');
    expect(next.user.id).toBe(session.user.id);
  });

  it('reusing a spent refresh token revokes its whole family', async () => {
    const { email } = await register();
    const session = await login(email);
    const other = await login(email);
    const rotated = field<AuthPayload>(await refresh(session.refreshToken), 'refreshToken');

    const reuse = await refresh(session.refreshToken);
    expect(codes(reuse)).toEqual(['UNAUTHENTICATED']);
    // The thief's or the owner's newer token: either way the family is gone.
    expect(codes(await refresh(rotated.refreshToken))).toEqual(['UNAUTHENTICATED']);
    // Another login (another family) is untouched.
    expect(field<AuthPayload>(await refresh(other.refreshToken), 'refreshToken').user.id).toBe(
      session.user.id,
    );
  });

  it('two concurrent uses of one refresh token succeed at most once', async () => {
    const session = await signUp();
    const results = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
    expect(results.filter((result) => !result.errors)).toHaveLength(1);
    expect(results.flatMap(codes)).toEqual(['UNAUTHENTICATED']);
  });

  it('addAddress makes the first address default and isDefault moves the default', async () => {
    const session = await signUp();
    const add = async (line1: string, isDefault?: boolean): Promise<{ id: string; isDefault: boolean }> =>
      field(
        await gql(
          `mutation ($input: AddressInput!) { addAddress(input: $input) { id line1 line2 city isDefault } }`,
          {
            input: {
              line1,
              line2: ' ',
              city: 'Springfield',
              state: 'IL',
              postalCode: '62701',
              country: 'US',
              isDefault,
            },
          },
          { token: session.accessToken },
        ),
        'addAddress',
      );
    expect((await add('1 First St')).isDefault).toBe(true);
    expect((await add('2 Second St')).isDefault).toBe(false);
    expect((await add('3 Third St', false)).isDefault).toBe(false);
    const fourth = await add('4 Fourth St', true);
    expect(fourth.isDefault).toBe(true);

    const me = field<{ addresses: { id: string; line1: string; isDefault: boolean }[] }>(
      await gql(`{ me { addresses { id line1 isDefault } } }`, {}, { token: session.accessToken }),
      'me',
    );
    expect(me.addresses.map((address) => address.line1)).toEqual([
      '1 First St',
      '2 Second St',
      '3 Third St',
      '4 Fourth St',
    ]);
    expect(me.addresses.filter((address) => address.isDefault).map((address) => address.id)).toEqual([
      fourth.id,
    ]);
  });

  it('addAddress refuses blank required fields and anonymous callers', async () => {
    const session = await signUp();
    const mutation = `mutation ($input: AddressInput!) { addAddress(input: $input) { id } }`;
    const input = { line1: '1 Main St', city: ' ', state: 'IL', postalCode: '62701', country: 'US' };
    expect(codes(await gql(mutation, { input }, { token: session.accessToken }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(mutation, { input: { ...input, city: 'Springfield' } }))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('updateMe changes the given fields and refuses a blank name', async () => {
    const session = await signUp();
    const mutation = `mutation ($input: UpdateUserInput!) { updateMe(input: $input) { firstName lastName phone } }`;
    const updated = await gql(
      mutation,
      { input: { firstName: 'Grace', phone: '+44 20 7946 0958' } },
      { token: session.accessToken },
    );
    expect(field(updated, 'updateMe')).toEqual({
      firstName: 'Grace',
      lastName: 'Lovelace',
      phone: '+44 20 7946 0958',
    });
    const cleared = await gql(mutation, { input: { phone: null } }, { token: session.accessToken });
    expect(field(cleared, 'updateMe')).toEqual({ firstName: 'Grace', lastName: 'Lovelace', phone: null });
    expect(codes(await gql(mutation, { input: { lastName: '' } }, { token: session.accessToken }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(
      codes(await gql(mutation, { input: { phone: 'call me' } }, { token: session.accessToken })),
    ).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(mutation, { input: { firstName: 'X' } }))).toEqual(['UNAUTHENTICATED']);
  });

  describe('User entity', () => {
    const entities = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id email addresses { id } } } }`;
    const reference = (id: string): { __typename: string; id: string } => ({ __typename: 'User', id });

    it('a customer resolves their own user but another user is FORBIDDEN', async () => {
      const me = await signUp();
      const other = await register();
      const own = await gql(
        entities,
        { representations: [reference(me.user.id)] },
        { token: me.accessToken },
      );
      expect(field(own, '_entities')).toEqual([{ id: me.user.id, email: me.user.email, addresses: [] }]);
      const theirs = await gql(
        entities,
        { representations: [reference(other.id)] },
        { token: me.accessToken },
      );
      expect(codes(theirs)).toEqual(['FORBIDDEN']);
      expect(codes(await gql(entities, { representations: [reference(other.id)] }))).toEqual([
        'UNAUTHENTICATED',
      ]);
    });

    it('an admin resolves many users in one request; unknown or malformed ids are null', async () => {
      const session = await login(admin.email, admin.password);
      const users = [await register(), await register()];
      const result = await gql(
        entities,
        {
          representations: [
            ...users.map((user) => reference(user.id)),
            reference(randomUUID()),
            reference('nope'),
          ],
        },
        { token: session.accessToken },
      );
      expect(field(result, '_entities')).toEqual([
        { id: users[0]?.id, email: users[0]?.email, addresses: [] },
        { id: users[1]?.id, email: users[1]?.email, addresses: [] },
        null,
        null,
      ]);
    });
  });

  it('seeds the admin once across concurrent and repeated starts', async () => {
    const rows = await dataSource.query<{ role: string }[]>('SELECT role FROM users WHERE email = $1', [
      admin.email.toLowerCase(),
    ]);
    expect(rows).toEqual([{ role: 'ADMIN' }]);
    expect((await login(admin.email, admin.password)).user.role).toBe('ADMIN');
  });

  it('takes a changed ADMIN_PASSWORD at the next start, and the old one no longer logs in', async () => {
    const restart = async (password: string): Promise<void> =>
      (await startUsersSubgraph({ ...deps, admin: { ...admin, password } })).close();
    await restart('rotated-password-2');
    try {
      expect((await login(admin.email, 'rotated-password-2')).user.role).toBe('ADMIN');
      const old = await gql(
        `mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`,
        {
          e: admin.email,
          p: admin.password,
        },
      );
      expect(codes(old)).toEqual(['UNAUTHENTICATED']);
    } finally {
      await restart(admin.password);
    }
    expect((await login(admin.email, admin.password)).user.role).toBe('ADMIN');
  });

  it('publishes user.created through the outbox with the request correlation id', async () => {
    const correlationId = randomUUID();
    const email = uniqueEmail();
    const result = await gql(
      `mutation ($input: RegisterInput!) { register(input: $input) { id } }`,
      { input: { email, password: 'secret123', firstName: 'Ada', lastName: 'Lovelace' } },
      { correlationId },
    );
    const { id } = field<{ id: string }>(result, 'register');
    const { event } = await events.waitFor(
      'user.created',
      (recorded) => recorded.event.payload.userId === id,
    );
    expect(event.payload).toEqual({
      userId: id,
      email,
      firstName: 'Ada',
      lastName: 'Lovelace',
      role: 'CUSTOMER',
    });
    expect(event.metadata).toMatchObject({
      eventType: 'user.created',
      source: 'users',
      correlationId,
      causationId: null,
    });
    await waitFor(async () => {
      const rows = await dataSource.query<{ unsent: number }[]>(
        'SELECT count(*)::int AS unsent FROM outbox_event WHERE sent_at IS NULL',
      );
      return rows[0]?.unsent === 0;
    });
    // Every user.created the outbox has sent has reached the recorder: the admin's exactly once.
    await waitFor(async () => {
      const rows = await dataSource.query<{ sent: number }[]>(
        `SELECT count(*)::int AS sent FROM outbox_event WHERE topic = 'user.created'`,
      );
      return events.of('user.created').length >= (rows[0]?.sent ?? Infinity);
    });
    const received = events.of('user.created');
    expect(received.filter((recorded) => recorded.event.payload.role === 'ADMIN')).toHaveLength(1);
  });

  it('gives the events of a request whose correlation id is not a UUID a fresh one', async () => {
    const { id } = field<{ id: string }>(
      await gql(
        `mutation ($input: RegisterInput!) { register(input: $input) { id } }`,
        { input: { email: uniqueEmail(), password: 'secret123', firstName: 'Ada', lastName: 'Lovelace' } },
        { correlationId: 'not-a-uuid' },
      ),
      'register',
    );
    const { event } = await events.waitFor(
      'user.created',
      (recorded) => recorded.event.payload.userId === id,
    );
    expect(event.metadata.correlationId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    );
  });

  it('publishes every event with its aggregate id as the Kafka key', async () => {
    // user.created, the only topic this subgraph publishes: key = userId.
    const { id } = await register();
    const registered = await events.waitFor(
      'user.created',
      (recorded) => recorded.event.payload.userId === id,
    );
    expect(registered.key).toBe(id);
    const seeded = await events.waitFor(
      'user.created',
      (recorded) => recorded.event.payload.role === 'ADMIN',
    );
    expect(seeded.key).toBe(seeded.event.payload.userId);
  });
});
