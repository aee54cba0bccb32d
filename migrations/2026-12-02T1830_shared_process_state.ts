import type { Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // State that every app process behind a load balancer has to see alike; it used to live in one
  // process's memory or disk. No column holds an address or an email: every key is a keyed hash
  // (HMAC with DATA_DIR/secrets/client-address.key, never stored in the database) of an IPv4
  // address or IPv6 /64, of an account's email, or of both.

  // Public-write limits: one fixed window per route group and client network.
  await db.schema
    .createTable('rate_limit_window')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('client_key', 'text', (c) => c.notNull())
    .addColumn('window_ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_window_pkey', ['bucket', 'client_key'])
    .execute();
  await db.schema.createIndex('rate_limit_window_ends_idx').on('rate_limit_window').column('window_ends_at').execute();

  // Failed (and running) logins, one row each, for the sliding window per account and per network.
  await db.schema
    .createTable('login_failure')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('failure_key', 'text', (c) => c.notNull())
    .addColumn('failed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_failure_key_idx').on('login_failure').columns(['failure_key', 'failed_at']).execute();
  await db.schema.createIndex('login_failure_expires_idx').on('login_failure').column('expires_at').execute();

  // Networks that signed in to an account: exempt from that account's limit until known_until.
  await db.schema
    .createTable('login_known_network')
    .addColumn('network_key', 'text', (c) => c.primaryKey())
    .addColumn('known_until', 'timestamptz', (c) => c.notNull())
    .execute();

  // Photos move from DATA_DIR/media into the database, so every process serves every photo. Null
  // until the start-up import has copied a file stored by an earlier version.
  await db.schema.alterTable('media').addColumn('image', 'bytea').addColumn('thumbnail', 'bytea').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('media').dropColumn('image').dropColumn('thumbnail').execute();
  await db.schema.dropTable('login_known_network').execute();
  await db.schema.dropTable('login_failure').execute();
  await db.schema.dropTable('rate_limit_window').execute();
}
