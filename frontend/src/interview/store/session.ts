import { deleteSetting, readSetting, writeSetting, type InterviewDatabase } from './database.ts';
import type { StoredSession } from './types.ts';

/**
 * The staff session as this tablet knows it. Kept in IndexedDB so that the app, reopened offline,
 * knows who records conversations; the session itself is the HttpOnly cookie the server set. The
 * CSRF token is not a secret from this origin's scripts: it only proves a write comes from our page.
 */
export class SessionKeeper {
  private session: StoredSession | null = null;
  private readonly listeners = new Set<(session: StoredSession | null) => void>();

  constructor(private readonly db: InterviewDatabase) {}

  async load(): Promise<StoredSession | null> {
    this.session = (await readSetting(this.db, 'session')) ?? null;
    return this.session;
  }

  get current(): StoredSession | null {
    return this.session;
  }

  /** A session usable for uploads right now (the server has not refused it since). */
  get active(): StoredSession | null {
    return this.session && !this.session.expired ? this.session : null;
  }

  async save(info: Omit<StoredSession, 'expired'>): Promise<void> {
    await this.set({ user: info.user, csrfToken: info.csrfToken, expiresAt: info.expiresAt, expired: false });
  }

  /** The server answered 401: keep who it was (their queued work stays theirs), ask for a login. */
  async markExpired(): Promise<void> {
    if (this.session && !this.session.expired) await this.set({ ...this.session, expired: true });
  }

  async clear(): Promise<void> {
    await deleteSetting(this.db, 'session');
    this.session = null;
    this.notify();
  }

  onChange(listener: (session: StoredSession | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async set(session: StoredSession): Promise<void> {
    await writeSetting(this.db, 'session', session);
    this.session = session;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this.session);
  }
}
