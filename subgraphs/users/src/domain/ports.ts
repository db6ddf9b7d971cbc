import type { OutgoingEvent } from '@commerce/common/events';
import type { AddressModel, Role, UserModel } from '../models.js';
import type { ProfilePatch, ValidAddress } from './validation.js';

export interface NewUser {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly phone: string | null;
  readonly role: Role;
  readonly createdAt: Date;
}

export interface NewAddress extends ValidAddress {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: Date;
}

/** A user with the stored password hash: only login reads it. */
export interface UserCredentials {
  readonly user: UserModel;
  readonly passwordHash: string;
}

/** A stored refresh token: only the hash of the token, never the token. */
export interface RefreshTokenRecord {
  readonly id: string;
  readonly userId: string;
  readonly tokenHash: string;
  /** Every token descending from one login shares the family; reuse revokes all of it. */
  readonly familyId: string;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** Reads outside a transaction; "not found" is undefined or a missing entry. */
export interface UserStore {
  /** One query for all ids; ids that are not UUIDs are simply not found. */
  findUsers(ids: readonly string[]): Promise<UserModel[]>;
  findCredentialsByEmail(email: string): Promise<UserCredentials | undefined>;
  /** One query for the addresses of all the users, oldest first. */
  findAddresses(userIds: readonly string[]): Promise<AddressModel[]>;
  /** Runs `work` in one transaction: everything it wrote commits together, or nothing does. */
  transaction<T>(work: (tx: UserTransaction) => Promise<T>): Promise<T>;
}

/** Writes and locking reads inside one transaction. */
export interface UserTransaction {
  /** Throws CONFLICT when the email is taken. */
  insertUser(user: NewUser): Promise<UserModel>;
  /** Reads the user and locks the row until the transaction ends. */
  lockUser(id: string): Promise<UserModel | undefined>;
  updateUser(id: string, patch: ProfilePatch): Promise<UserModel>;
  /**
   * Replaces the user's password hash only while it is still `current` (a concurrent change wins);
   * true when it was replaced.
   */
  replacePasswordHash(userId: string, current: string, next: string): Promise<boolean>;
  countAddresses(userId: string): Promise<number>;
  clearDefaultAddress(userId: string): Promise<void>;
  insertAddress(address: NewAddress): Promise<AddressModel>;
  insertRefreshToken(record: RefreshTokenRecord): Promise<void>;
  /** Reads the refresh token and locks the row: a concurrent rotation of the same token waits. */
  lockRefreshToken(id: string): Promise<RefreshTokenRecord | undefined>;
  markRefreshTokenUsed(id: string, at: Date): Promise<void>;
  revokeRefreshTokenFamily(familyId: string, at: Date): Promise<void>;
  /** Revokes every refresh token of the user (its password changed). */
  revokeRefreshTokensOfUser(userId: string, at: Date): Promise<void>;
  /** Adds events to the outbox of this transaction: published once it has committed. */
  enqueue(events: readonly OutgoingEvent[]): Promise<void>;
}
