import type { Locale } from '../../../../api/src/shared/locales.ts';

/** An instrument as downloaded for offline use; one record per exact version. */
export interface StoredInstrument {
  slug: string;
  version: number;
  kind: 'interview' | 'stakeholder';
  /** SurveyJS localised title (`{"default": …, "en": …}`) or a plain string. */
  title: unknown;
  definition: Record<string, unknown>;
  locales: Locale[];
  downloadedAt: string;
}

export interface StoredDistrict {
  code: string;
  /** Localised name (`{"default": "Worfelden", …}`) as the server sends it. */
  name: Record<string, string>;
}

/**
 * The life of a conversation on the tablet:
 * draft → (finish) → queued → (server: stored | duplicate) → synced
 *                           ↘ (server: rejected) → rejected → (edit) → draft …
 * A queued conversation is read-only, so every retry of it sends the very same payload.
 */
export type ConversationState = 'draft' | 'queued' | 'synced' | 'rejected';

export interface RejectionReason {
  question: string | null;
  message: string;
}

export interface Conversation {
  /** UUID made on the tablet: the server recognises a repeated upload by it. */
  id: string;
  /** The account that recorded it; only that account's session uploads it. */
  userId: string;
  userEmail: string;
  slug: string;
  version: number;
  /** The language the questions are read in (sent as the response's locale). */
  locale: Locale;
  district: string;
  intervieweeFunction: string | null;
  answers: Record<string, unknown>;
  pageNo: number;
  state: ConversationState;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  syncedAt: string | null;
  /** Why the server refused the last upload; kept until the conversation is sent again. */
  rejection: { at: string; reasons: RejectionReason[] } | null;
  /** After the server confirmed it, answers and photos leave the tablet; the list keeps this stub. */
  purged: boolean;
  photoCount: number;
}

export interface UploadedPhoto {
  contentHash: string;
  width: number;
  height: number;
}

export interface StoredPhoto {
  id: string;
  conversationId: string;
  blob: Blob;
  takenAt: string;
  /** Set once the server holds the image; sync never uploads it twice. */
  uploaded: UploadedPhoto | null;
}

export interface StoredSession {
  user: { id: string; email: string; role: string };
  csrfToken: string;
  expiresAt: string;
  /** The server answered 401 since: a new login is needed before the next upload. */
  expired: boolean;
}

export type SyncOutcome =
  | { kind: 'ok'; stored: number; rejected: number }
  | { kind: 'nothing-to-do' }
  | { kind: 'offline' }
  | { kind: 'login-required' }
  | { kind: 'forbidden' }
  | { kind: 'server-error'; status: number };

export interface SyncStatus {
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastOutcome: SyncOutcome | null;
}
