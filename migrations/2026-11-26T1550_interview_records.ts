import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any>: they are frozen in time and must not follow later schema types.
export async function up(db: Kysely<any>): Promise<void> {
  // What an interview has beyond its response: the day it was held (the tablet may sync days
  // later) for the field overview. One row per response of mode 'interview' that came by sync.
  await db.schema
    .createTable('interview')
    .addColumn('response_id', 'uuid', (c) => c.primaryKey().references('response.id').onDelete('cascade'))
    .addColumn('conducted_on', 'date', (c) => c.notNull())
    .execute();

  // Photos of an interview, by content hash. A join table rather than media.response_id: a
  // content-addressed image can belong to more than one interview.
  await db.schema
    .createTable('interview_photo')
    .addColumn('response_id', 'uuid', (c) => c.notNull().references('interview.response_id').onDelete('cascade'))
    .addColumn('content_hash', 'text', (c) => c.notNull().references('media.content_hash'))
    .addColumn('position', 'integer', (c) => c.notNull().check(sql`position >= 0`))
    .addPrimaryKeyConstraint('interview_photo_pk', ['response_id', 'content_hash'])
    .execute();
  await db.schema.createIndex('interview_photo_media_idx').on('interview_photo').column('content_hash').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('interview_photo').execute();
  await db.schema.dropTable('interview').execute();
}
