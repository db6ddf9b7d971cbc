import { EntitySchema } from 'typeorm';
import type { Role } from '../../models.js';

export interface UserRow {
  id: string;
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  role: Role;
  isActive: boolean;
  createdAt: Date;
}

export interface AddressRow {
  id: string;
  userId: string;
  line1: string;
  line2: string | null;
  city: string;
  state: string;
  postalCode: string;
  country: string;
  isDefault: boolean;
  createdAt: Date;
}

export interface RefreshTokenRow {
  id: string;
  userId: string;
  tokenHash: string;
  familyId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

// CURRENT_TIMESTAMP: now() on PostgreSQL, and valid on SQLite too.
const now = (): string => 'CURRENT_TIMESTAMP';

// Column types valid on PostgreSQL and SQLite alike (Date: timestamptz in the PostgreSQL migration,
// datetime in the embedded one); each migration defines the real table.

/** Table `users` (created by the migration; emails are stored lower-cased and unique). */
export const UserEntity = new EntitySchema<UserRow>({
  name: 'User',
  tableName: 'users',
  columns: {
    id: { type: 'uuid', primary: true },
    email: { type: 'varchar', length: 254, unique: true },
    passwordHash: { name: 'password_hash', type: 'varchar', length: 255 },
    firstName: { name: 'first_name', type: 'varchar', length: 100 },
    lastName: { name: 'last_name', type: 'varchar', length: 100 },
    phone: { type: 'varchar', length: 32, nullable: true },
    role: { type: 'varchar', length: 16, default: 'CUSTOMER' },
    isActive: { name: 'is_active', type: 'boolean', default: true },
    createdAt: { name: 'created_at', type: Date, default: now },
  },
});

/** Table `addresses`; at most one default per user (partial unique index). */
export const AddressEntity = new EntitySchema<AddressRow>({
  name: 'Address',
  tableName: 'addresses',
  columns: {
    id: { type: 'uuid', primary: true },
    userId: { name: 'user_id', type: 'uuid' },
    line1: { type: 'varchar', length: 200 },
    line2: { type: 'varchar', length: 200, nullable: true },
    city: { type: 'varchar', length: 200 },
    state: { type: 'varchar', length: 200 },
    postalCode: { name: 'postal_code', type: 'varchar', length: 200 },
    country: { type: 'varchar', length: 200 },
    isDefault: { name: 'is_default', type: 'boolean', default: false },
    createdAt: { name: 'created_at', type: Date, default: now },
  },
});

/** Table `refresh_tokens`: the SHA-256 of each token, never the token. */
export const RefreshTokenEntity = new EntitySchema<RefreshTokenRow>({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  columns: {
    id: { type: 'uuid', primary: true },
    userId: { name: 'user_id', type: 'uuid' },
    tokenHash: { name: 'token_hash', type: 'varchar', length: 64 },
    familyId: { name: 'family_id', type: 'uuid' },
    expiresAt: { name: 'expires_at', type: Date },
    usedAt: { name: 'used_at', type: Date, nullable: true },
    revokedAt: { name: 'revoked_at', type: Date, nullable: true },
    createdAt: { name: 'created_at', type: Date, default: now },
  },
});
