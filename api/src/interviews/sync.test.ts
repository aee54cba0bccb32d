import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { REPO_ROOT, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { todayInTown } from './service.ts';

const GUIDE_DIR = path.join(REPO_ROOT, 'tests/fixtures/interview-surveys');
const DAY_MS = 24 * 60 * 60 * 1000;
// The guide's version is registered when the test platform starts, so the days an interview can
// have been held on run from today (in the town) to tomorrow.
const today = todayInTown();
const tomorrow = todayInTown(new Date(Date.now() + DAY_MS));

interface SyncResult {
  id: string | null;
  status: 'stored' | 'duplicate' | 'rejected';
  code?: string;
  errors?: { code: string; message: string; question?: string }[];
}

describe('POST /api/interviews/sync', () => {
  let platform: TestPlatform;
  let interviewer: StaffSession;
  let analyst: StaffSession;

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: GUIDE_DIR });
    interviewer = await loginAsDemo(platform.app, 'interviewer');
    analyst = await loginAsDemo(platform.app, 'analyst');
  });
  afterAll(() => platform?.close());

  const interview = (overrides: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    slug: 'field-guide',
    version: 1,
    locale: 'de',
    district: 'worfelden',
    answers: { district: 'worfelden', function: 'club', what_works: 'Der Sportverein trägt viel.', notes_context: 'ruhig' },
    ...overrides,
  });

  async function sync(interviews: unknown[], session = interviewer): Promise<{ status: number; results: SyncResult[] }> {
    const res = await platform.app.request('/api/interviews/sync', {
      method: 'POST',
      headers: session.writeHeaders({ 'content-type': 'application/json', 'accept-language': 'en' }),
      body: JSON.stringify({ interviews }),
    });
    const body = (await res.json()) as { results?: SyncResult[] };
    return { status: res.status, results: body.results ?? [] };
  }

  const countResponses = async (ids: string[]) =>
    ids.length === 0
      ? 0
      : Number(
          (
            await platform.database.db
              .selectFrom('response')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('id', 'in', ids)
              .executeTakeFirstOrThrow()
          ).n,
        );

  async function uploadPhoto(colour: string): Promise<string> {
    const png = await sharp({ create: { width: 32, height: 24, channels: 3, background: colour } }).png().toBuffer();
    const res = await platform.app.request('/api/media', {
      method: 'POST',
      headers: interviewer.writeHeaders({ 'content-type': 'image/png' }),
      body: new Uint8Array(png),
    });
    expect(res.status).toBeLessThan(300);
    return ((await res.json()) as { contentHash: string }).contentHash;
  }

  it('answers per item: stored, rejected with per-question reasons, rejected when malformed', async () => {
    const good = interview({ conductedOn: today });
    const invalid = interview({ answers: { district: 'worfelden', function: 'astronaut' } });
    const malformed = { id: 'not-a-uuid', slug: 'field-guide', version: 1, locale: 'de', answers: {} };
    const { status, results } = await sync([good, invalid, malformed]);
    expect(status).toBe(200);
    expect(results).toHaveLength(3);
    expect(results[0]).toEqual({ id: good.id, status: 'stored' });
    expect(results[1]).toMatchObject({ id: invalid.id, status: 'rejected', code: 'validation_failed' });
    expect(results[1]!.errors!.map((error) => error.question)).toContain('function');
    expect(results[2]).toMatchObject({ id: 'not-a-uuid', status: 'rejected', code: 'invalid_interview' });
    expect(results[2]!.errors![0]!.message).toMatch(/^This conversation arrived incomplete: id/);

    const row = await platform.database.db.selectFrom('response').selectAll().where('id', '=', good.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ mode: 'interview', survey_slug: 'field-guide', district: 'worfelden', channel: null });
    expect(await countResponses([invalid.id])).toBe(0);
    const day = await platform.database.db
      .selectFrom('interview')
      .select(sql<string>`conducted_on::text`.as('day'))
      .where('response_id', '=', good.id)
      .executeTakeFirstOrThrow();
    expect(day.day).toBe(today);
  });

  it('refuses an interview dated before its survey version existed or more than a day ahead, in the app’s language', async () => {
    const items = ['1900-01-01', todayInTown(new Date(Date.now() - 2 * DAY_MS)), todayInTown(new Date(Date.now() + 2 * DAY_MS)), '9999-12-31'].map(
      (conductedOn) => interview({ conductedOn }),
    );
    const { results } = await sync(items);
    for (const [index, result] of results.entries()) {
      expect(result).toMatchObject({ id: items[index]!.id, status: 'rejected', code: 'conducted_on_out_of_range' });
      expect(result.errors![0]!.message).toContain(`between ${today} and ${tomorrow}`);
    }
    expect(await countResponses(items.map((item) => item.id))).toBe(0);
    const edges = [interview({ conductedOn: today }), interview({ conductedOn: tomorrow })];
    expect((await sync(edges)).results.map((result) => result.status)).toEqual(['stored', 'stored']);
  });

  it('keeps the interviewer only as a pseudonymous reference: not the email, not the account id', async () => {
    const item = interview();
    await sync([item]);
    const row = await platform.database.db.selectFrom('response').select('interviewer_ref').where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(row.interviewer_ref).toMatch(/^iv-[0-9a-f]{16}$/);
    expect(row.interviewer_ref).not.toContain(interviewer.user.id);
    expect(row.interviewer_ref).not.toContain(interviewer.user.id.slice(0, 8));
    // Stable across sessions, so field management can count per interviewer.
    const again = await loginAsDemo(platform.app, 'interviewer');
    const second = interview();
    await sync([second], again);
    const other = await platform.database.db.selectFrom('response').select('interviewer_ref').where('id', '=', second.id).executeTakeFirstOrThrow();
    expect(other.interviewer_ref).toBe(row.interviewer_ref);
  });

  it('never duplicates a repeated batch: every item comes back as duplicate', async () => {
    const batch = [interview(), interview(), interview()];
    const first = await sync(batch);
    expect(first.results.map((result) => result.status)).toEqual(['stored', 'stored', 'stored']);
    const second = await sync(batch);
    expect(second.status).toBe(200);
    expect(second.results.map((result) => result.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(await countResponses(batch.map((item) => item.id))).toBe(3);
    const interviews = await platform.database.db
      .selectFrom('interview')
      .select('response_id')
      .where('response_id', 'in', batch.map((item) => item.id))
      .execute();
    expect(interviews).toHaveLength(3);
  });

  it('completes a half-applied batch (first k stored before the connection dropped) with no duplicate', async () => {
    const batch = Array.from({ length: 6 }, () => interview());
    await sync(batch.slice(0, 2));
    const resumed = await sync(batch);
    expect(resumed.results.map((result) => result.status)).toEqual(['duplicate', 'duplicate', 'stored', 'stored', 'stored', 'stored']);
    expect(await countResponses(batch.map((item) => item.id))).toBe(6);
  });

  it('stores an item completely or not at all when the database fails in the middle of it', async () => {
    const photo = await uploadPhoto('#aa3300');
    const batch = [interview(), interview({ photos: [photo] }), interview()];
    // The photo link of item 2 fails after its response row was written in the same transaction.
    await sql`create function fail_photo_link() returns trigger language plpgsql as $$
      begin raise exception 'simulated crash while linking a photo'; end $$`.execute(platform.database.db);
    await sql`create trigger fail_photo_link before insert on interview_photo for each row execute function fail_photo_link()`.execute(
      platform.database.db,
    );
    try {
      const broken = await sync(batch);
      expect(broken.status).toBe(500);
    } finally {
      await sql`drop trigger fail_photo_link on interview_photo`.execute(platform.database.db);
      await sql`drop function fail_photo_link()`.execute(platform.database.db);
    }
    // Item 1 fully stored; item 2 not at all (no response row without its photo link); item 3 not reached.
    expect(await countResponses([batch[0]!.id])).toBe(1);
    expect(await countResponses([batch[1]!.id, batch[2]!.id])).toBe(0);

    const retried = await sync(batch);
    expect(retried.results.map((result) => result.status)).toEqual(['duplicate', 'stored', 'stored']);
    expect(await countResponses(batch.map((item) => item.id))).toBe(3);
    const links = await platform.database.db.selectFrom('interview_photo').selectAll().where('response_id', '=', batch[1]!.id).execute();
    expect(links).toEqual([{ response_id: batch[1]!.id, content_hash: photo, position: 0 }]);
  });

  it('rejects the same id with other answers as response_conflict and keeps the first answers', async () => {
    const item = interview();
    await sync([item]);
    const changed = { ...item, answers: { ...item.answers, what_works: 'Etwas ganz anderes.' } };
    const { results } = await sync([changed]);
    expect(results[0]).toMatchObject({ id: item.id, status: 'rejected', code: 'response_conflict' });
    const row = await platform.database.db.selectFrom('response').select('answers').where('id', '=', item.id).executeTakeFirstOrThrow();
    expect((row.answers as { what_works: string }).what_works).toBe('Der Sportverein trägt viel.');
  });

  it('links uploaded photos by content hash; an unknown photo rejects the item and stores nothing', async () => {
    const photos = [await uploadPhoto('#114477'), await uploadPhoto('#ffcc00')];
    const withPhotos = interview({ photos });
    const missing = interview({ photos: ['f'.repeat(64)] });
    const { results } = await sync([withPhotos, missing]);
    expect(results[0]).toEqual({ id: withPhotos.id, status: 'stored' });
    expect(results[1]).toMatchObject({ id: missing.id, status: 'rejected', code: 'photo_not_uploaded' });
    expect(await countResponses([missing.id])).toBe(0);

    const links = await platform.database.db
      .selectFrom('interview_photo')
      .select(['content_hash', 'position'])
      .where('response_id', '=', withPhotos.id)
      .orderBy('position')
      .execute();
    expect(links).toEqual([
      { content_hash: photos[0], position: 0 },
      { content_hash: photos[1], position: 1 },
    ]);
    // The same interview with the same photos is a duplicate; with other photos a conflict.
    expect((await sync([withPhotos])).results[0]!.status).toBe('duplicate');
    expect((await sync([{ ...withPhotos, photos: [photos[0]] }])).results[0]).toMatchObject({ status: 'rejected', code: 'response_conflict' });
  });

  it('refuses a batch over 50 items as a whole (413), and an empty one (400)', async () => {
    const tooMany = await sync(Array.from({ length: 51 }, () => interview()));
    expect(tooMany.status).toBe(413);
    expect((await sync([])).status).toBe(400);
  });

  it('rejects interviews for a closed survey', async () => {
    const admin = await loginAsDemo(platform.app, 'admin');
    const close = (status: string) =>
      platform.app.request('/api/admin/surveys/field-guide/status', {
        method: 'POST',
        headers: admin.writeHeaders({ 'content-type': 'application/json' }),
        body: JSON.stringify({ status }),
      });
    expect((await close('closed')).status).toBe(200);
    try {
      const { results } = await sync([interview()]);
      expect(results[0]).toMatchObject({ status: 'rejected', code: 'survey_closed' });
    } finally {
      expect((await close('open')).status).toBe(200);
    }
  });

  it('is for interviewers and admins: analysts get 403, no session 401', async () => {
    expect((await sync([interview()], analyst)).status).toBe(403);
    const anonymous = await platform.app.request('/api/interviews/sync', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ interviews: [interview()] }),
    });
    expect(anonymous.status).toBe(401);
  });

  it('GET /overview counts interviews per day, interviewer reference and district, in SQL', async () => {
    const fresh = await openTestPlatform({ surveysDir: GUIDE_DIR });
    try {
      const field = await loginAsDemo(fresh.app, 'interviewer');
      const office = await loginAsDemo(fresh.app, 'analyst');
      const post = (interviews: unknown[]) =>
        fresh.app.request('/api/interviews/sync', {
          method: 'POST',
          headers: field.writeHeaders({ 'content-type': 'application/json' }),
          body: JSON.stringify({ interviews }),
        });
      const inKleinGerau = { district: 'klein-gerau', function: 'school' };
      await post([
        interview({ conductedOn: today }),
        interview({ conductedOn: today }),
        interview({ conductedOn: today, district: 'klein-gerau', answers: inKleinGerau }),
        interview({ conductedOn: tomorrow }),
      ]);
      const res = await fresh.app.request('/api/interviews/overview', { headers: office.headers() });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { rows: { day: string; interviewerRef: string; district: string; slug: string; interviews: number }[]; total: number };
      const ref = body.rows[0]!.interviewerRef;
      expect(ref).toMatch(/^iv-/);
      expect(body.rows).toEqual([
        { day: tomorrow, interviewerRef: ref, district: 'worfelden', slug: 'field-guide', interviews: 1 },
        { day: today, interviewerRef: ref, district: 'klein-gerau', slug: 'field-guide', interviews: 1 },
        { day: today, interviewerRef: ref, district: 'worfelden', slug: 'field-guide', interviews: 2 },
      ]);
      expect(body.total).toBe(4);

      const filtered = await fresh.app.request(`/api/interviews/overview?from=${tomorrow}`, { headers: office.headers() });
      expect(((await filtered.json()) as { total: number }).total).toBe(1);
      expect((await fresh.app.request('/api/interviews/overview', { headers: field.headers() })).status).toBe(403);
      expect((await fresh.app.request('/api/interviews/overview?from=yesterday', { headers: office.headers() })).status).toBe(400);
    } finally {
      await fresh.close();
    }
  });
});
