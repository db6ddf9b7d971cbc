import { randomUUID } from 'node:crypto';
import type { EventOrigin } from '@commerce/common/events';
import { AppError, badInput, notFound } from '@commerce/common/errors';
import type { AddressModel, Role, UserModel } from '../models.js';
import { userCreated } from './events.js';
import { hashPassword, needsRehash, verifyPassword } from './password.js';
import type { UserCredentials, UserStore } from './ports.js';
import {
  validateAddress,
  validateProfileUpdate,
  validateRegistration,
  validEmail,
  type AddressInput,
  type ProfileInput,
  type RegistrationInput,
  type ValidRegistration,
} from './validation.js';

/**
 * What seeding the admin did: created the account, found it with the configured password, changed
 * its password to the configured one, or found the email taken by an account that is not an ADMIN.
 */
export type AdminSeedOutcome = 'created' | 'unchanged' | 'password changed' | 'not an admin';

export interface AccountsDeps {
  readonly store: UserStore;
  /** Called after a transaction that enqueued events has committed (wakes the outbox relay). */
  readonly eventsWritten: () => void;
  readonly now?: () => Date;
}

/** Use cases of user accounts: registration, the admin seed, profile and addresses. */
export class Accounts {
  private readonly now: () => Date;

  constructor(private readonly deps: AccountsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Creates a CUSTOMER and publishes user.created with it. CONFLICT when the email is taken. */
  register(input: RegistrationInput, origin: EventOrigin): Promise<UserModel> {
    return this.create(validateRegistration(input), 'CUSTOMER', origin);
  }

  /**
   * Makes the configured admin exist with the configured password: creates the ADMIN account when
   * no user has that email; when the ADMIN exists with another password, sets this one and revokes
   * its refresh tokens (the configuration is the admin password's source of truth). An account of
   * that email that is not an ADMIN is left alone. Safe to run on every start and from several
   * instances at once: the unique email lets only one insert win. The operator chose the password,
   * so the policy is not enforced here (the caller may warn about it).
   */
  async seedAdmin(
    admin: { email: string; password: string },
    origin: EventOrigin,
  ): Promise<AdminSeedOutcome> {
    if (!admin.password) throw badInput('The admin password must not be empty', { field: 'password' });
    const registration = {
      ...admin,
      email: validEmail(admin.email),
      firstName: 'Admin',
      lastName: 'User',
      phone: null,
    };
    const existing = await this.deps.store.findCredentialsByEmail(registration.email);
    if (existing) return this.syncAdminPassword(existing, admin.password);
    try {
      await this.create(registration, 'ADMIN', origin);
      return 'created';
    } catch (error) {
      // Another instance created it at the same moment, from the same configuration.
      if (error instanceof AppError && error.code === 'CONFLICT') return 'unchanged';
      throw error;
    }
  }

  /** Changes the given profile fields of the user. */
  async updateProfile(userId: string, input: ProfileInput): Promise<UserModel> {
    const patch = validateProfileUpdate(input);
    return this.deps.store.transaction(async (tx) => {
      const user = await tx.lockUser(userId);
      if (!user) throw notFound('User', userId);
      return Object.keys(patch).length === 0 ? user : tx.updateUser(userId, patch);
    });
  }

  /**
   * Adds an address. A user's first address is the default; `isDefault: true` makes the new one
   * the only default. The user row is locked so concurrent additions agree on "first".
   */
  async addAddress(userId: string, input: AddressInput): Promise<AddressModel> {
    const address = validateAddress(input);
    return this.deps.store.transaction(async (tx) => {
      if (!(await tx.lockUser(userId))) throw notFound('User', userId);
      const first = (await tx.countAddresses(userId)) === 0;
      const isDefault = first || address.isDefault;
      if (isDefault && !first) await tx.clearDefaultAddress(userId);
      return tx.insertAddress({ ...address, isDefault, id: randomUUID(), userId, createdAt: this.now() });
    });
  }

  private async syncAdminPassword(existing: UserCredentials, password: string): Promise<AdminSeedOutcome> {
    const { user, passwordHash } = existing;
    if (user.role !== 'ADMIN') return 'not an admin';
    const matches = await verifyPassword(password, passwordHash);
    if (matches && !needsRehash(passwordHash)) return 'unchanged';
    const next = await hashPassword(password);
    await this.deps.store.transaction(async (tx) => {
      const replaced = await tx.replacePasswordHash(user.id, passwordHash, next);
      if (replaced && !matches) await tx.revokeRefreshTokensOfUser(user.id, this.now());
    });
    return matches ? 'unchanged' : 'password changed';
  }

  private async create(registration: ValidRegistration, role: Role, origin: EventOrigin): Promise<UserModel> {
    const passwordHash = await hashPassword(registration.password);
    const id = randomUUID();
    const user = await this.deps.store.transaction(async (tx) => {
      const created = await tx.insertUser({
        id,
        email: registration.email,
        passwordHash,
        firstName: registration.firstName,
        lastName: registration.lastName,
        phone: registration.phone,
        role,
        createdAt: this.now(),
      });
      await tx.enqueue([userCreated(created, origin)]);
      return created;
    });
    this.deps.eventsWritten();
    return user;
  }
}
