/** For unit tests: the users use cases on an in-memory embedded (SQLite) database, as `npm start` has it. */
import { randomUUID } from 'node:crypto';
import { generateKeyPair } from '@commerce/common/auth';
import { createEmbeddedUsersDataSource } from '../adapters/typeorm/data-source.js';
import { TypeormUserStore } from '../adapters/typeorm/user-store.js';
import type { Role } from '../models.js';
import { Accounts } from './accounts.js';
import { Sessions } from './sessions.js';

export interface UseCases {
  readonly store: TypeormUserStore;
  readonly accounts: Accounts;
  readonly sessions: Sessions;
  /** Stores a user with exactly this password hash (e.g. one of an older cost). */
  insertUser(email: string, passwordHash: string, role?: Role): Promise<void>;
  close(): Promise<void>;
}

export async function openUseCases(): Promise<UseCases> {
  const dataSource = await createEmbeddedUsersDataSource().initialize();
  const store = new TypeormUserStore(dataSource);
  const tokens = {
    privateKey: generateKeyPair().privateKey,
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 3600,
  };
  return {
    store,
    accounts: new Accounts({ store, eventsWritten: () => undefined }),
    sessions: new Sessions({ store, tokens }),
    async insertUser(email, passwordHash, role = 'CUSTOMER') {
      await store.transaction((tx) =>
        tx.insertUser({
          id: randomUUID(),
          email,
          passwordHash,
          firstName: 'First',
          lastName: 'Last',
          phone: null,
          role,
          createdAt: new Date(),
        }),
      );
    },
    close: () => dataSource.destroy(),
  };
}
