/** What a staff tablet's queue sync ends with (the event day's and the workshop's queues alike). */
export type QueueSyncOutcome =
  | { kind: 'ok'; sent: number; rejected: number }
  | { kind: 'nothing-to-do' }
  | { kind: 'offline' }
  | { kind: 'login-required' }
  | { kind: 'server-error'; status: number };

/**
 * One run of a queue's sync at a time: a call while one is running joins it, and two tabs sharing
 * one queue (IndexedDB) are kept from sending it at once by the Web Locks API — the tab that does
 * not get the lock answers `nothing-to-do`, the other tab is sending the same queue. Listeners hear
 * when a run starts (`running` true, no outcome) and how it ended.
 */
export class SingleRun {
  private running: Promise<QueueSyncOutcome> | null = null;
  private readonly listeners = new Set<(running: boolean, outcome: QueueSyncOutcome | null) => void>();

  constructor(
    private readonly lockName: string,
    private readonly once: () => Promise<QueueSyncOutcome>,
  ) {}

  onChange(listener: (running: boolean, outcome: QueueSyncOutcome | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  run(): Promise<QueueSyncOutcome> {
    if (!this.running) {
      for (const listener of this.listeners) listener(true, null);
      const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
      const busy: QueueSyncOutcome = { kind: 'nothing-to-do' };
      const run: Promise<QueueSyncOutcome> = locks
        ? (locks.request(this.lockName, { ifAvailable: true }, (lock) => (lock ? this.once() : busy)) as Promise<QueueSyncOutcome>)
        : this.once();
      this.running = run.finally(() => {
        this.running = null;
      });
      void this.running.then(
        (outcome) => this.listeners.forEach((listener) => listener(false, outcome)),
        () => this.listeners.forEach((listener) => listener(false, null)),
      );
    }
    return this.running;
  }
}
