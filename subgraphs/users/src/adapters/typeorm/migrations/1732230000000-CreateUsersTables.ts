import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The users subgraph's tables, plus the outbox and processed-event tables of @commerce/common/typeorm. */
export class CreateUsersTables1732230000000 implements MigrationInterface {
  readonly name = 'CreateUsersTables1732230000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        email varchar(254) NOT NULL,
        password_hash varchar(255) NOT NULL,
        first_name varchar(100) NOT NULL,
        last_name varchar(100) NOT NULL,
        phone varchar(32),
        role varchar(16) NOT NULL DEFAULT 'CUSTOMER',
        is_active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_email_unique UNIQUE (email),
        CONSTRAINT users_email_lower_case CHECK (email = lower(email)),
        CONSTRAINT users_role_valid CHECK (role IN ('ADMIN', 'CUSTOMER'))
      )`);
    await runner.query(`
      CREATE TABLE addresses (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        line1 varchar(200) NOT NULL,
        line2 varchar(200),
        city varchar(200) NOT NULL,
        state varchar(200) NOT NULL,
        postal_code varchar(200) NOT NULL,
        country varchar(200) NOT NULL,
        is_default boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX addresses_user ON addresses (user_id, created_at)`);
    await runner.query(`CREATE UNIQUE INDEX addresses_one_default ON addresses (user_id) WHERE is_default`);
    await runner.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL,
        family_id uuid NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)`);
    await runner.query(`CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id)`);
    await runner.query(`
      CREATE TABLE outbox_event (
        id bigserial PRIMARY KEY,
        topic varchar(200) NOT NULL,
        key varchar(200) NOT NULL,
        envelope text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await runner.query(`CREATE INDEX outbox_event_unsent ON outbox_event (sent_at, id)`);
    await runner.query(`
      CREATE TABLE processed_event (
        event_id varchar(64) NOT NULL,
        consumer varchar(100) NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, consumer)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE processed_event, outbox_event, refresh_tokens, addresses, users`);
  }
}
