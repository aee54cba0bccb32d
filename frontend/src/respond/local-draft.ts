import type { Locale } from '../../../api/src/shared/locales.ts';

/**
 * What this device keeps while someone answers: enough to survive a reload, a closed tab or a lost
 * connection, and to finish a submission that was under way. Stored under one key per survey
 * version, removed once the server has the response.
 */
export interface LocalDraft {
  answers: Record<string, unknown>;
  pageNo: number;
  locale: Locale;
  /** From the link (`?d=`, `?c=`): kept so a reload without the query still records them. */
  linkDistrict: string | null;
  channel: string | null;
  /** The response id, fixed before the first attempt so that every retry is the same response. */
  responseId: string | null;
  /** A server draft created with "continue later", kept up to date and deleted after submitting. */
  serverDraftCode: string | null;
  /** Milliseconds since the epoch; old drafts are forgotten (shared devices). */
  updatedAt: number;
}

/** Answers left on a device are forgotten after this long: a library PC should not keep them forever. */
export const LOCAL_DRAFT_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

const PREFIX = 'vielstimmig.draft.';

export function draftKey(slug: string, version: number): string {
  return `${PREFIX}${slug}.v${version}`;
}

/** The drafts of one survey version on this device, over any Storage (localStorage in the browser). */
export class LocalDraftStore {
  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>,
    private readonly slug: string,
    private readonly version: number,
    private readonly now: () => number = Date.now,
  ) {}

  private get key(): string {
    return draftKey(this.slug, this.version);
  }

  load(): LocalDraft | null {
    const raw = this.safely(() => this.storage.getItem(this.key), null);
    if (!raw) return null;
    try {
      const draft = JSON.parse(raw) as LocalDraft;
      if (typeof draft !== 'object' || draft === null || typeof draft.answers !== 'object') return null;
      if (this.now() - (draft.updatedAt ?? 0) > LOCAL_DRAFT_MAX_AGE_MS) {
        this.clear();
        return null;
      }
      return draft;
    } catch {
      return null;
    }
  }

  /**
   * Writes the draft; returns false when the device refuses (storage full or blocked), so the page can
   * say that answers are not kept on this device.
   */
  save(draft: Omit<LocalDraft, 'updatedAt'>): boolean {
    return this.safely(() => {
      this.storage.setItem(this.key, JSON.stringify({ ...draft, updatedAt: this.now() }));
      return true;
    }, false);
  }

  clear(): void {
    this.safely(() => this.storage.removeItem(this.key), undefined);
  }

  /**
   * A draft of an earlier version of the same survey (the town published a new version while this
   * person was answering). Its answers can carry over to questions that still exist.
   */
  findEarlierVersion(): { version: number; draft: LocalDraft } | null {
    const prefix = `${PREFIX}${this.slug}.v`;
    let best: { version: number; draft: LocalDraft } | null = null;
    const length = this.safely(() => this.storage.length, 0);
    for (let index = 0; index < length; index++) {
      const key = this.safely(() => this.storage.key(index), null);
      if (!key?.startsWith(prefix)) continue;
      const version = Number(key.slice(prefix.length));
      if (!Number.isInteger(version) || version >= this.version) continue;
      const draft = new LocalDraftStore(this.storage, this.slug, version, this.now).load();
      if (draft && (!best || version > best.version)) best = { version, draft };
    }
    return best;
  }

  removeVersion(version: number): void {
    this.safely(() => this.storage.removeItem(draftKey(this.slug, version)), undefined);
  }

  private safely<T>(action: () => T, fallback: T): T {
    try {
      return action();
    } catch {
      return fallback;
    }
  }
}

/** Exactly what is posted to `POST /api/surveys/:slug/responses`. */
export interface ResponsePayload {
  id: string;
  version: number;
  locale: Locale;
  district?: string;
  channel?: string;
  answers: Record<string, unknown>;
}

export interface PendingSubmission {
  payload: ResponsePayload;
  serverDraftCode: string | null;
}

/**
 * A submission the server has not answered yet, kept per survey (whatever its version) from before
 * the first attempt until an answer arrives. On the next visit it is sent again, byte for byte, so
 * closing the tab while offline neither loses the response nor makes a second one.
 */
export class PendingSubmissionStore {
  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
    private readonly slug: string,
  ) {}

  private get key(): string {
    return `vielstimmig.pending.${this.slug}`;
  }

  load(): PendingSubmission | null {
    try {
      const raw = this.storage.getItem(this.key);
      const pending = raw ? (JSON.parse(raw) as PendingSubmission) : null;
      return pending && typeof pending.payload?.id === 'string' ? pending : null;
    } catch {
      return null;
    }
  }

  save(pending: PendingSubmission): boolean {
    try {
      this.storage.setItem(this.key, JSON.stringify(pending));
      return true;
    } catch {
      return false;
    }
  }

  clear(): void {
    try {
      this.storage.removeItem(this.key);
    } catch {
      // Nothing to do: storage is blocked, so nothing was kept either.
    }
  }
}
