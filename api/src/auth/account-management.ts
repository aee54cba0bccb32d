import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { AccountError, createAccount } from './accounts.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.ts';
import * as repository from './repository.ts';
import { hashSessionToken } from './session-token.ts';
import type { Role } from './types.ts';

/** A set-password link is valid for a week: long enough to reach a volunteer, short enough to expire unused. */
export const PASSWORD_SETUP_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** Where the one-time link points (the page reads the token from the fragment, which no server log sees). */
export const setPasswordPath = (token: string) => `/admin/set-password#token=${token}`;

/** A password nobody knows: the account cannot sign in until its link is used. */
const unusablePassword = () => randomBytes(32).toString('base64url');

async function newSetupLink(db: Kysely<Database>, userId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await repository.insertPasswordSetup(db, { tokenHash: hashSessionToken(token), userId, expiresAt: new Date(Date.now() + PASSWORD_SETUP_LIFETIME_MS) });
  return setPasswordPath(token);
}

/** Account changes that could leave no admin are serialised across processes. */
async function withAccountsLock<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('vielstimmig:accounts'))`.execute(trx);
    return work(trx);
  });
}

async function requireUser(db: Kysely<Database>, id: string) {
  const user = /^[0-9a-f-]{36}$/i.test(id) ? await repository.findUserById(db, id) : undefined;
  if (!user) throw new ApiError(404, 'user_not_found');
  return user;
}

async function refuseLastAdmin(db: Kysely<Database>, user: { id: string; role: Role; disabledAt: Date | null }) {
  if (user.role === 'admin' && !user.disabledAt && (await repository.countOtherActiveAdmins(db, user.id)) === 0) {
    throw new ApiError(409, 'last_active_admin');
  }
}

/** Creates an account without a password and returns the one-time link to set one (shown once). */
export async function inviteAccount(
  db: Kysely<Database>,
  actorId: string,
  input: { email: string; role: Role; displayName?: string | null },
): Promise<{ id: string; setPasswordPath: string }> {
  let created;
  try {
    created = await createAccount(db, { ...input, password: unusablePassword() });
  } catch (error) {
    if (error instanceof AccountError && error.code === 'email_taken') throw new ApiError(409, 'email_taken');
    throw error;
  }
  const link = await newSetupLink(db, created.id);
  await recordAudit(db, { actorId, action: 'user.create', target: created.id, details: { role: input.role } });
  return { id: created.id, setPasswordPath: link };
}

/** Disabling deletes the account's sessions, so re-enabling never brings an old one back. */
export async function setAccountDisabled(db: Kysely<Database>, actorId: string, id: string, disabled: boolean): Promise<void> {
  await withAccountsLock(db, async (trx) => {
    const user = await requireUser(trx, id);
    if (disabled) await refuseLastAdmin(trx, user);
    await repository.updateUser(trx, id, { disabledAt: disabled ? (user.disabledAt ?? new Date()) : null });
    const sessions = disabled ? await repository.deleteSessionsOfUser(trx, id) : 0;
    await recordAudit(trx, { actorId, action: disabled ? 'user.disable' : 'user.enable', target: id, details: disabled ? { sessionsEnded: sessions } : {} });
  });
}

export async function changeAccountRole(db: Kysely<Database>, actorId: string, id: string, role: Role): Promise<void> {
  await withAccountsLock(db, async (trx) => {
    const user = await requireUser(trx, id);
    if (user.role === role) return;
    if (user.role === 'admin') await refuseLastAdmin(trx, user);
    await repository.updateUser(trx, id, { role });
    await recordAudit(trx, { actorId, action: 'user.role', target: id, details: { previous: user.role, role } });
  });
}

/** The old password stops working and every session ends; the account gets a new one-time link. */
export async function resetAccountPassword(db: Kysely<Database>, actorId: string, id: string): Promise<{ setPasswordPath: string }> {
  return db.transaction().execute(async (trx) => {
    await requireUser(trx, id);
    await repository.updateUser(trx, id, { passwordHash: await hashPassword(unusablePassword()) });
    const sessions = await repository.deleteSessionsOfUser(trx, id);
    const link = await newSetupLink(trx, id);
    await recordAudit(trx, { actorId, action: 'user.password_reset', target: id, details: { sessionsEnded: sessions } });
    return { setPasswordPath: link };
  });
}

export async function signOutEverywhere(db: Kysely<Database>, actorId: string, id: string): Promise<number> {
  await requireUser(db, id);
  const sessions = await repository.deleteSessionsOfUser(db, id);
  await recordAudit(db, { actorId, action: 'user.sign_out_everywhere', target: id, details: { sessionsEnded: sessions } });
  return sessions;
}

/** Uses a one-time link: sets the password, ends sessions the account had. */
export async function setPasswordWithLink(db: Kysely<Database>, token: string, password: string): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new ApiError(422, 'password_too_short', { min: MIN_PASSWORD_LENGTH });
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    const userId = await repository.takePasswordSetup(trx, hashSessionToken(token));
    if (!userId) throw new ApiError(400, 'set_password_link_invalid');
    await repository.updateUser(trx, userId, { passwordHash });
    await repository.deleteSessionsOfUser(trx, userId);
    await recordAudit(trx, { actorId: userId, action: 'user.password_set', target: userId });
  });
}
