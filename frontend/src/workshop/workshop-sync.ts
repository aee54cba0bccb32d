import { NoConnectionError, ServerRefusalError, SessionExpiredError, staffJson, type StaffRequestContext } from '../shared/offline/staff-request.ts';
import { SingleRun, type QueueSyncOutcome } from '../shared/offline/single-run.ts';
import type { SyncRunner } from '../shared/offline/sync-scheduler.ts';
import { syncPayload, waitingCount, type WorkshopDatabase } from './store.ts';

export type WorkshopSyncOutcome = QueueSyncOutcome;

const TIMEOUT_MS = 60_000;

/**
 * Sends each finished poster whole (POST /api/workshops/sync) under the tablet's id. The server's
 * `stored` or `duplicate` marks it synced; a refusal (bad input, 409/422) keeps it with the
 * server's reason, to be corrected and sent again; anything unanswered stays queued and goes
 * again unchanged, which the id makes harmless. Driven by the shared sync scheduler, like the
 * interviews' and the event day's queues.
 */
export class WorkshopSync implements SyncRunner {
  private readonly single = new SingleRun('vielstimmig-workshop-sync', () => this.runOnce());

  constructor(
    private readonly db: WorkshopDatabase,
    private readonly context: () => StaffRequestContext | null,
  ) {}

  waitingCount(): Promise<number> {
    return waitingCount(this.db);
  }

  onChange(listener: (running: boolean, outcome: WorkshopSyncOutcome | null) => void): () => void {
    return this.single.onChange(listener);
  }

  run(): Promise<WorkshopSyncOutcome> {
    return this.single.run();
  }

  private async runOnce(): Promise<WorkshopSyncOutcome> {
    const queued = await this.db.getAllFromIndex('workshops', 'byState', 'queued');
    if (queued.length === 0) return { kind: 'nothing-to-do' };
    const context = this.context();
    if (!context) return { kind: 'login-required' };
    let sent = 0;
    let rejected = 0;
    for (const workshop of queued) {
      try {
        await staffJson<{ status: 'stored' | 'duplicate' }>(context, 'POST', '/api/workshops/sync', syncPayload(workshop), TIMEOUT_MS);
        await this.db.put('workshops', { ...workshop, state: 'synced', rejection: null });
        sent++;
      } catch (error) {
        if (error instanceof NoConnectionError) return { kind: 'offline' };
        if (error instanceof SessionExpiredError) return { kind: 'login-required' };
        if (error instanceof ServerRefusalError) {
          if (error.status === 403) return { kind: 'login-required' };
          if (error.status >= 500 || [408, 429].includes(error.status)) return { kind: 'server-error', status: error.status };
          // The same poster would be refused again: kept, with the server's reason, to be corrected.
          const fields = (error.body as { errors?: { field: string; message: string }[] } | null)?.errors ?? [];
          const reason = fields.length > 0 ? `${error.message} (${fields.map((field) => `${field.field}: ${field.message}`).join('; ')})` : error.message;
          await this.db.put('workshops', { ...workshop, state: 'rejected', rejection: reason });
          rejected++;
          continue;
        }
        throw error;
      }
    }
    return { kind: 'ok', sent, rejected };
  }
}
