import { setTimeout as sleep } from 'node:timers/promises';
import { CloseCode } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import {
  CountedSubscription,
  startCountingServer,
  type CountingServer,
} from '../fixtures/counting-server.js';
import { startCuttingProxy } from '../harness/cutting-proxy.js';
import { waitFor } from '../harness/wait.js';
import { backoffDelay, isResumableClose } from './resume.js';
import { subscribe, type LiveSubscription, type SubscribeOptions } from './subscriptions.js';

type Counted = LiveSubscription<{ counted: { n: number } }>;

describe('subscribe(): resuming after a dropped socket, on a real graphql-ws server', () => {
  let server: CountingServer;
  const open: Counted[] = [];
  /** Fast reconnects: the tests cut sockets on purpose. */
  const quick: SubscribeOptions = { resume: { baseDelayMs: 20, maxDelayMs: 200 } };
  const numbers = (subscription: Counted) => subscription.results.map((result) => result.data?.counted.n);
  const counted = (variables: { initial?: boolean } = {}, options: SubscribeOptions = quick): Counted => {
    const subscription = subscribe(server.url, CountedSubscription, variables, options);
    open.push(subscription);
    return subscription;
  };
  /** Opens a subscription and waits until the server has fixed its position (events may then flow). */
  const live = async (variables: { initial?: boolean } = {}): Promise<Counted> => {
    const before = server.fresh;
    const subscription = counted(variables);
    await waitFor(() => server.fresh > before, { message: 'the subscription registered' });
    return subscription;
  };

  beforeEach(async () => {
    server = await startCountingServer();
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((subscription) => subscription.close()));
    await server.close();
  });

  it('delivers every event once, in order, across two socket cuts mid-stream', async () => {
    const subscription = await live();
    const total = 120;
    for (let n = 1; n <= total; n += 1) {
      server.publish();
      if (n === 40 || n === 80) {
        server.cut();
        // Events published while the client is away: the resume must replay them.
        server.publish(5);
        n += 5;
      }
      await sleep(1);
    }
    await subscription.waitFor((result) => result.data?.counted.n === total, { message: `event ${total}` });

    expect(numbers(subscription)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(subscription.results.every((result) => result.cursor === `c1:${result.data?.counted.n}`)).toBe(
      true,
    );
    expect(subscription.cursor).toBe(`c1:${total}`);
    expect(subscription.reconnects).toBe(2);
    expect(server.connections).toBe(3);
    // Each resume came with the last cursor received before its cut (an event in flight at the cut
    // is replayed), behind the log: something was replayed, not only received live.
    const resumes = server.subscribes.slice(1).map((received) => ({
      after: Number(/^c1:(\d+)$/.exec(String(received.variables['after']))?.[1]),
      latest: received.latest,
    }));
    expect(resumes).toHaveLength(2);
    expect(resumes[0]!.after).toBeLessThanOrEqual(40);
    expect(resumes[1]!.after).toBeGreaterThan(45);
    expect(resumes[1]!.after).toBeLessThanOrEqual(80);
    for (const resume of resumes) expect(resume.after).toBeLessThan(resume.latest);
  });

  it('iterates as one stream through a network cut twice: the application loop sees no break', async () => {
    const proxy = await startCuttingProxy(server.url);
    onTestFinished(() => proxy.close());
    const before = server.fresh;
    const subscription = subscribe(proxy.url, CountedSubscription, {}, quick);
    open.push(subscription);
    await waitFor(() => server.fresh > before, { message: 'the subscription registered' });
    const seen: number[] = [];
    const consumed = (async () => {
      for await (const result of subscription) {
        seen.push(result.data?.counted.n ?? -1);
        if (seen.length === 30) return;
      }
    })();
    server.publish(10);
    await subscription.waitFor((result) => result.data?.counted.n === 10);
    proxy.cut();
    server.publish(10);
    await subscription.waitFor((result) => result.data?.counted.n === 20);
    proxy.cut();
    server.publish(10);
    await consumed;
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(subscription.reconnects).toBe(2);
    expect(proxy.connections).toBe(3);
  });

  it('starts after a kept cursor, and a resume of an `initial: true` stream sends no second snapshot', async () => {
    server.publish(5);
    const resumed = counted({}, { ...quick, after: 'c1:3' });
    await resumed.waitFor((result) => result.data?.counted.n === 5);
    expect(numbers(resumed)).toEqual([4, 5]);
    expect(server.subscribes[0]?.variables).toEqual({ after: 'c1:3' });
    await resumed.close();

    const withState = await live({ initial: true });
    await withState.waitFor((result) => result.snapshot);
    server.publish(2);
    await withState.waitFor((result) => result.data?.counted.n === 7);
    server.cut();
    server.publish(2);
    await withState.waitFor((result) => result.data?.counted.n === 9);
    expect(withState.results.map((result) => [result.data?.counted.n, result.snapshot])).toEqual([
      [5, true],
      [6, false],
      [7, false],
      [8, false],
      [9, false],
    ]);
    expect(server.subscribes.at(-1)?.variables).toEqual({ initial: true, after: 'c1:7' });
  });

  it('surfaces CURSOR_EXPIRED on a resume as an error result and stops, without retrying', async () => {
    const subscription = await live();
    server.publish(3);
    await subscription.waitFor((result) => result.data?.counted.n === 3);
    server.expireThrough(10);
    server.publish(10);
    server.cut();

    const failed = await subscription.waitFor((result) => result.errors !== undefined);
    expect(failed.errors?.map((error) => error.extensions?.code)).toEqual(['CURSOR_EXPIRED']);
    expect(await subscription.completed).toBe('complete');
    expect(numbers(subscription)).toEqual([1, 2, 3, undefined]);
    expect(subscription.reconnects).toBe(1);
    expect(server.subscribes).toHaveLength(2);
    // The cursor still names the last event received: the application decides what to do.
    expect(subscription.cursor).toBe('c1:3');
  });

  it('surfaces BAD_CURSOR (an `error` message) for a malformed starting cursor', async () => {
    const subscription = counted({}, { ...quick, after: 'not-a-cursor' });
    expect(await subscription.completed).toBe('error');
    expect(subscription.results.map((result) => result.errors?.[0]?.extensions?.code)).toEqual([
      'BAD_CURSOR',
    ]);
    expect(server.connections).toBe(1);
  });

  it('does not retry a 4403 refusal', async () => {
    const subscription = counted({}, { ...quick, connectionParams: { deny: true } });
    expect(await subscription.closed).toMatchObject({ code: CloseCode.Forbidden });
    expect(await subscription.completed).toBe('closed');
    expect(subscription.reconnects).toBe(0);
    expect(server.connections).toBe(1);
  });

  it("gives up after the policy's attempts when the server stays away, and says how it closed", async () => {
    const subscription = counted({}, { resume: { attempts: 3, baseDelayMs: 10, maxDelayMs: 20 } });
    await subscription.connected;
    await server.close();
    expect(await subscription.closed).toMatchObject({ code: 1006 });
    expect(await subscription.completed).toBe('closed');
    expect(subscription.reconnects).toBe(3);
  });

  it('does not resume with `resume: false`: the stream ends with its socket', async () => {
    const subscription = counted({}, { resume: false });
    await waitFor(() => server.fresh === 1, { message: 'the subscription registered' });
    server.cut();
    expect(await subscription.closed).toMatchObject({ code: 1006 });
    expect(subscription.reconnects).toBe(0);
  });
});

describe('the resume policy', () => {
  it('waits a random time up to an exponentially growing, capped bound', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, policy, () => 1))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
  });

  it('resumes after network drops and restarts, not after refusals', () => {
    expect([1000, 1001, 1006, 1012, 4499].every(isResumableClose)).toBe(true);
    expect([4400, 4401, 4403, 4429, 4500, 1008, 1013].some(isResumableClose)).toBe(false);
  });
});
