import { dayInTown } from '../../../../api/src/shared/town-day.ts';
import {
  NoConnectionError,
  ServerRefusalError,
  SessionExpiredError,
  type ApiClient,
  type InterviewSyncResult,
  type InterviewUpload,
} from '../api-client.ts';
import { forgetPhotoUploads, listPhotos, markRejected, markSynced, recordPhotoUpload } from '../store/conversations.ts';
import type { InterviewDatabase } from '../store/database.ts';
import type { SessionKeeper } from '../store/session.ts';
import type { Conversation, RejectionReason, SyncOutcome, SyncStatus } from '../store/types.ts';
import { inBatches, rejectionReasons } from './rejection-reasons.ts';

export interface SyncEngineDeps {
  db: InterviewDatabase;
  api: ApiClient;
  session: SessionKeeper;
  isOnline: () => boolean;
  /** The reason shown when the server rejects without saying why (already in the interviewer's language). */
  unexplainedRejection: () => string;
  batchSize?: number;
}

/** A stop for the whole run: nothing more can be sent until the cause is gone. */
class StopSync extends Error {
  constructor(readonly outcome: SyncOutcome) {
    super(outcome.kind);
  }
}

const EMPTY_STATUS: SyncStatus = { lastAttemptAt: null, lastSuccessAt: null, lastOutcome: null };

/**
 * Uploads finished conversations: photos first (each once; the server answers with its content
 * hash), then the interviews in batches referring to those hashes. A conversation becomes `synced`
 * only on the server's `stored` or `duplicate`; on `rejected` it stays with its reasons; anything
 * unanswered stays `queued` and is sent again, unchanged, on the next run (the server recognises
 * the id, so a repeat never makes a second interview).
 */
export class SyncEngine {
  private running: Promise<SyncOutcome> | null = null;
  private readonly listeners = new Set<(status: SyncStatus, running: boolean) => void>();
  private readonly batchSize: number;

