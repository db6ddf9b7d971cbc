import { randomUUID } from 'node:crypto';
import type { EventOrigin } from '@commerce/common/events';
import { AppError, badInput, notFound } from '@commerce/common/errors';
import type { AddressModel, Role, UserModel } from '../models.js';
import { userCreated } from './events.js';
import { hashPassword } from './password.js';
import type { UserStore } from './ports.js';
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
   * Creates the ADMIN account unless a user already has that email. Safe to run on every start and
   * from several instances at once: the unique email lets only one insert win. The operator chose
   * the password, so the policy is not enforced here (the caller may warn about it).
   */
  async seedAdmin(
    admin: { email: string; password: string },
    origin: EventOrigin,
  ): Promise<'created' | 'exists'> {
    if (!admin.password) throw badInput('The admin password must not be empty', { field: 'password' });
    const registration = {
      ...admin,
      email: validEmail(admin.email),
      firstName: 'Admin',
      lastName: 'User',
      phone: null,
    };
    if (await this.deps.store.findCredentialsByEmail(registration.email)) return 'exists';
    try {
      await this.create(registration, 'ADMIN', origin);
      return 'created';
    } catch (error) {
      if (error instanceof AppError && error.code === 'CONFLICT') return 'exists';
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
