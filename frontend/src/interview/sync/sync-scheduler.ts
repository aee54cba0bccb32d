import type { SyncEngine } from './sync-engine.ts';

/** How often the app tries again while conversations wait (and the browser believes it is online). */
export const RETRY_INTERVAL_MS = 30_000;

/**
 * Runs the sync by itself: when the connection returns, when the app comes back to the foreground,
 * and every RETRY_INTERVAL_MS while anything waits. `navigator.onLine` can claim a connection that
 * does not reach the server (a hotspot without uplink); a failed attempt costs one request and is
 * simply repeated on the next tick.
 */
export function scheduleSync(engine: SyncEngine, target: Window = window): () => void {
  const attempt = () => {
    if (!target.navigator.onLine) return;
    void engine
      .waitingCount()
      .then((waiting) => (waiting > 0 ? engine.run() : undefined))
      .catch((error: unknown) => console.error('sync attempt failed', error));
  };
  const onVisible = () => {
    if (target.document.visibilityState === 'visible') attempt();
  };
  target.addEventListener('online', attempt);
  target.document.addEventListener('visibilitychange', onVisible);
  const timer = target.setInterval(attempt, RETRY_INTERVAL_MS);
  attempt();
  return () => {
    target.removeEventListener('online', attempt);
    target.document.removeEventListener('visibilitychange', onVisible);
    target.clearInterval(timer);
  };
}
