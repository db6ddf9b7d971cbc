import { embeddedOutboxTablesSql, embeddedSqlNow as now } from '@commerce/common/embedded';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The embedded (SQLite) twin of CreateUsersTables1732230000000: the same tables, constraints and
 * indexes; uuid and timestamptz become varchar and datetime (TypeORM's SQLite date format).
 */
export class CreateUsersTablesEmbedded1732230000001 implements MigrationInterface {
  readonly name = 'CreateUsersTablesEmbedded1732230000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE users (
        id varchar(36) PRIMARY KEY,
        email varchar(254) NOT NULL,
        password_hash varchar(255) NOT NULL,
        first_name varchar(100) NOT NULL,
        last_name varchar(100) NOT NULL,
        phone varchar(32),
        role varchar(16) NOT NULL DEFAULT 'CUSTOMER',
        is_active boolean NOT NULL DEFAULT 1,
        created_at datetime NOT NULL DEFAULT ${now},
        CONSTRAINT users_email_unique UNIQUE (email),
        CONSTRAINT users_email_lower_case CHECK (email = lower(email)),
        CONSTRAINT users_role_valid CHECK (role IN ('ADMIN', 'CUSTOMER'))
      )`);
    await runner.query(`
      CREATE TABLE addresses (
        id varchar(36) PRIMARY KEY,
        user_id varchar(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        line1 varchar(200) NOT NULL,
        line2 varchar(200),
        city varchar(200) NOT NULL,
        state varchar(200) NOT NULL,
        postal_code varchar(200) NOT NULL,
        country varchar(200) NOT NULL,
        is_default boolean NOT NULL DEFAULT 0,
        created_at datetime NOT NULL DEFAULT ${now}
      )`);
    await runner.query(`CREATE INDEX addresses_user ON addresses (user_id, created_at)`);
    await runner.query(`CREATE UNIQUE INDEX addresses_one_default ON addresses (user_id) WHERE is_default`);
    await runner.query(`
      CREATE TABLE refresh_tokens (
        id varchar(36) PRIMARY KEY,
        user_id varchar(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash varchar(64) NOT NULL,
        family_id varchar(36) NOT NULL,
        expires_at datetime NOT NULL,
        used_at datetime,
        revoked_at datetime,
        created_at datetime NOT NULL DEFAULT ${now}
      )`);
    await runner.query(`CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)`);
    await runner.query(`CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id)`);
    for (const statement of embeddedOutboxTablesSql) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['processed_event', 'outbox_event', 'refresh_tokens', 'addresses', 'users'])
      await runner.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
