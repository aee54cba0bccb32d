import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // When the session was last used, for the idle timeout beside the absolute lifetime: a tablet left
  // signed in at a festival stand must not stay usable for the rest of the 12 hours. Sessions that
  // exist when this runs count as used now.
  await db.schema
    .alterTable('session')
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('session').dropColumn('last_seen_at').execute();
}
