import { createLogger } from '@commerce/common/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, type TestDatabase } from '../../../test/harness/servers.js';
import { Budgets } from './budgets.js';
import { defaultRateLimitSettings, type Rates } from './settings.js';

const logger = createLogger('test');
const rates: Rates = {
  ...defaultRateLimitSettings.rates,
  loginFailuresPerAccount: { points: 3, seconds: 60 },
  loginFailuresPerAddress: { points: 5, seconds: 60 },
};
let database: TestDatabase;
const opened: Budgets[] = [];

beforeAll(async () => {
  database = await createPostgresDatabase('rate_limits');
});

afterAll(async () => {
  await Promise.all(opened.map((budgets) => budgets.close()));
  await database.drop();
});

async function open(kind: 'memory' | 'postgres'): Promise<Budgets> {
  const budgets =
    kind === 'memory' ? Budgets.inMemory(rates) : await Budgets.onPostgres(rates, database.url, logger);
  opened.push(budgets);
  return budgets;
}

describe.each(['memory', 'postgres'] as const)('budgets in %s', (kind) => {
  const account = (name: string) => `${kind}-${name}`;

  it('takes points until the budget is spent, then says how long to wait', async () => {
    const budgets = await open(kind);
    const take = { rate: 'loginFailuresPerAccount', key: account('a'), points: 1 } as const;
    for (let i = 0; i < 3; i += 1) expect(await budgets.take([take])).toEqual({ taken: [take] });
    const refused = await budgets.take([take]);
    expect(refused).toMatchObject({ rate: 'loginFailuresPerAccount' });
    expect('retryAfterSeconds' in refused && refused.retryAfterSeconds).toBeGreaterThan(55);
  });

  it('takes from several budgets all or none', async () => {
    const budgets = await open(kind);
    const address = { rate: 'loginFailuresPerAddress', key: account('addr'), points: 2 } as const;
    const tooMany = { rate: 'loginFailuresPerAccount', key: account('b'), points: 4 } as const;
    expect(await budgets.take([address, tooMany])).toMatchObject({ rate: 'loginFailuresPerAccount' });
    // The address gave its 2 points back: 5 are left.
    expect(await budgets.take([{ ...address, points: 5 }])).toHaveProperty('taken');
  });

  it('gives back points of attempts that do not count', async () => {
    const budgets = await open(kind);
    const take = { rate: 'loginFailuresPerAccount', key: account('c'), points: 3 } as const;
    expect(await budgets.take([take])).toHaveProperty('taken');
    await budgets.giveBack([take]);
    expect(await budgets.take([take])).toHaveProperty('taken');
  });
});

describe('budgets on PostgreSQL', () => {
  it('are one budget for every instance on the database', async () => {
    const [first, second] = [await open('postgres'), await open('postgres')];
    const take = { rate: 'loginFailuresPerAccount', key: 'shared', points: 1 } as const;
    await first.take([take]);
    await second.take([take]);
    await first.take([take]);
    expect(await second.take([take])).toMatchObject({ rate: 'loginFailuresPerAccount' });
    expect(await first.take([take])).toMatchObject({ rate: 'loginFailuresPerAccount' });
  });

  it('keep counting in memory when the database fails', async () => {
    const own = await createPostgresDatabase('rate_limits_lost');
    const budgets = await Budgets.onPostgres(rates, own.url, logger);
    opened.push(budgets);
    await own.drop();
    const take = { rate: 'loginFailuresPerAccount', key: 'lost', points: 1 } as const;
    for (let i = 0; i < 3; i += 1) expect(await budgets.take([take])).toHaveProperty('taken');
    expect(await budgets.take([take])).toMatchObject({ rate: 'loginFailuresPerAccount' });
  });
});
