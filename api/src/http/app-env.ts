import type { SessionStore } from '../auth/sessions.ts';
import type { ActiveSession, SessionUser } from '../auth/types.ts';
import type { Locale } from '../shared/locales.ts';

/** Variables every request carries through the middleware chain. */
export interface AppEnv {
  Variables: {
    /** The locale for messages to this requester (Accept-Language, `?lang=`, or the body's locale). */
    locale: Locale;
    /** The request came over TLS (directly or via a trusted proxy); set first by `transportSecurity`. */
    tls: boolean;
    /** Staff sessions; set for every request by `attachSessions` in `createApp`. */
    sessions?: SessionStore;
    /** The request's session once looked up (null: none or not valid); see `currentSession`. */
    session?: ActiveSession | null;
    /** The signed-in staff member; set by `requireRole` before a staff route's handler runs. */
    user?: SessionUser;
  };
}
