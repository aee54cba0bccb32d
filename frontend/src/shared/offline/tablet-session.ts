import { currentLocale } from '../../i18n/index.ts';
import { NoConnectionError, SessionExpiredError, staffJson, type StaffRequestContext } from './staff-request.ts';

/** A staff session as a tablet keeps it in IndexedDB, to go on working offline. */
export interface StoredStaffSession {
  user: { id: string; email: string; role: string };
  csrfToken: string;
}

/** Where a page's database keeps its one session (`settings` → `session` in the event day's and workshop's stores). */
export interface SessionSlot {
  get(): Promise<StoredStaffSession | undefined>;
  put(session: StoredStaffSession): Promise<unknown>;
  remove(): Promise<unknown>;
}

/** A request context for the sign-in routes, which need no session. */
export const anonymousContext = (): StaffRequestContext => ({ baseUrl: '', uiLocale: currentLocale(), csrfToken: null });

/**
 * The staff session of an offline tablet page (event day, workshop): kept on the tablet so the page
 * works without network, replaced by the server's word whenever it can be asked, and only for the
 * roles the page is for.
 */
export class TabletSession {
  current: StoredStaffSession | null = null;

  constructor(
    private readonly slot: SessionSlot,
    private readonly roles: readonly string[],
  ) {}

  /** The session this tablet last knew. */
  async load(): Promise<void> {
    this.current = (await this.slot.get()) ?? null;
  }

  context(): StaffRequestContext | null {
    return this.current ? { baseUrl: '', uiLocale: currentLocale(), csrfToken: this.current.csrfToken } : null;
  }

  /** Keeps the answer of `/api/auth/me` or a sign-in; a role the page is not for counts as signed out. */
  async save(me: StoredStaffSession | null): Promise<void> {
    this.current = me && this.allows(me.user.role) ? { user: me.user, csrfToken: me.csrfToken } : null;
    if (this.current) await this.slot.put(this.current);
    else await this.slot.remove();
  }

  /** Whether a signed-in account may use this page. */
  allows(role: string): boolean {
    return this.roles.includes(role);
  }

  /** Online: who is signed in (the server's word). Offline: the session this tablet last knew. */
  async refresh(): Promise<'online' | 'offline'> {
    try {
      await this.save(await staffJson<StoredStaffSession>(anonymousContext(), 'GET', '/api/auth/me', undefined, 15_000));
      return 'online';
    } catch (error) {
      if (error instanceof SessionExpiredError) {
        await this.save(null);
        return 'online';
      }
      if (error instanceof NoConnectionError) return 'offline';
      throw error;
    }
  }
}
