import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import * as repository from './repository.ts';
import { SESSION_LIFETIME_MS, hashSessionToken, newCsrfToken, newSessionToken } from './session-token.ts';
import type { ActiveSession } from './types.ts';

export interface StartedSession {
  /** Goes into the cookie and nowhere else. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Server-side sessions: the database holds the token's hash, the CSRF token and the expiry. */
export class SessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * A new session with a fresh token on every login. The browser's previous session, if it sent one,
   * is deleted, so a token planted before login (session fixation) is worth nothing afterwards.
   */
  async start(userId: string, previousToken?: string | null): Promise<StartedSession> {
    if (previousToken) await repository.deleteSession(this.db, hashSessionToken(previousToken));
    // Expired sessions of everyone are purged here: logins are rare enough to carry the clean-up.
    await repository.deleteExpiredSessions(this.db);
    const token = newSessionToken();
    const csrfToken = newCsrfToken();
    const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
    await repository.insertSession(this.db, { idHash: hashSessionToken(token), userId, csrfToken, expiresAt });
    return { token, csrfToken, expiresAt };
  }

  /** The live session for a token, or null when unknown, expired (then deleted) or the account is disabled. */
  async resolve(token: string | undefined | null): Promise<ActiveSession | null> {
    if (!token || token.length > 200) return null;
    const idHash = hashSessionToken(token);
    const row = await repository.findSession(this.db, idHash);
    if (!row) return null;
    if (row.expiresAt.getTime() <= Date.now()) {
      await repository.deleteSession(this.db, idHash);
      return null;
    }
    if (row.disabledAt) return null;
    return {
      idHash,
      csrfToken: row.csrfToken,
      expiresAt: row.expiresAt,
      user: { id: row.userId, email: row.email, role: row.role },
    };
  }

  async end(idHash: string): Promise<void> {
    await repository.deleteSession(this.db, idHash);
  }
}
