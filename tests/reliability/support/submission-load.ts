import { randomUUID } from 'node:crypto';
import { BASELINE_SLUG, baselineAnswers, readBaselineDefinition, seededRandom } from './baseline-answers.ts';

/**
 * Many residents submitting at once, each retrying with the same response id until the server
 * acknowledges it (what the respondent page does), against a server whose address may change
 * between attempts (a restarted process gets a new port).
 */

export interface PlannedResponse {
  id: string;
  answers: Record<string, unknown>;
  body: string;
}

export function planBaselineResponses(count: number, options: { version: number; districtCodes: string[]; seed: number }): PlannedResponse[] {
  const definition = readBaselineDefinition();
  const locales = ['de', 'de-x-easy', 'en', 'tr', 'ar', 'ru', 'uk', 'pl', 'fa'];
  return Array.from({ length: count }, (_, index) => {
    const random = seededRandom(options.seed * 100_003 + index);
    const id = randomUUID();
    const answers = baselineAnswers(definition, { districtCodes: options.districtCodes, random });
    const body = JSON.stringify({ id, version: options.version, locale: locales[index % locales.length], answers });
    return { id, answers, body };
  });
}

export interface LoadFigures {
  /** Distinct responses sent at least once. */
  sent: number;
  /** Distinct responses that got a 2xx. */
  acknowledged: number;
  /** HTTP attempts in all, retries included. */
  attempts: number;
  /** Responses that needed more than one attempt. */
  retried: number;
  /** Acknowledgements that were 200 "already stored": the earlier attempt had been stored unheard. */
  acknowledgedAsAlreadyStored: number;
  /** Attempts that ended without any answer (connection refused or reset). */
  connectionFailures: number;
  byStatus: Record<string, number>;
  /** Non-2xx answers that were not `{error:{code,message}}`, or a 503 without Retry-After. */
  malformedErrors: string[];
  /** Refusals a valid response must never get (4xx other than 429, any 500). */
  wrongRefusals: string[];
}

export interface LoadOptions {
  clients: number;
  responses: PlannedResponse[];
  /** The server's current base URL (read on every attempt). */
  baseUrl: () => string;
  /** Longest time the whole load may take; unacknowledged responses are then left so. */
  deadlineMs: number;
  /** Pause before a retry; a 503's Retry-After is honoured up to this much, to keep tests short. */
  retryDelayMs?: number;
  /** Called after every acknowledgement (e.g. to kill the server at the right moment). */
  onAcknowledged?: (acknowledged: number) => void;
  /** Called with every HTTP status received (0: no answer at all). */
  onAttempt?: (status: number) => void;
  /** Clients take no new response once this turns false (those under way are still retried). */
  keepGoing?: () => boolean;
  /**
   * Each client's pause after a response is acknowledged: caps the rate at clients × 1000 / pauseMs
   * per second, so a scenario that must still be sending at a given moment does not run out of
   * planned responses on a fast machine.
   */
  pauseMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runSubmissionLoad(options: LoadOptions): Promise<{ figures: LoadFigures; acknowledgedIds: Set<string> }> {
  const retryDelayMs = options.retryDelayMs ?? 100;
  const deadline = Date.now() + options.deadlineMs;
  const figures: LoadFigures = {
    sent: 0,
    acknowledged: 0,
    attempts: 0,
    retried: 0,
    acknowledgedAsAlreadyStored: 0,
    connectionFailures: 0,
    byStatus: {},
    malformedErrors: [],
    wrongRefusals: [],
  };
  const acknowledgedIds = new Set<string>();
  let next = 0;

  async function submit(response: PlannedResponse): Promise<void> {
    figures.sent += 1;
    for (let attempt = 1; Date.now() < deadline; attempt += 1) {
      if (attempt === 2) figures.retried += 1;
      figures.attempts += 1;
      let status: number;
      let text: string;
      let retryAfter: string | null;
      try {
        const res = await fetch(`${options.baseUrl()}/api/surveys/${BASELINE_SLUG}/responses`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: response.body,
          signal: AbortSignal.timeout(15_000),
        });
        status = res.status;
        retryAfter = res.headers.get('retry-after');
        text = await res.text();
      } catch {
        figures.connectionFailures += 1;
        options.onAttempt?.(0);
        await sleep(retryDelayMs);
        continue;
      }
      figures.byStatus[status] = (figures.byStatus[status] ?? 0) + 1;
      options.onAttempt?.(status);
      if (status === 200 || status === 201) {
        if (status === 200) figures.acknowledgedAsAlreadyStored += 1;
        figures.acknowledged += 1;
        acknowledgedIds.add(response.id);
        options.onAcknowledged?.(figures.acknowledged);
        return;
      }
      if (!isStandardError(text)) figures.malformedErrors.push(`${status}: ${text.slice(0, 300)}`);
      if (status === 503 || status === 429) {
        if (!retryAfter || !(Number(retryAfter) >= 1)) figures.malformedErrors.push(`${status} without Retry-After`);
        await sleep(Math.min(Number(retryAfter) * 1000 || retryDelayMs, retryDelayMs));
        continue;
      }
      figures.wrongRefusals.push(`${status}: ${text.slice(0, 300)}`);
      if (status >= 500) {
        await sleep(retryDelayMs);
        continue;
      }
      return;
    }
  }

  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      while (next < options.responses.length && Date.now() < deadline && (options.keepGoing?.() ?? true)) {
        const response = options.responses[next]!;
        next += 1;
        await submit(response);
        if (options.pauseMs) await sleep(options.pauseMs);
      }
    }),
  );
  return { figures, acknowledgedIds };
}

/** `{error:{code,message}}` and nothing that looks like a stack trace. */
export function isStandardError(text: string): boolean {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return (
      typeof body.error?.code === 'string' &&
      typeof body.error.message === 'string' &&
      !/\bat \S+ \(|node:internal|\.ts:\d+|Error:/.test(text)
    );
  } catch {
    return false;
  }
}
