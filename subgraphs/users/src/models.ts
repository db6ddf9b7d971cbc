/** A user's role: ADMIN manages the catalog and sees everything; CUSTOMER places orders. */
export type Role = 'ADMIN' | 'CUSTOMER';

/** A user as the API exposes it (never the password hash). What User resolvers receive. */
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

/** What Address resolvers receive. */
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

/** What login and refreshToken return (AuthPayload). */
export interface AuthSession {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly user: UserModel;
}
