import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResponses } from '../support/insert-responses.ts';
import { loginAsDemo, type StaffSession } from '../support/staff-session.ts';
import { openTestPlatform, type TestPlatform } from '../support/test-platform.ts';
import { BASELINE_SLUG, baselineAnswers, readBaselineDefinition, seededRandom } from './support/baseline-answers.ts';

/**
 * Issue #16: one raw-data download froze the whole server on the embedded database. The line
 * expression (~250 cells joined by `||`) overflowed PGlite's WebAssembly stack; the statement
 * failed and PGlite answered no one after it. Here the baseline's raw export runs over enough
 * responses for several pages, and while it streams a resident submits and /health is asked:
 * both must be answered before the export has finished, and the export must be complete. The file
 * is the full raw one (admin, with a reason): the one that froze. 3,000 responses make 15 pages, so
 * the submission's dozen statements find their turns between the pages.
 */
const RESPONSES = 3_000;

describe('a raw export on a busy server', () => {
  let platform: TestPlatform;
  let admin: StaffSession;
  let version: number;
  let answers: Record<string, unknown>[];

  beforeAll(async () => {
    platform = await openTestPlatform();
    const survey = (await (await platform.app.request(`/api/surveys/${BASELINE_SLUG}`)).json()) as { version: number; districts: { code: string }[] };
    version = survey.version;
    const districtCodes = survey.districts.map((district) => district.code);
    const definition = readBaselineDefinition();
    answers = Array.from({ length: 40 }, (_, i) => baselineAnswers(definition, { districtCodes, random: seededRandom(4100 + i) }));
    await insertResponses(
      platform.database.db,
      Array.from({ length: RESPONSES }, (_, i) => ({ slug: BASELINE_SLUG, version, answers: answers[i % answers.length]! })),
    );
    admin = await loginAsDemo(platform.app, 'admin');
  }, 300_000);
  afterAll(async () => {
    await platform?.close();
  });

  it('streams every response while a submission and /health are answered in between', async () => {
    const events: string[] = [];
    const response = await platform.app.request(`/api/analysis/${BASELINE_SLUG}/responses.csv?variant=full&reason=${encodeURIComponent('reliability test of the raw export')}`, {
      headers: admin.headers(),
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value, { stream: true });
    events.push('export started');

    const health = Promise.resolve(platform.app.request('/health')).then(async (res) => {
      events.push('health answered');
      return { status: res.status, body: await res.json() };
    });
    const submission = Promise.resolve(
      platform.app.request(`/api/surveys/${BASELINE_SLUG}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: randomUUID(), version, locale: 'de', answers: answers[0] }),
      }),
    ).then(async (res) => {
        events.push('submission answered');
        return { status: res.status, body: await res.text() };
      });

    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    events.push('export finished');

    expect((await health).status).toBe(200);
    const stored = await submission;
    expect(stored.status, stored.body).toBe(201);
    // On PGlite everyone shares one connection, so the order shows the export made way. On
    // PostgreSQL the export has connections of its own and may well finish first (0.1 s).
    if (platform.database.kind === 'pglite') {
      expect(events.indexOf('health answered')).toBeLessThan(events.indexOf('export finished'));
      expect(events.indexOf('submission answered')).toBeLessThan(events.indexOf('export finished'));
    }
    // Header plus one line per response that existed when the export began (the new one may or may
    // not be in it, depending on which page it landed in), each ending in CRLF.
    const lines = text.split('\r\n').filter((line) => line !== '');
    expect(lines.length - 1).toBeGreaterThanOrEqual(RESPONSES);
    expect(lines.length - 1).toBeLessThanOrEqual(RESPONSES + 1);
    const rowNumbers = lines.slice(1).map((line) => Number(line.split(',')[0]));
    expect(rowNumbers).toEqual(rowNumbers.map((_, i) => i + 1));
  }, 300_000);
});