  constructor(private readonly deps: SyncEngineDeps) {
    this.batchSize = deps.batchSize ?? 10;
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** Starts a run, or joins the one under way. */
  run(): Promise<SyncOutcome> {
    if (!this.running) {
      this.running = this.runExclusively().finally(() => {
        this.running = null;
        void this.status().then((status) => this.notify(status, false));
      });
      void this.status().then((status) => this.notify(status, true));
    }
    return this.running;
  }

  async status(): Promise<SyncStatus> {
    return (await this.deps.db.get('sync', 'status')) ?? EMPTY_STATUS;
  }

  /** How many conversations of the signed-in interviewer wait for an upload. */
  async waitingCount(): Promise<number> {
    return (await this.queuedForCurrentUser()).length;
  }

  onChange(listener: (status: SyncStatus, running: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(status: SyncStatus, running: boolean): void {
    for (const listener of this.listeners) listener(status, running);
  }

  /** Two tabs of the app share one queue: the Web Locks API keeps them from uploading at once. */
  private runExclusively(): Promise<SyncOutcome> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (!locks) return this.runOnce();
    // Another tab holds the lock: it is uploading the same queue right now.
    const busy: SyncOutcome = { kind: 'nothing-to-do' };
    return locks.request('vielstimmig-interview-sync', { ifAvailable: true }, (lock) => (lock ? this.runOnce() : busy)).then(
      (outcome) => outcome,
    );
  }

  private async runOnce(): Promise<SyncOutcome> {
    const queued = await this.queuedForCurrentUser();
    if (queued.length === 0 && this.deps.session.active) return { kind: 'nothing-to-do' };
    const startedAt = new Date().toISOString();
    let outcome: SyncOutcome;
    try {
      if (!this.deps.session.active) throw new StopSync({ kind: 'login-required' });
      if (!this.deps.isOnline()) throw new StopSync({ kind: 'offline' });
      let stored = 0;
      let rejected = 0;
      for (const batch of inBatches(queued, this.batchSize)) {
        const counts = await this.sendBatch(batch);
        stored += counts.stored;
        rejected += counts.rejected;
      }
      outcome = { kind: 'ok', stored, rejected };
    } catch (error) {
      if (!(error instanceof StopSync)) throw error;
      outcome = error.outcome;
    }
    const previous = await this.status();
    await this.deps.db.put(
      'sync',
      {
        lastAttemptAt: startedAt,
        lastSuccessAt: outcome.kind === 'ok' ? new Date().toISOString() : previous.lastSuccessAt,
        lastOutcome: outcome,
      },
      'status',
    );
    return outcome;
  }

  private async queuedForCurrentUser(): Promise<Conversation[]> {
    const userId = this.deps.session.current?.user.id;
    if (!userId) return [];
    const queued = await this.deps.db.getAllFromIndex('conversations', 'byState', 'queued');
    return queued.filter((conversation) => conversation.userId === userId).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  private async sendBatch(batch: Conversation[]): Promise<{ stored: number; rejected: number }> {
    let rejected = 0;
    const uploads: InterviewUpload[] = [];
    for (const conversation of batch) {
      const photos = await this.uploadPhotos(conversation);
      if ('refused' in photos) {
        await markRejected(this.deps.db, conversation.id, photos.refused);
        rejected++;
        continue;
      }
      uploads.push({
        id: conversation.id,
        slug: conversation.slug,
        version: conversation.version,
        locale: conversation.locale,
        district: conversation.district,
        answers: conversation.answers,
        photos: photos.hashes,
        // The town's day, as the server counts it, whatever time zone the tablet's clock is set to.
        conductedOn: dayInTown(new Date(conversation.createdAt)),
      });
    }
    if (uploads.length === 0) return { stored: 0, rejected };

    const results = await this.guard(() => this.deps.api.syncInterviews(uploads)).catch(async (error: unknown): Promise<InterviewSyncResult[] | null> => {
      // A refusal of the whole batch (too large, malformed) must not block the queue for ever:
      // send one by one, so only the item at fault is rejected.
      if (error instanceof ServerRefusalError && isItemFault(error) && uploads.length > 1) return null;
      if (error instanceof ServerRefusalError && isItemFault(error)) {
        return [{ id: uploads[0]!.id, status: 'rejected', code: error.code, errors: [{ message: error.message }] }];
      }
      throw error;
    });
    if (results === null) {
      const counts = { stored: 0, rejected };
      for (const conversation of batch.filter((c) => uploads.some((upload) => upload.id === c.id))) {
        const single = await this.sendBatch([conversation]);
        counts.stored += single.stored;
        counts.rejected += single.rejected;
      }
      return counts;
    }

    let stored = 0;
    const sent = new Set(uploads.map((upload) => upload.id));
    for (const result of results) {
      if (!sent.has(result.id)) continue;
      if (result.status === 'stored' || result.status === 'duplicate') {
        await markSynced(this.deps.db, result.id);
        stored++;
      } else if (result.status === 'rejected' && result.code === 'photo_not_uploaded') {
        // The server lost a photo this tablet believed uploaded (a restored backup): the Blob is
        // still here, so upload it again next run instead of asking the interviewer to fix anything.
        await forgetPhotoUploads(this.deps.db, result.id);
      } else if (result.status === 'rejected') {
        await markRejected(this.deps.db, result.id, rejectionReasons(result.errors, this.deps.unexplainedRejection()));
        rejected++;
      }
      // Any other answer, or none for an id: it stays queued and goes again next time.
    }
    return { stored, rejected };
  }

  /** Uploads the photos not yet on the server; a photo the server refuses rejects the conversation. */
  private async uploadPhotos(conversation: Conversation): Promise<{ hashes: string[] } | { refused: RejectionReason[] }> {
    const hashes: string[] = [];
    for (const photo of await listPhotos(this.deps.db, conversation.id)) {
      if (photo.uploaded) {
        hashes.push(photo.uploaded.contentHash);
        continue;
      }
      try {
        const uploaded = await this.guard(() => this.deps.api.uploadPhoto(photo.blob));
        await recordPhotoUpload(this.deps.db, photo.id, uploaded);
        hashes.push(uploaded.contentHash);
      } catch (error) {
        if (error instanceof ServerRefusalError && isItemFault(error)) {
          return { refused: [{ question: null, message: error.message }] };
        }
        throw error;
      }
    }
    return { hashes };
  }

  /**
   * Runs one request and turns run-stopping failures into a StopSync: no connection, no session,
   * a server that cannot take data now. A stale CSRF token is refreshed once from `/api/auth/me`.
   */
  private async guard<T>(request: () => Promise<T>, retried = false): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof NoConnectionError) throw new StopSync({ kind: 'offline' });
      if (error instanceof SessionExpiredError) {
        await this.deps.session.markExpired();
        throw new StopSync({ kind: 'login-required' });
      }
      if (error instanceof ServerRefusalError && error.status === 403) {
        if (error.code === 'csrf_failed' && !retried) {
          await this.refreshSession();
          return this.guard(request, true);
        }
        throw new StopSync({ kind: 'forbidden' });
      }
      if (error instanceof ServerRefusalError && !isItemFault(error)) {
        throw new StopSync({ kind: 'server-error', status: error.status });
      }
      throw error;
    }
  }

  private async refreshSession(): Promise<void> {
    try {
      await this.deps.session.save(await this.deps.api.me());
    } catch (error) {
      if (error instanceof SessionExpiredError) {
        await this.deps.session.markExpired();
        throw new StopSync({ kind: 'login-required' });
      }
      throw new StopSync({ kind: 'offline' });
    }
  }
}


/**
 * A refusal caused by what was sent (so resending the same item will fail again): a 4xx other than
 * 401/403 (session), 408 (timeout) and 429 (slow down). Everything else is worth retrying as is.
 */
function isItemFault(error: ServerRefusalError): boolean {
  return error.status >= 400 && error.status < 500 && ![401, 403, 408, 429].includes(error.status);
}
