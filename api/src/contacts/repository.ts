import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface NewContactRow {
  id: string;
  withdrawCodeHash: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  topics: string[];
  formats: string[];
  district: string | null;
  locale: string;
  consentTextVersion: string;
}

/** `created_on` is left to the database's default: the day only, never a time. */
export async function insertContact(db: Kysely<Database>, row: NewContactRow): Promise<void> {
  await db
    .insertInto('contact')
    .values({
      id: row.id,
      withdraw_code_hash: row.withdrawCodeHash,
      name: row.name,
      email: row.email,
      phone: row.phone,
      topics: JSON.stringify(row.topics),
      formats: JSON.stringify(row.formats),
      district: row.district,
      locale: row.locale,
      consent_text_version: row.consentTextVersion,
    })
    .execute();
}

export async function deleteContactByCodeHash(db: Kysely<Database>, withdrawCodeHash: string): Promise<boolean> {
  const result = await db.deleteFrom('contact').where('withdraw_code_hash', '=', withdrawCodeHash).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
