import { exclusive, isEmbeddedSql } from '@commerce/common/embedded';
import { isUuid, type OutgoingEvent } from '@commerce/common/events';
import { enqueueEvents } from '@commerce/common/typeorm';
import { In, IsNull, type DataSource, type EntityManager, type FindOneOptions } from 'typeorm';
import type {
  NewAddress,
  NewUser,
  RefreshTokenRecord,
  UserCredentials,
  UserStore,
  UserTransaction,
} from '../../domain/ports.js';
import type { ProfilePatch } from '../../domain/validation.js';
import type { AddressModel, UserModel } from '../../models.js';
import { translateDbError } from './db-errors.js';
import { AddressEntity, RefreshTokenEntity, UserEntity, type AddressRow, type UserRow } from './entities.js';

/**
 * The UserStore port through TypeORM: on PostgreSQL, or on the embedded SQLite database, where every
 * call runs alone on its single connection (`exclusive`), which also stands in for the row locks.
 */
export class TypeormUserStore implements UserStore {
  constructor(private readonly dataSource: DataSource) {}

  findUsers(ids: readonly string[]): Promise<UserModel[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return Promise.resolve([]);
    return this.guard(async () => {
      const rows = await this.dataSource.getRepository(UserEntity).findBy({ id: In(valid) });
      return rows.map(toUser);
    });
  }

  findCredentialsByEmail(email: string): Promise<UserCredentials | undefined> {
    return this.guard(async () => {
      const row = await this.dataSource.getRepository(UserEntity).findOneBy({ email });
      return row ? { user: toUser(row), passwordHash: row.passwordHash } : undefined;
    });
  }

  findAddresses(userIds: readonly string[]): Promise<AddressModel[]> {
    const valid = userIds.filter(isUuid);
    if (valid.length === 0) return Promise.resolve([]);
    return this.guard(async () => {
      const rows = await this.dataSource.getRepository(AddressEntity).find({
        where: { userId: In(valid) },
        order: { createdAt: 'ASC', id: 'ASC' },
      });
      return rows.map(toAddress);
    });
  }

  transaction<T>(work: (tx: UserTransaction) => Promise<T>): Promise<T> {
    return this.guard(() =>
      this.dataSource.transaction((manager) => work(new TypeormUserTransaction(manager))),
    );
  }

  private guard<T>(work: () => Promise<T>): Promise<T> {
    return guard(() => exclusive(this.dataSource, work));
  }
}

class TypeormUserTransaction implements UserTransaction {
  /** Row locks on PostgreSQL; the embedded database runs one transaction at a time instead. */
  private readonly forUpdate: Pick<FindOneOptions, 'lock'>;

  constructor(private readonly manager: EntityManager) {
    this.forUpdate = isEmbeddedSql(manager.connection) ? {} : { lock: { mode: 'pessimistic_write' } };
  }

  async insertUser(user: NewUser): Promise<UserModel> {
    const row: UserRow = { ...user, isActive: true };
    await this.users.insert(row);
    return toUser(row);
  }

  async lockUser(id: string): Promise<UserModel | undefined> {
    if (!isUuid(id)) return undefined;
    const row = await this.users.findOne({ where: { id }, ...this.forUpdate });
    return row ? toUser(row) : undefined;
  }

  async updateUser(id: string, patch: ProfilePatch): Promise<UserModel> {
    await this.users.update({ id }, patch);
    return toUser(await this.users.findOneByOrFail({ id }));
  }

  async replacePasswordHash(userId: string, current: string, next: string): Promise<boolean> {
    const result = await this.users.update({ id: userId, passwordHash: current }, { passwordHash: next });
    return (result.affected ?? 0) > 0;
  }

  countAddresses(userId: string): Promise<number> {
    return this.addresses.countBy({ userId });
  }

  async clearDefaultAddress(userId: string): Promise<void> {
    await this.addresses.update({ userId, isDefault: true }, { isDefault: false });
  }

  async insertAddress(address: NewAddress): Promise<AddressModel> {
    const row: AddressRow = { ...address };
    await this.addresses.insert(row);
    return toAddress(row);
  }

  async insertRefreshToken(record: RefreshTokenRecord): Promise<void> {
    await this.tokens.insert({ ...record });
  }

  async lockRefreshToken(id: string): Promise<RefreshTokenRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const row = await this.tokens.findOne({ where: { id }, ...this.forUpdate });
    if (!row) return undefined;
    const { userId, tokenHash, familyId, expiresAt, usedAt, revokedAt } = row;
    return { id: row.id, userId, tokenHash, familyId, expiresAt, usedAt, revokedAt };
  }

  async markRefreshTokenUsed(id: string, at: Date): Promise<void> {
    await this.tokens.update({ id }, { usedAt: at });
  }

  async revokeRefreshTokenFamily(familyId: string, at: Date): Promise<void> {
    await this.tokens.update({ familyId, revokedAt: IsNull() }, { revokedAt: at });
  }

  async revokeRefreshTokensOfUser(userId: string, at: Date): Promise<void> {
    await this.tokens.update({ userId, revokedAt: IsNull() }, { revokedAt: at });
  }

  enqueue(events: readonly OutgoingEvent[]): Promise<void> {
    return enqueueEvents(this.manager, events);
  }

  private get users() {
    return this.manager.getRepository(UserEntity);
  }

  private get addresses() {
    return this.manager.getRepository(AddressEntity);
  }

  private get tokens() {
    return this.manager.getRepository(RefreshTokenEntity);
  }
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateDbError(error);
  }
}

function toUser(row: UserRow): UserModel {
  const { id, email, firstName, lastName, phone, role, isActive, createdAt } = row;
  return { id, email, firstName, lastName, phone, role, isActive, createdAt };
}

function toAddress(row: AddressRow): AddressModel {
  const { id, userId, line1, line2, city, state, postalCode, country, isDefault, createdAt } = row;
  return { id, userId, line1, line2, city, state, postalCode, country, isDefault, createdAt };
}
