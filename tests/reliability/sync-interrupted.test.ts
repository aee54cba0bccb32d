import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '../../api/src/demo/demo-accounts.ts';
import { baselineAnswers, INTERVIEW_GUIDE_SLUG, readDefinition, seededRandom } from './support/baseline-answers.ts';
import { startAppUnderTest, type AppUnderTest } from './support/app-under-test.ts';

// A tablet syncs its day of interviews and the connection breaks: after every item of the batch
// in turn, in the middle of a request (aborted), and with the server killed mid-batch. The tablet
// resends the whole batch with the same ids until it hears an answer. Nothing may be lost and
// nothing stored twice, and every interview must be whole (answers, interview record, photos).

const onPostgres = Boolean(process.env.DATABASE_URL);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface SyncResult {
  id: string | null;
  status: 'stored' | 'duplicate' | 'rejected';
}

describe(onPostgres ? 'interviewer sync interrupted (PostgreSQL)' : 'interviewer sync interrupted (embedded database, PGlite)', () => {
  let app: AppUnderTest;
  let session: { cookie: string; csrfToken: string };
  let districtCodes: string[];
  let photo: string;
  const sent = new Map<string, { photos: string[] }>();
  const figures = {
    itemBoundaries: 0,
    abortedRequests: 0,
    resentFindingItemsStored: 0,
    cutDuringUpload: 0,
    killedBatches: 0,
    storedBeforeKill: 0,
    itemsSent: 0,
    storedFirstTime: 0,
    duplicates: 0,
  };

  let adminCookie = '';
  /** Interviews stored so far, from the field overview (works with either database while the app runs). */
  async function interviewsStored(): Promise<number> {
    if (!adminCookie) {
      const admin = demoAccounts.find((account) => account.role === 'admin')!;
      const res = await fetch(`${app.current.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: admin.email, password: admin.password }),
      });
      adminCookie = /vs_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
    }
    const res = await fetch(`${app.current.baseUrl}/api/interviews/overview`, { headers: { cookie: adminCookie } });
    return ((await res.json()) as { total: number }).total;
  }

  async function signIn(): Promise<void> {
    const interviewer = demoAccounts.find((account) => account.role === 'interviewer')!;
    const res = await fetch(`${app.current.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: interviewer.email, password: interviewer.password }),
    });
    expect(res.status).toBe(200);
    const cookie = /vs_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
    session = { cookie, csrfToken: ((await res.json()) as { csrfToken: string }).csrfToken };
  }

  function batch(size: number, seed: number, withPhotos = false, notesLength = 200) {
    const definition = readDefinition(INTERVIEW_GUIDE_SLUG);
    return Array.from({ length: size }, (_, i) => {
      const random = seededRandom(seed * 1_000 + i);
      const answers = baselineAnswers(definition, {
        districtCodes,
        random,
        skipShare: 0.2,
        freeText: (name) => `${name}: ${'Gespräch im Stadtteilzentrum, viele Ideen. '.repeat(Math.ceil(notesLength / 44))}`.slice(0, notesLength),
      });
      const item = {
        id: randomUUID(),
        slug: INTERVIEW_GUIDE_SLUG,
        version: 1,
        locale: 'de',
        answers,
        ...(withPhotos && i % 2 === 0 ? { photos: [photo] } : {}),
      };
      sent.set(item.id, { photos: item.photos ?? [] });
      return item;
    });
  }

  async function sync(items: object[], signal?: AbortSignal): Promise<SyncResult[]> {
    const res = await fetch(`${app.current.baseUrl}/api/interviews/sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      body: JSON.stringify({ interviews: items }),
      signal: signal ?? AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    expect(res.status, text.slice(0, 500)).toBe(200);
    const { results } = JSON.parse(text) as { results: SyncResult[] };
    expect(results.filter((result) => result.status === 'rejected'), text.slice(0, 500)).toEqual([]);
    return results;
  }

  /** What the tablet does: resend the whole batch until an answer arrives. */
  async function syncUntilAnswered(items: { id: string }[]): Promise<SyncResult[]> {
    for (let attempt = 0; attempt < 300; attempt += 1) {
      try {
        return await sync(items);
      } catch (error) {
        if (error instanceof Error && error.name === 'AssertionError') throw error;
        await sleep(100);
      }
    }
    throw new Error('the batch was never answered');
  }

  /**
   * Sends the first `fraction` of the request body and then drops the connection, as a tablet does
   * when it leaves the Wi-Fi while uploading.
   */
  function syncCutDuringUpload(items: object[], fraction: number): Promise<void> {
    const body = Buffer.from(JSON.stringify({ interviews: items }));
    const url = new URL(`${app.current.baseUrl}/api/interviews/sync`);
    return new Promise((resolve) => {
      const request = http.request(url, {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          cookie: session.cookie,
          'x-csrf-token': session.csrfToken,
        },
      });
      request.on('error', () => resolve());
      request.on('response', () => resolve());
      request.write(body.subarray(0, Math.floor(body.length * fraction)), () => {
        setTimeout(() => {
          request.destroy();
          resolve();
        }, 20);
      });
    });
  }

  function tally(results: SyncResult[]) {
    figures.itemsSent += results.length;
    figures.storedFirstTime += results.filter((result) => result.status === 'stored').length;
    figures.duplicates += results.filter((result) => result.status === 'duplicate').length;
  }

  beforeAll(async () => {
    app = await startAppUnderTest({ instruments: ['resident-baseline', INTERVIEW_GUIDE_SLUG] });
    const guide = (await (await fetch(`${app.current.baseUrl}/api/surveys/${INTERVIEW_GUIDE_SLUG}`)).json()) as {
      districts: { code: string }[];
    };
    districtCodes = guide.districts.map((district) => district.code);
    await signIn();
    const image = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c0392b' } }).png().toBuffer();
    const upload = await fetch(`${app.current.baseUrl}/api/media`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      body: image,
    });
    expect(upload.status).toBe(201);
    photo = ((await upload.json()) as { contentHash: string }).contentHash;
  });
  afterAll(async () => {
    console.log(JSON.stringify({ scenario: `sync-interrupted/${app?.kind}`, ...figures }));
    await app?.dispose();
  });

  it('completes a batch cut after every item boundary in turn, with no duplicate', async () => {
    const size = 6;
    for (let k = 0; k <= size; k += 1) {
      const items = batch(size, 100 + k, true);
      if (k > 0) {
        const first = await sync(items.slice(0, k));
        expect(first.map((result) => result.status)).toEqual(Array(k).fill('stored'));
        tally(first);
      }
      const whole = await sync(items);
      expect(whole.map((result) => result.id)).toEqual(items.map((item) => item.id));
      expect(whole.map((result) => result.status)).toEqual([...Array(k).fill('duplicate'), ...Array(size - k).fill('stored')]);
      tally(whole);
      figures.itemBoundaries += 1;
    }
  });

  it('completes batches whose tablet stopped waiting (request aborted) at different moments', { timeout: 120_000 }, async () => {
    for (let round = 0; round < 12; round += 1) {
      const items = batch(10, 200 + round, round % 2 === 0);
      const controller = new AbortController();
      const request = sync(items, controller.signal).then(
        () => 'answered' as const,
        () => 'aborted' as const,
      );
      // From "just sent" to "while the last items are being stored"; the server finishes what it
      // received either way, and the resent batch must find those items as duplicates.
      await sleep(round * 15);
      controller.abort();
      if ((await request) === 'aborted') figures.abortedRequests += 1;
      const results = await syncUntilAnswered(items);
      if (results.some((result) => result.status === 'duplicate')) figures.resentFindingItemsStored += 1;
      expect(results.map((result) => result.id)).toEqual(items.map((item) => item.id));
      expect(results.every((result) => result.status === 'stored' || result.status === 'duplicate')).toBe(true);
      tally(results);
    }
    expect(figures.abortedRequests).toBeGreaterThan(0);
  });

  it('stores nothing from a batch whose upload was cut short, and all of it when it is sent again', { timeout: 120_000 }, async () => {
    for (let round = 0; round < 8; round += 1) {
      const items = batch(8, 250 + round, round % 2 === 1);
      await syncCutDuringUpload(items, round / 8 + 0.05);
      figures.cutDuringUpload += 1;
      const results = await syncUntilAnswered(items);
      // Half a body is no body: not a single item was stored from it.
      expect(results.map((result) => result.status)).toEqual(Array(items.length).fill('stored'));
      tally(results);
    }
  });

  it('completes a batch after the server was killed in the middle of it', { timeout: 180_000 }, async () => {
    const items = batch(50, 300, true, 2_000);
    const storedBefore = await interviewsStored();
    const started = Date.now();
    const request = sync(items).then(
      () => 'answered' as const,
      () => 'cut off' as const,
    );
    // Kill once a few items of the batch are in and most are not.
    // (On PGlite this needs the server to answer the overview while the batch is being stored.)
    while ((await interviewsStored()) < storedBefore + 3 && Date.now() - started < 60_000) await sleep(10);
    await app.current.stop('SIGKILL');
    expect(await request).toBe('cut off');
    figures.killedBatches += 1;
    await app.restart();
    // Sessions live in the database: the tablet's session survived the restart.
    const results = await syncUntilAnswered(items);
    expect(results.map((result) => result.id)).toEqual(items.map((item) => item.id));
    const storedBeforeKill = results.filter((result) => result.status === 'duplicate').length;
    figures.storedBeforeKill += storedBeforeKill;
    // The kill really fell in the middle: part of the batch was in, part was not.
    expect(storedBeforeKill).toBeGreaterThan(0);
    expect(storedBeforeKill).toBeLessThan(items.length);
    tally(results);
    expect(Date.now() - started).toBeLessThan(170_000);
  });

  it('has every interview exactly once, complete with its interview record and photos', async () => {
    expect(await app.current.stop('SIGTERM')).toBe(0);
    const database = await app.openDatabase();
    try {
      const rows = await sql<{ id: string; responses: number; records: number; photos: string[] | null }>`
        select r.id, count(*) over (partition by r.id)::int as responses,
               (select count(*)::int from interview i where i.response_id = r.id) as records,
               (select array_agg(p.content_hash order by p.position) from interview_photo p where p.response_id = r.id) as photos
        from response r where r.mode = 'interview'`.execute(database.db);
      const byId = new Map(rows.rows.map((row) => [row.id, row]));
      const missing = [...sent.keys()].filter((id) => !byId.has(id));
      const incomplete = rows.rows.filter((row) => row.records !== 1);
      const duplicated = rows.rows.filter((row) => row.responses !== 1);
      const wrongPhotos = [...sent].filter(([id, item]) => JSON.stringify(byId.get(id)?.photos ?? []) !== JSON.stringify(item.photos));
      console.log(
        JSON.stringify({
          scenario: `sync-interrupted/${app.kind}/stored`,
          interviewsSent: sent.size,
          stored: rows.rows.length,
          missing: missing.length,
          duplicated: duplicated.length,
          withoutInterviewRecord: incomplete.length,
          wrongPhotos: wrongPhotos.length,
        }),
      );
      expect(missing).toEqual([]);
      expect(duplicated).toEqual([]);
      expect(incomplete).toEqual([]);
      expect(wrongPhotos).toEqual([]);
      expect(rows.rows).toHaveLength(sent.size);
    } finally {
      await database.close();
    }
  });
});
