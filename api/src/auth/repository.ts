import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Role } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface UserRow {
  id: string;
  email: string;
  role: Role;
  passwordHash: string;
  disabledAt: Date | null;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  // The unique index is on lower(email): addresses are matched case-insensitively.
  return db
    .selectFrom('app_user')
    .select(['id', 'email', 'role', 'password_hash as passwordHash', 'disabled_at as disabledAt'])
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

export async function insertUser(
  db: Db,
  user: { email: string; passwordHash: string; role: Role; displayName?: string | null },
): Promise<{ id: string } | undefined> {
  return db
    .insertInto('app_user')
    .values({ email: user.email, password_hash: user.passwordHash, role: user.role, display_name: user.displayName ?? null })
    .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
    .returning('id')
    .executeTakeFirst();
}

export interface UserListRow {
  id: string;
  email: string;
  role: Role;
  displayName: string | null;
  createdAt: Date;
  disabledAt: Date | null;
}

export async function listUsers(db: Db): Promise<UserListRow[]> {
  return db
    .selectFrom('app_user')
    .select(['id', 'email', 'role', 'display_name as displayName', 'created_at as createdAt', 'disabled_at as disabledAt'])
    .orderBy('role')
    .orderBy('email')
    .execute();
}

export async function insertSession(
  db: Db,
  session: { idHash: string; userId: string; csrfToken: string; expiresAt: Date; lastSeenAt: Date },
): Promise<void> {
  await db
    .insertInto('session')
    .values({
      id_hash: session.idHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      expires_at: session.expiresAt,
      last_seen_at: session.lastSeenAt,
    })
    .execute();
}

/** Records that a session was used (for the idle timeout). */
export async function touchSession(db: Db, idHash: string, lastSeenAt: Date): Promise<void> {
  await db.updateTable('session').set({ last_seen_at: lastSeenAt }).where('id_hash', '=', idHash).execute();
}

export interface SessionRow {
  idHash: string;
  csrfToken: string;
  expiresAt: Date;
  lastSeenAt: Date;
  userId: string;
  email: string;
  role: Role;
  disabledAt: Date | null;
}

export async function findSession(db: Db, idHash: string): Promise<SessionRow | undefined> {
  return db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .select([
      'session.id_hash as idHash',
      'session.csrf_token as csrfToken',
      'session.expires_at as expiresAt',
      'session.last_seen_at as lastSeenAt',
      'app_user.id as userId',
      'app_user.email',
      'app_user.role',
      'app_user.disabled_at as disabledAt',
    ])
    .where('session.id_hash', '=', idHash)
    .executeTakeFirst();
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('session').where('id_hash', '=', idHash).execute();
}

/** Deletes sessions past their absolute lifetime or idle since before `idleSince`. */
export async function deleteExpiredSessions(db: Db, now: Date, idleSince: Date): Promise<number> {
  const result = await db
    .deleteFrom('session')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleSince)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function findUserById(db: Db, id: string): Promise<UserListRow | undefined> {
  return db
    .selectFrom('app_user')
    .select(['id', 'email', 'role', 'display_name as displayName', 'created_at as createdAt', 'disabled_at as disabledAt'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Active admins other than `exceptId`: the last one may not be disabled or demoted. */
export async function countOtherActiveAdmins(db: Db, exceptId: string): Promise<number> {
  const row = await db
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .where('id', '!=', exceptId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateUser(db: Db, id: string, changes: { role?: Role; disabledAt?: Date | null; passwordHash?: string }): Promise<void> {
  await db
    .updateTable('app_user')
    .set({
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.disabledAt !== undefined ? { disabled_at: changes.disabledAt } : {}),
      ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Deletes every session of an account ("sign out everywhere", disabling, a password reset). */
export async function deleteSessionsOfUser(db: Db, userId: string): Promise<number> {
  const result = await db.deleteFrom('session').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function insertPasswordSetup(db: Db, row: { tokenHash: string; userId: string; expiresAt: Date }): Promise<void> {
  // One link per account at a time: a new one replaces the old.
  await db.deleteFrom('password_setup').where('user_id', '=', row.userId).execute();
  await db.insertInto('password_setup').values({ token_hash: row.tokenHash, user_id: row.userId, expires_at: row.expiresAt }).execute();
}

/** Uses up a link: deletes it and returns its account when it was live. */
export async function takePasswordSetup(db: Db, tokenHash: string): Promise<string | null> {
  const row = await db.deleteFrom('password_setup').where('token_hash', '=', tokenHash).returning(['user_id', 'expires_at']).executeTakeFirst();
  if (!row || row.expires_at.getTime() <= Date.now()) return null;
  return row.user_id;
}
