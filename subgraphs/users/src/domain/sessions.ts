import { randomUUID } from 'node:crypto';
import { signAccessToken } from '@commerce/common/auth';
import { forbidden, unauthenticated } from '@commerce/common/errors';
import type { AuthSession, UserModel } from '../models.js';
import { hashPassword, needsRehash, verifyPassword } from './password.js';
import type { UserStore, UserTransaction } from './ports.js';
import { newRefreshToken, parseRefreshToken, refreshTokenMatches } from './refresh-token.js';
import { normalizeEmail } from './validation.js';

export interface TokenSettings {
  readonly privateKey: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
}

export interface SessionsDeps {
  readonly store: UserStore;
  readonly tokens: TokenSettings;
  readonly now?: () => Date;
}

const invalidCredentials = 'Invalid email or password';
const invalidRefreshToken = 'Invalid or expired refresh token';
const maxPasswordLength = 1024;

type Rotation =
  | { readonly kind: 'rotated'; readonly user: UserModel; readonly refreshToken: string }
  | { readonly kind: 'refused' | 'reused' | 'inactive' };

/** Use cases of sign-in: login and refresh-token rotation. */
export class Sessions {
  private readonly now: () => Date;
  /** Verified against when the email is unknown, so both failures take as long. */
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly deps: SessionsDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** UNAUTHENTICATED with one message for a wrong email or password; FORBIDDEN for a disabled account. */
  async login(email: string, password: string): Promise<AuthSession> {
    if (password.length > maxPasswordLength) throw unauthenticated(invalidCredentials);
    const credentials = await this.deps.store.findCredentialsByEmail(normalizeEmail(email));
    const stored = credentials?.passwordHash ?? (await (this.dummyHash ??= hashPassword(randomUUID())));
    const matches = await verifyPassword(password, stored);
    if (!credentials || !matches) throw unauthenticated(invalidCredentials);
    const { user } = credentials;
    if (!user.isActive) throw forbidden('This account is disabled');
    // A hash made at an older cost is replaced now that the password is at hand.
    const upgraded = needsRehash(credentials.passwordHash) ? await hashPassword(password) : undefined;
    const refreshToken = await this.deps.store.transaction(async (tx) => {
      if (upgraded) await tx.replacePasswordHash(user.id, credentials.passwordHash, upgraded);
      return this.issueRefreshToken(tx, user.id, randomUUID());
    });
    return this.session(user, refreshToken);
  }

  /**
   * Spends the refresh token and returns a new pair. A spent token presented again is taken as
   * stolen: the whole family (every token from that login) is revoked. The row lock makes two
   * concurrent uses of one token succeed at most once.
   */
  async refresh(presented: string): Promise<AuthSession> {
    const parsed = parseRefreshToken(presented);
    if (!parsed) throw unauthenticated(invalidRefreshToken);
    const now = this.now();
    // The revocation must commit, so the transaction returns the outcome and the error is thrown after.
    const outcome = await this.deps.store.transaction(async (tx): Promise<Rotation> => {
      const record = await tx.lockRefreshToken(parsed.id);
      if (!record || !refreshTokenMatches(presented, record.tokenHash)) return { kind: 'refused' };
      if (record.usedAt) {
        await tx.revokeRefreshTokenFamily(record.familyId, now);
        return { kind: 'reused' };
      }
      if (record.revokedAt || record.expiresAt <= now) return { kind: 'refused' };
      const user = await tx.lockUser(record.userId);
      if (!user) return { kind: 'refused' };
      if (!user.isActive) return { kind: 'inactive' };
      await tx.markRefreshTokenUsed(record.id, now);
      return {
        kind: 'rotated',
        user,
        refreshToken: await this.issueRefreshToken(tx, user.id, record.familyId),
      };
    });
    switch (outcome.kind) {
      case 'rotated':
        return this.session(outcome.user, outcome.refreshToken);
      case 'reused':
        throw unauthenticated('Refresh token already used; the sessions of this login are revoked');
      case 'inactive':
        throw forbidden('This account is disabled');
      case 'refused':
        throw unauthenticated(invalidRefreshToken);
    }
  }

  private async issueRefreshToken(tx: UserTransaction, userId: string, familyId: string): Promise<string> {
    const issued = newRefreshToken();
    const expiresAt = new Date(this.now().getTime() + this.deps.tokens.refreshTokenTtlSeconds * 1000);
    await tx.insertRefreshToken({
      id: issued.id,
      userId,
      tokenHash: issued.tokenHash,
      familyId,
      expiresAt,
      usedAt: null,
      revokedAt: null,
    });
    return issued.token;
  }

  private session(user: UserModel, refreshToken: string): AuthSession {
    const { privateKey, accessTokenTtlSeconds } = this.deps.tokens;
    const accessToken = signAccessToken(
      { userId: user.id, email: user.email, role: user.role },
      privateKey,
      accessTokenTtlSeconds,
    );
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: accessTokenTtlSeconds, user };
  }
}
