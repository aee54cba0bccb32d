import {
  NoConnectionError,
  sendStaffRequest,
  ServerRefusalError,
  SessionExpiredError,
  staffJson,
  type StaffRequestContext,
} from '../shared/offline/staff-request.ts';
import { SingleRun, type QueueSyncOutcome } from '../shared/offline/single-run.ts';
import type { SyncRunner } from '../shared/offline/sync-scheduler.ts';
import { forgetDay, type EventDayDatabase } from './store.ts';

export type DaySyncOutcome = QueueSyncOutcome;

interface ItemResult {
  id: string | null;
  status: 'stored' | 'duplicate' | 'rejected';
  message?: string;
}

const BATCH = 100;
const TIMEOUT_MS = { items: 60_000, photo: 120_000 } as const;

class Stop extends Error {
  constructor(readonly outcome: DaySyncOutcome) {
    super(outcome.kind);
  }
}

/**
 * Sends what the tablet recorded: photos one by one (PUT under the tablet's id), then the other
 * items in batches. Only the server's `stored` or `duplicate` marks an item synced; `rejected`
 * keeps it with the server's reason; anything unanswered stays queued and goes again unchanged —
 * the ids make the repeat harmless. After a complete sync of a day that has ended, the downloaded
 * list (the names) is deleted from the tablet.
 */
export class DaySync implements SyncRunner {
  private readonly single = new SingleRun('vielstimmig-event-day-sync', () => this.runOnce());

  constructor(
    private readonly db: EventDayDatabase,
    private readonly context: () => StaffRequestContext | null,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async waitingCount(): Promise<number> {
    return (await this.db.countFromIndex('items', 'byState', 'queued')) + (await this.db.countFromIndex('photos', 'byState', 'queued'));
  }

  onChange(listener: (running: boolean, outcome: DaySyncOutcome | null) => void): () => void {
    return this.single.onChange(listener);
  }

  run(): Promise<DaySyncOutcome> {
    return this.single.run();
  }

  private async runOnce(): Promise<DaySyncOutcome> {
    if ((await this.waitingCount()) === 0) return { kind: 'nothing-to-do' };
    const context = this.context();
    if (!context) return { kind: 'login-required' };
    try {
      let sent = 0;
      let rejected = 0;
      const events = new Set<string>();
      for (const photo of await this.db.getAllFromIndex('photos', 'byState', 'queued')) {
        events.add(photo.eventId);
        const outcome = await this.sendPhoto(context, photo.eventId, photo.id, photo.blob!);
        if (outcome.ok) {
          await this.db.put('photos', { ...photo, blob: null, state: 'synced', rejection: null });
          sent++;
        } else {
          await this.db.put('photos', { ...photo, state: 'rejected', rejection: outcome.message });
          rejected++;
        }
      }
      const queued = (await this.db.getAllFromIndex('items', 'byState', 'queued')).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      const byEvent = new Map<string, typeof queued>();
      for (const item of queued) byEvent.set(item.eventId, [...(byEvent.get(item.eventId) ?? []), item]);
      for (const [eventId, items] of byEvent) {
        events.add(eventId);
        for (let start = 0; start < items.length; start += BATCH) {
          const batch = items.slice(start, start + BATCH);
          let results: ItemResult[];
          try {
            ({ results } = await this.guard(() =>
              staffJson<{ results: ItemResult[] }>(context, 'POST', `/api/events/${eventId}/day/sync`, { items: batch.map((item) => item.payload) }, TIMEOUT_MS.items),
            ));
          } catch (error) {
            // The whole batch refused (the event is gone or back to draft): each item keeps the reason.
            if (!(error instanceof ServerRefusalError)) throw error;
            results = batch.map((item) => ({ id: item.id, status: 'rejected', message: error.message }));
          }
          const byId = new Map(batch.map((item) => [item.id, item]));
          for (const result of results) {
            const item = result.id ? byId.get(result.id) : undefined;
            if (!item) continue;
            if (result.status === 'stored' || result.status === 'duplicate') {
              await this.db.put('items', { ...item, state: 'synced', rejection: null });
              sent++;
            } else if (result.status === 'rejected') {
              await this.db.put('items', { ...item, state: 'rejected', rejection: result.message ?? '' });
              rejected++;
            }
          }
        }
      }
      await this.forgetListsOfEndedDays(events);
      return { kind: 'ok', sent, rejected };
    } catch (error) {
      if (error instanceof Stop) return error.outcome;
      throw error;
    }
  }

  /** A day that has ended and has nothing left to send needs its list no more. */
  private async forgetListsOfEndedDays(events: Set<string>): Promise<void> {
    for (const eventId of events) {
      const day = await this.db.get('days', eventId);
      if (!day || Date.parse(day.endsAt) > this.now()) continue;
      const waiting = [...(await this.db.getAllFromIndex('items', 'byEvent', eventId)), ...(await this.db.getAllFromIndex('photos', 'byEvent', eventId))].some((record) => record.state === 'queued');
      if (!waiting) await forgetDay(this.db, eventId);
    }
  }

  private async sendPhoto(context: StaffRequestContext, eventId: string, photoId: string, blob: Blob): Promise<{ ok: true } | { ok: false; message: string }> {
    const type = blob.type.startsWith('image/') ? blob.type : 'image/jpeg';
    try {
      await this.guard(() => sendStaffRequest(context, 'PUT', `/api/events/${eventId}/day/photos/${photoId}`, blob, type, TIMEOUT_MS.photo));
      return { ok: true };
    } catch (error) {
      // Not an image, too large: the same photo would be refused again.
      if (error instanceof ServerRefusalError && error.status >= 400 && error.status < 500) return { ok: false, message: error.message };
      throw error;
    }
  }

  private async guard<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof NoConnectionError) throw new Stop({ kind: 'offline' });
      if (error instanceof SessionExpiredError) throw new Stop({ kind: 'login-required' });
      if (error instanceof ServerRefusalError && (error.status === 403 || error.status >= 500 || [408, 429].includes(error.status))) {
        throw new Stop(error.status === 403 ? { kind: 'login-required' } : { kind: 'server-error', status: error.status });
      }
      throw error;
    }
  }
}
