import type { Envelope, TopicName } from '@commerce/common/events';
import type { AddressModel, RefreshTokenRecord, Role, UserCredentials, UserModel } from './models.js';
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

/** An event to publish once the transaction that wrote it has committed. */
export interface PendingEvent {
  readonly topic: TopicName;
  readonly key: string;
  readonly envelope: Envelope<unknown>;
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
  countAddresses(userId: string): Promise<number>;
  clearDefaultAddress(userId: string): Promise<void>;
  insertAddress(address: NewAddress): Promise<AddressModel>;
  insertRefreshToken(record: RefreshTokenRecord): Promise<void>;
  /** Reads the refresh token and locks the row: a concurrent rotation of the same token waits. */
  lockRefreshToken(id: string): Promise<RefreshTokenRecord | undefined>;
  markRefreshTokenUsed(id: string, at: Date): Promise<void>;
  revokeRefreshTokenFamily(familyId: string, at: Date): Promise<void>;
  /** Adds events to the outbox of this transaction. */
  enqueue(events: readonly PendingEvent[]): Promise<void>;
}
