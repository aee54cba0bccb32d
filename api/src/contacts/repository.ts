import { sql, type Kysely } from 'kysely';
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

/**
 * An accepted opt-in goes into the holding table, never straight into `contact`: written in the
 * resident's own transaction, right after their response, its transaction id and place on disk
 * would point at that response. The month is the only time kept.
 */
export async function insertHeldContact(db: Kysely<Database>, row: NewContactRow): Promise<boolean> {
  const result = await db
    .insertInto('contact_intake')
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
      accepted_month: sql<string>`to_char(current_date, 'YYYY-MM')`,
    })
    // The same form twice (a repeated hand-over): the first stays, nothing new is stored.
    .onConflict((oc) => oc.column('withdraw_code_hash').doNothing())
    .returning('id')
    .executeTakeFirst();
  return result !== undefined;
}

/** Whether a contact with this withdrawal code is held or moved already. */
export async function contactExistsByCodeHash(db: Kysely<Database>, withdrawCodeHash: string): Promise<boolean> {
  const found = await db
    .selectFrom('contact_intake')
    .select('id')
    .where('withdraw_code_hash', '=', withdrawCodeHash)
    .unionAll(db.selectFrom('contact').select('id').where('withdraw_code_hash', '=', withdrawCodeHash))
    .executeTakeFirst();
  return found !== undefined;
}

/**
 * Deletes the contact a withdrawal code belongs to, wherever it is. The holding table first: if the
 * mover holds the row, this waits for it, and the second statement (a fresh snapshot) then finds the
 * row in `contact`.
 */
export async function deleteContactByCodeHash(db: Kysely<Database>, withdrawCodeHash: string): Promise<boolean> {
  const held = await db.deleteFrom('contact_intake').where('withdraw_code_hash', '=', withdrawCodeHash).executeTakeFirst();
  if (Number(held.numDeletedRows) > 0) return true;
  const moved = await db.deleteFrom('contact').where('withdraw_code_hash', '=', withdrawCodeHash).executeTakeFirst();
  return Number(moved.numDeletedRows) > 0;
}

/** Marks the contact whose confirmation token this is as confirmed; false for an unknown token. */
export async function confirmContactByTokenHash(db: Kysely<Database>, tokenHash: string): Promise<boolean> {
  const result = await db
    .updateTable('contact')
    .set({ confirmed: true, confirm_by: null })
    .where('confirm_token_hash', '=', tokenHash)
    .where('email', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The withdrawal link in every message: the token of the last message sent stands for the code. */
export async function deleteContactByTokenHash(db: Kysely<Database>, tokenHashes: string[]): Promise<boolean> {
  const result = await db.deleteFrom('contact').where('withdraw_token_hash', 'in', tokenHashes).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
