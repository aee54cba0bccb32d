import { demoAccounts } from '../../api/src/demo/demo-accounts.ts';
import type { Kysely } from 'kysely';
import { createAccount } from '../../api/src/auth/accounts.ts';
import type { Database, Role } from '../../api/src/db/schema.ts';

interface RequestingApp {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

/** A signed-in staff member for tests: the cookie to send and the CSRF token for writes. */
export interface StaffSession {
  cookie: string;
  csrfToken: string;
  user: { id: string; email: string; role: Role };
  /** Headers for a read. */
  headers(extra?: Record<string, string>): Record<string, string>;
  /** Headers for a write (cookie and X-CSRF-Token). */
  writeHeaders(extra?: Record<string, string>): Record<string, string>;
}

/** The `name=value` part of a Set-Cookie header for the session cookie. */
export function sessionCookieFrom(response: Response): string {
  const header = response.headers.get('set-cookie') ?? '';
  const match = /(?:^|,\s*)(vs_session=[^;]*)/.exec(header);
  if (!match) throw new Error(`no vs_session cookie in: ${header}`);
  return match[1]!;
}

export async function login(app: RequestingApp, email: string, password: string): Promise<StaffSession> {
  const response = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login as ${email} failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { csrfToken: string; user: StaffSession['user'] };
  const cookie = sessionCookieFrom(response);
  return {
    cookie,
    csrfToken: body.csrfToken,
    user: body.user,
    headers: (extra = {}) => ({ cookie, ...extra }),
    writeHeaders: (extra = {}) => ({ cookie, 'x-csrf-token': body.csrfToken, ...extra }),
  };
}

/** Signs in as the demo account of a role (the demo seed creates one per role). */
export function loginAsDemo(app: RequestingApp, role: Role): Promise<StaffSession> {
  const account = demoAccounts.find((candidate) => candidate.role === role);
  if (!account) throw new Error(`no demo account for ${role}`);
  return login(app, account.email, account.password);
}

/**
 * Signs in as a staff account of `role` created for the test (roles the demo seed has no account
 * for, such as `coordinator`); creates the account on first use.
 */
export async function loginAsNew(app: RequestingApp, db: Kysely<Database>, role: Role): Promise<StaffSession> {
  const email = `${role}.test@example.org`;
  const password = `test-${role}-password-2026`;
  const existing = await db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirst();
  if (!existing) await createAccount(db, { email, password, role });
  return login(app, email, password);
}
