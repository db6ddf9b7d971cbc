/** A user's role: ADMIN manages the catalog and sees everything; CUSTOMER places orders. */
export type Role = 'ADMIN' | 'CUSTOMER';

/** A user as the API exposes it (never the password hash). */
export interface UserModel {
  readonly id: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly phone: string | null;
  readonly role: Role;
  readonly isActive: boolean;
  readonly createdAt: Date;
}

/** A user with the stored password hash: only login reads it. */
export interface UserCredentials {
  readonly user: UserModel;
  readonly passwordHash: string;
}

export interface AddressModel {
  readonly id: string;
  readonly userId: string;
  readonly line1: string;
  readonly line2: string | null;
  readonly city: string;
  readonly state: string;
  readonly postalCode: string;
  readonly country: string;
  readonly isDefault: boolean;
  readonly createdAt: Date;
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

/** What login and refreshToken return. */
export interface AuthSession {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly user: UserModel;
}
