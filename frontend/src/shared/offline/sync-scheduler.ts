/** What a run ended with; the scheduler only tells transient failures from the rest. */
export interface RunOutcome {
  kind: string;
}

/** A queue that can say how much waits and send it (the interviews', the event day's). */
export interface SyncRunner {
  waitingCount(): Promise<number>;
  run(): Promise<RunOutcome>;
}

/** How often an offline app looks for waiting work when the last attempt did not fail. */
export const CHECK_INTERVAL_MS = 30_000;
/** After failed attempts (no connection, server trouble): try again sooner, then back off. */
export const RETRY_DELAYS_MS = [5_000, 10_000, 20_000, 30_000] as const;

/** The wait before the next attempt, given how many attempts in a row could not reach the server. */
export function nextDelay(failuresInARow: number): number {
  if (failuresInARow <= 0) return CHECK_INTERVAL_MS;
  return RETRY_DELAYS_MS[Math.min(failuresInARow, RETRY_DELAYS_MS.length) - 1]!;
}

/** Outcomes worth retrying soon: the cause may be gone in seconds. A missing login is not. */
function isTransientFailure(outcome: RunOutcome): boolean {
  return outcome.kind === 'offline' || outcome.kind === 'server-error';
}

/**
 * Runs the sync by itself: when the connection returns, when the app comes back to the foreground,
 * and on a timer while anything waits. `navigator.onLine` is only a hint — it can claim a connection
 * that does not reach the server (a hotspot without uplink), or miss the moment one returns — so a
 * failed attempt is retried after 5, 10, 20, then every 30 seconds, not only on the `online` event.
 */
export function scheduleSync(engine: SyncRunner, target: Window = window): () => void {
  let failuresInARow = 0;
  let timer: number | undefined;
  let stopped = false;

  const planNext = () => {
    target.clearTimeout(timer);
    if (!stopped) timer = target.setTimeout(() => void attempt(), nextDelay(failuresInARow));
  };
  const attempt = async () => {
    try {
      if (target.navigator.onLine && (await engine.waitingCount()) > 0) {
        const outcome = await engine.run();
        failuresInARow = isTransientFailure(outcome) ? failuresInARow + 1 : 0;
      }
    } catch (error) {
      failuresInARow++;
      console.error('sync attempt failed', error);
    } finally {
      planNext();
    }
  };
  const attemptNow = () => {
    failuresInARow = 0;
    void attempt();
  };
  const onVisible = () => {
    if (target.document.visibilityState === 'visible') attemptNow();
  };
  target.addEventListener('online', attemptNow);
  target.document.addEventListener('visibilitychange', onVisible);
  void attempt();
  return () => {
    stopped = true;
    target.clearTimeout(timer);
    target.removeEventListener('online', attemptNow);
    target.document.removeEventListener('visibilitychange', onVisible);
  };
}
