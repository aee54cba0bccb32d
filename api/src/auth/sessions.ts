import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import * as repository from './repository.ts';
import { SESSION_IDLE_TIMEOUT_MS, SESSION_LIFETIME_MS, hashSessionToken, newCsrfToken, newSessionToken } from './session-token.ts';
import type { ActiveSession } from './types.ts';

export interface StartedSession {
  /** Goes into the cookie and nowhere else. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface SessionStoreOptions {
  /** A session unused for this long ends, well before its absolute lifetime. Default 2 hours. */
  idleTimeoutMs?: number;
  /** The app's clock (tests move it instead of waiting). */
  now?: () => Date;
}

// Writing the last use on every staff request would double the writes of a busy analyst; a minute
// of slack on a two-hour timeout does not matter.
const TOUCH_AFTER_MS = 60_000;

/** Server-side sessions: the database holds the token's hash, the CSRF token, the expiry and the last use. */
export class SessionStore {
  readonly idleTimeoutMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly db: Kysely<Database>,
    options: SessionStoreOptions = {},
  ) {
    this.idleTimeoutMs = options.idleTimeoutMs ?? SESSION_IDLE_TIMEOUT_MS;
    if (!(this.idleTimeoutMs >= 60_000)) throw new Error('SessionStore: the idle timeout must be at least a minute');
    this.now = options.now ?? (() => new Date());
  }

  /**
   * A new session with a fresh token on every login. The browser's previous session, if it sent one,
   * is deleted, so a token planted before login (session fixation) is worth nothing afterwards.
   */
  async start(userId: string, previousToken?: string | null): Promise<StartedSession> {
    if (previousToken) await repository.deleteSession(this.db, hashSessionToken(previousToken));
    const now = this.now();
    // Expired and idle sessions of everyone are purged here: logins are rare enough to carry the clean-up.
    await repository.deleteExpiredSessions(this.db, now, new Date(now.getTime() - this.idleTimeoutMs));
    const token = newSessionToken();
    const csrfToken = newCsrfToken();
    const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
    await repository.insertSession(this.db, { idHash: hashSessionToken(token), userId, csrfToken, expiresAt, lastSeenAt: now });
    return { token, csrfToken, expiresAt };
  }

  /**
   * The live session for a token, or null when unknown, past its lifetime or idle timeout (then
   * deleted) or the account is disabled. A live session counts as used now.
   */
  async resolve(token: string | undefined | null): Promise<ActiveSession | null> {
    if (!token || token.length > 200) return null;
    const idHash = hashSessionToken(token);
    const row = await repository.findSession(this.db, idHash);
    if (!row) return null;
    const nowMs = this.now().getTime();
    const lastSeenMs = new Date(row.lastSeenAt).getTime();
    if (new Date(row.expiresAt).getTime() <= nowMs || lastSeenMs + this.idleTimeoutMs <= nowMs) {
      await repository.deleteSession(this.db, idHash);
      return null;
    }
    if (row.disabledAt) return null;
    if (nowMs - lastSeenMs >= TOUCH_AFTER_MS) await repository.touchSession(this.db, idHash, new Date(nowMs));
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
