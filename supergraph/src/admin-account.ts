import { ConfigError, isProduction, readSecret, readString, type Env } from '@commerce/common/config';
import type { AdminAccount } from '@commerce/common/server';

/**
 * The admin of a developer's machine: what `npm start` seeds when ADMIN_EMAIL / ADMIN_PASSWORD are
 * not set. Its password is public (README), so NODE_ENV=production refuses it.
 */
export const developmentAdmin: AdminAccount = Object.freeze({
  email: 'admin@example.com',
  password: 'Admin12345!',
});

/** The admin to seed and where its password came from (to print that, never the password). */
export interface ConfiguredAdmin {
  readonly account: AdminAccount;
  /** `ADMIN_PASSWORD`, `ADMIN_PASSWORD_FILE`, or `development default`. */
  readonly passwordFrom: string;
}

/**
 * The users service's admin: ADMIN_EMAIL and ADMIN_PASSWORD (or ADMIN_PASSWORD_FILE), both or
 * neither. With NODE_ENV=production both are required and the password must not be the
 * development default.
 */
export function readAdminAccount(env: Env): AdminAccount | undefined {
  const password = readAdminPassword(env)?.value;
  const email = env['ADMIN_EMAIL']?.trim();
  if (email && !password) throw new ConfigError('Missing environment variable ADMIN_PASSWORD');
  if (!email && password) throw new ConfigError('Missing environment variable ADMIN_EMAIL');
  return email && password ? Object.freeze({ email, password }) : undefined;
}

/**
 * `npm start`'s admin: ADMIN_EMAIL and ADMIN_PASSWORD, each defaulting to the development admin,
 * except that NODE_ENV=production requires ADMIN_PASSWORD (and refuses the development default).
 */
export function readStartAdmin(env: Env): ConfiguredAdmin {
  const password = readAdminPassword(env);
  return {
    account: Object.freeze({
      email: readString(env, 'ADMIN_EMAIL', developmentAdmin.email),
      password: password?.value ?? developmentAdmin.password,
    }),
    passwordFrom: password?.from ?? 'development default',
  };
}

/** The admin's email and where its password comes from, for a banner: never the password. */
export function adminBannerLine({ account, passwordFrom }: ConfiguredAdmin): string {
  const password =
    passwordFrom === 'development default'
      ? 'the development default (README, "Configuration"; set ADMIN_PASSWORD to choose one)'
      : `from ${passwordFrom}`;
  return `${account.email}, password ${password}`;
}

/** ADMIN_PASSWORD or ADMIN_PASSWORD_FILE, with the production rule applied. */
function readAdminPassword(env: Env): { value: string; from: string } | undefined {
  const password = readSecret(env, 'ADMIN_PASSWORD');
  if (!isProduction(env)) return password;
  if (!password) {
    throw new ConfigError(
      'Missing environment variable ADMIN_PASSWORD: NODE_ENV=production needs the admin password ' +
        '(ADMIN_PASSWORD, or ADMIN_PASSWORD_FILE naming a file that holds it)',
    );
  }
  if (password.value === developmentAdmin.password) {
    throw new ConfigError(
      `${password.from} holds the development default admin password, which NODE_ENV=production ` +
        'refuses: set ADMIN_PASSWORD to a password of your own',
    );
  }
  return password;
}
