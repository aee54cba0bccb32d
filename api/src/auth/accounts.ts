import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import type { HashRunner } from './hash-queue.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.ts';
import * as repository from './repository.ts';
import { ROLES, type Role, type SessionUser } from './types.ts';

export const newAccountSchema = z.object({
  email: z.string().trim().max(320).email('not a valid email address'),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `the password must have at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(MAX_PASSWORD_LENGTH, `the password must have at most ${MAX_PASSWORD_LENGTH} characters`),
  role: z.enum(ROLES as [Role, ...Role[]], {
    errorMap: () => ({ message: `the role must be one of ${ROLES.join(', ')}` }),
  }),
  displayName: z.string().trim().max(200).nullish(),
});
export type NewAccount = z.input<typeof newAccountSchema>;

export class AccountError extends Error {
  constructor(
    readonly code: 'invalid_account' | 'email_taken',
    message: string,
  ) {
    super(message);
    this.name = 'AccountError';
  }
}

/** Creates a staff account; throws AccountError for bad input or an address already in use. */
export async function createAccount(db: Kysely<Database>, input: NewAccount): Promise<SessionUser> {
  const parsed = newAccountSchema.safeParse(input);
  if (!parsed.success) {
    throw new AccountError('invalid_account', parsed.error.issues.map((issue) => issue.message).join('; '));
  }
  const account = parsed.data;
  if (await repository.findUserByEmail(db, account.email)) {
    throw new AccountError('email_taken', `an account with the email address ${account.email} exists already`);
  }
  const passwordHash = await hashPassword(account.password);
  const inserted = await repository.insertUser(db, { ...account, passwordHash });
  // Another process may have created the same address between the check and the insert.
  if (!inserted) throw new AccountError('email_taken', `an account with the email address ${account.email} exists already`);
  return { id: inserted.id, email: account.email, role: account.role };
}

/**
 * The account for an email and password, or null. Unknown addresses, wrong passwords and disabled
 * accounts all cost one password verification, so timing does not reveal which addresses exist.
 */
export async function authenticate(
  db: Kysely<Database>,
  email: string,
  password: string,
  /** The login's place in the hash queue (routes.ts); default: wait in the process's queue. */
  run?: HashRunner,
): Promise<SessionUser | null> {
  const user = await repository.findUserByEmail(db, email.trim());
  if (!user) return verifyAgainstDummy(password, run).then(() => null);
  const matches = await verifyPassword(user.passwordHash, password, run);
  if (!matches || user.disabledAt) return null;
  return { id: user.id, email: user.email, role: user.role };
}
