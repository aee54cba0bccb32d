import sharp from 'sharp';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAsDemo } from '../../../tests/support/staff-session.ts';
import { FIXTURE_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { demoTownSettings } from '../demo/demo-town.ts';
import { createDraft } from '../drafts/index.ts';
import { storeImage } from '../media/index.ts';
import { writeTownSettings } from '../town/index.ts';
import { applyDeletionDates, deletionWarnings } from './deletion-dates.ts';

const ANSWERS_BY = '2028-12-31';
const CONTACTS_BY = '2029-06-30';
const at = (day: string) => new Date(`${day}T03:00:00Z`);

async function tableCounts(platform: TestPlatform) {
  const db = platform.database.db;
  const n = async (table: 'response' | 'interview' | 'interview_photo' | 'media' | 'response_draft' | 'contact' | 'contact_intake' | 'district' | 'app_user' | 'survey_version' | 'target_group' | 'district_population_margin') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const tables = ['response', 'interview', 'interview_photo', 'media', 'response_draft', 'contact', 'contact_intake', 'district', 'app_user', 'survey_version', 'target_group', 'district_population_margin'] as const;
  return Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await n(table)]))) as Record<(typeof tables)[number], number>;
}

describe('deletion dates are kept (fake clock)', () => {
  let platform: TestPlatform;
  let photoHashes: string[];

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
    const db = platform.database.db;
    await writeTownSettings(db, { ...demoTownSettings, answersDeletedBy: ANSWERS_BY, contactsDeletedBy: CONTACTS_BY });

    const response = (mode: 'online' | 'interview') => ({
      id: crypto.randomUUID(),
      survey_slug: 'mini',
      survey_version: 1,
      mode,
      locale: 'de',
      district: 'worfelden',
      channel: null,
      answers: '{}',
      target_groups: JSON.stringify(['young']),
      payload_hash: crypto.randomUUID(),
    });
    const online = [response('online'), response('online'), response('online')];
    const interviews = [response('interview'), response('interview')];
    await db.insertInto('response').values([...online, ...interviews]).execute();
    await db.insertInto('interview').values(interviews.map((r) => ({ response_id: r.id, conducted_on: '2028-05-01' }))).execute();
    photoHashes = [];
    for (const color of ['#c00', '#0c0', '#00c']) {
      const png = await sharp({ create: { width: 24, height: 16, channels: 3, background: color } }).png().toBuffer();
      photoHashes.push((await storeImage({ db, dataDir: platform.dataDir }, png)).contentHash);
    }
    await db
      .insertInto('interview_photo')
      .values([
        { response_id: interviews[0]!.id, content_hash: photoHashes[0]!, position: 0 },
        { response_id: interviews[0]!.id, content_hash: photoHashes[1]!, position: 1 },
        { response_id: interviews[1]!.id, content_hash: photoHashes[2]!, position: 0 },
      ])
      .execute();
    await createDraft({ db }, 'mini', { version: 1, locale: 'de', answers: { q: 1 } });
    await createDraft({ db }, 'mini', { version: 1, locale: 'tr', answers: {} });
    await db
      .insertInto('contact')
      .values([1, 2].map((i) => ({
        id: crypto.randomUUID(),
        withdraw_code_hash: `hash-${i}`,
        name: null,
        email: `person${i}@example.org`,
        phone: null,
        topics: '[]',
        formats: '[]',
        district: null,
        locale: 'de',
        consent_text_version: 'v1',
        created_month: '2026-11',
      })))
      .execute();
    // One opt-in still in the holding table, not yet moved into `contact`: contact details too.
    await db
      .insertInto('contact_intake')
      .values({
        id: crypto.randomUUID(),
        withdraw_code_hash: 'hash-held',
        name: null,
        email: 'held@example.org',
        phone: null,
        topics: '[]',
        formats: '[]',
        district: null,
        locale: 'tr',
        consent_text_version: 'v1',
        accepted_month: '2026-11',
      })
      .execute();
  });
  afterAll(() => platform?.close());

  /** The photos' stored images (in the database since several processes serve them). */
  const photoFiles = async () =>
    (await platform.database.db.selectFrom('media').select('content_hash').where('content_hash', 'in', photoHashes).where('image', 'is not', null).where('thumbnail', 'is not', null).execute());

  it('warns 30 and 7 days before each date', async () => {
    const level = async (day: string) => (await deletionWarnings(platform.database.db, at(day))).map((w) => [w.kind, w.daysLeft, w.level]);
    expect(await level('2028-11-30')).toEqual([['answers', 31, null], ['contacts', 212, null]]);
    expect(await level('2028-12-01')).toEqual([['answers', 30, 'month'], ['contacts', 211, null]]);
    expect(await level('2028-12-24')).toEqual([['answers', 7, 'week'], ['contacts', 188, null]]);
    expect(await level('2029-06-23')).toEqual([['answers', -174, null], ['contacts', 7, 'week']]);
  });

  it('deletes nothing the day before', async () => {
    const before = await tableCounts(platform);
    expect(before).toMatchObject({ response: 5, interview: 2, interview_photo: 3, media: 3, response_draft: 2, contact: 2, contact_intake: 1 });
    expect(await applyDeletionDates({ db: platform.database.db, dataDir: platform.dataDir }, at('2028-12-30'))).toMatchObject({ ran: true, answers: null, contacts: null });
    expect(await tableCounts(platform)).toEqual(before);
    expect(await photoFiles()).toHaveLength(3);
  });

  it('on the answers date deletes responses, interviews, their photos and files, every draft — and nothing else', async () => {
    const before = await tableCounts(platform);
    const outcome = await applyDeletionDates({ db: platform.database.db, dataDir: platform.dataDir }, at(ANSWERS_BY));
    expect(outcome.answers).toEqual({ responses: 5, interviews: 2, interviewPhotos: 3, drafts: 2, photoFiles: 3 });
    expect(outcome.contacts).toBeNull();
    expect(await tableCounts(platform)).toEqual({ ...before, response: 0, interview: 0, interview_photo: 0, media: 0, response_draft: 0 });
    expect(await photoFiles()).toEqual([]);
    // No survey takes answers after the date the welcome page promised.
    const open = await platform.database.db.selectFrom('survey').select('slug').where('status', '=', 'open').execute();
    expect(open).toEqual([]);
    const audit = await platform.database.db.selectFrom('audit_log').select(['actor_id', 'details']).where('action', '=', 'retention.answers_deleted').execute();
    expect(audit).toEqual([{ actor_id: null, details: { deletedBy: ANSWERS_BY, responses: 5, interviews: 2, interviewPhotos: 3, drafts: 2 } }]);
  });

  it('on the contacts date deletes the contacts; repeating the job changes nothing and audits nothing more', async () => {
    const outcome = await applyDeletionDates({ db: platform.database.db, dataDir: platform.dataDir }, at(CONTACTS_BY));
    expect(outcome.contacts).toBe(3);
    const after = await tableCounts(platform);
    expect(after.contact).toBe(0);
    expect(after.contact_intake).toBe(0);
    expect(after).toMatchObject({ district: 3, app_user: 3 });
    expect(after.survey_version).toBeGreaterThan(0);
    expect(after.target_group).toBeGreaterThan(0);
    await applyDeletionDates({ db: platform.database.db, dataDir: platform.dataDir }, at('2029-07-01'));
    expect(await tableCounts(platform)).toEqual(after);
    const entries = await platform.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'retention.%').execute();
    expect(entries.map((e) => e.action).sort()).toEqual(['retention.answers_deleted', 'retention.contacts_deleted']);
  });

  it('shows the warnings to admins only', async () => {
    const admin = await loginAsDemo(platform.app, 'admin');
    const res = await platform.app.request('/api/admin/retention', { headers: admin.headers() });
    expect(res.status).toBe(200);
    const { warnings } = (await res.json()) as { warnings: { kind: string; date: string }[] };
    expect(warnings.map((w) => [w.kind, w.date])).toEqual([['answers', ANSWERS_BY], ['contacts', CONTACTS_BY]]);
  });
});

describe("a survey's own deletion date (fake clock)", () => {
  let platform: TestPlatform;
  let admin: Awaited<ReturnType<typeof loginAsDemo>>;
  const TOWN_BY = '2099-12-31';
  const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  // The route checks against the real clock; the job then runs on a fake one.
  const SURVEY_BY = addDays(new Date().toISOString().slice(0, 10), 40);
  let sharedHash: string;
  let miniOnlyHashes: string[];

  const countsOf = async (slug: string) => {
    const db = platform.database.db;
    const ofSurvey = (table: 'response' | 'response_draft') =>
      db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('survey_slug', '=', slug).executeTakeFirstOrThrow().then((r) => Number(r.n));
    const interviews = Number((await db.selectFrom('interview').innerJoin('response', 'response.id', 'interview.response_id').select((eb) => eb.fn.countAll<number>().as('n')).where('response.survey_slug', '=', slug).executeTakeFirstOrThrow()).n);
    const photos = Number((await db.selectFrom('interview_photo').innerJoin('response', 'response.id', 'interview_photo.response_id').select((eb) => eb.fn.countAll<number>().as('n')).where('response.survey_slug', '=', slug).executeTakeFirstOrThrow()).n);
    return { responses: await ofSurvey('response'), drafts: await ofSurvey('response_draft'), interviews, photos };
  };
  const setDate = (slug: string, answersDeletedBy: string | null, session = admin) =>
    platform.app.request(`/api/admin/surveys/${slug}/deletion-date`, { method: 'PUT', headers: session.writeHeaders({ 'content-type': 'application/json', 'accept-language': 'de' }), body: JSON.stringify({ answersDeletedBy }) });

  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: FIXTURE_SURVEYS_DIR });
    const db = platform.database.db;
    await writeTownSettings(db, { ...demoTownSettings, answersDeletedBy: TOWN_BY, contactsDeletedBy: TOWN_BY });
    await db.updateTable('survey').set({ status: 'open' }).execute();
    admin = await loginAsDemo(platform.app, 'admin');

    const response = (slug: string, mode: 'online' | 'interview') => ({
      id: crypto.randomUUID(), survey_slug: slug, survey_version: 1, mode, locale: 'de', district: 'worfelden', channel: null,
      answers: '{}', target_groups: JSON.stringify(['young']), payload_hash: crypto.randomUUID(),
    });
    const mini = [response('mini', 'online'), response('mini', 'online'), response('mini', 'interview')];
    const other = [response('conditional', 'online'), response('conditional', 'interview')];
    await db.insertInto('response').values([...mini, ...other]).execute();
    await db.insertInto('interview').values([mini[2]!, other[1]!].map((r) => ({ response_id: r.id, conducted_on: '2027-01-10' }))).execute();
    const hashes: string[] = [];
    for (const color of ['#a00', '#0a0', '#00a']) {
      const png = await sharp({ create: { width: 20, height: 12, channels: 3, background: color } }).png().toBuffer();
      hashes.push((await storeImage({ db, dataDir: platform.dataDir }, png)).contentHash);
    }
    miniOnlyHashes = [hashes[0]!, hashes[1]!];
    sharedHash = hashes[2]!;
    // The third photo shows up in both surveys' interviews: it stays while the other survey links it.
    await db.insertInto('interview_photo').values([
      { response_id: mini[2]!.id, content_hash: hashes[0]!, position: 0 },
      { response_id: mini[2]!.id, content_hash: hashes[1]!, position: 1 },
      { response_id: mini[2]!.id, content_hash: sharedHash, position: 2 },
      { response_id: other[1]!.id, content_hash: sharedHash, position: 0 },
    ]).execute();
    await createDraft({ db }, 'mini', { version: 1, locale: 'de', answers: { q: 1 } });
    await createDraft({ db }, 'conditional', { version: 1, locale: 'de', answers: {} });
    await db.insertInto('contact').values({
      id: crypto.randomUUID(), withdraw_code_hash: 'hash-x', name: null, email: 'someone@example.org', phone: null, topics: '[]', formats: '[]',
      district: null, locale: 'de', consent_text_version: 'v1', created_month: '2026-11',
    }).execute();
  });
  afterAll(() => platform?.close());

  it('refuses a date later than the town\'s, today or earlier, and anyone but an admin', async () => {
    const later = await setDate('mini', addDays(TOWN_BY, 1));
    expect(later.status).toBe(422);
    const body = (await later.json()) as { errors: { field: string; code: string; message: string }[] };
    expect(body.errors).toEqual([{ field: 'answersDeletedBy', code: 'field_date_after_town', message: expect.stringContaining(TOWN_BY) }]);
    const past = await setDate('mini', new Date().toISOString().slice(0, 10));
    expect(((await past.json()) as { errors: { code: string }[] }).errors.map((e) => e.code)).toEqual(['field_date_not_future']);
    expect((await setDate('mini', '2027-02-30')).status).toBe(422);
    const analyst = await loginAsDemo(platform.app, 'analyst');
    expect((await setDate('mini', SURVEY_BY, analyst)).status).toBe(403);
    expect((await setDate('nope', SURVEY_BY)).status).toBe(404);
    const stored = await platform.database.db.selectFrom('survey').select('slug').where('answers_deleted_by', 'is not', null).execute();
    expect(stored).toEqual([]);
  });

  it('keeps the town\'s date too: exactly the town\'s date is accepted, and null removes the date', async () => {
    expect((await setDate('conditional', TOWN_BY)).status).toBe(200);
    expect((await setDate('conditional', null)).status).toBe(200);
    const audit = await platform.database.db.selectFrom('audit_log').select(['target', 'details']).where('action', '=', 'survey.deletion_date').orderBy('id').execute();
    expect(audit).toEqual([
      { target: 'conditional', details: { answersDeletedBy: { previous: null, now: TOWN_BY } } },
      { target: 'conditional', details: { answersDeletedBy: { previous: TOWN_BY, now: null } } },
    ]);
  });

  it('sets the date; the admin list, the survey JSON (welcome page) and the warnings show it', async () => {
    const res = await setDate('mini', SURVEY_BY);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ slug: 'mini', answersDeletedBy: SURVEY_BY });
    const list = (await (await platform.app.request('/api/admin/surveys', { headers: admin.headers() })).json()) as { surveys: { slug: string; answersDeletedBy: string | null }[] };
    expect(list.surveys.map((s) => [s.slug, s.answersDeletedBy])).toEqual([['conditional', null], ['guide-mini', null], ['mini', SURVEY_BY]]);
    const json = (await (await platform.app.request('/api/surveys/mini')).json()) as { answersDeletedBy: string | null };
    expect(json.answersDeletedBy).toBe(SURVEY_BY);
    const other = (await (await platform.app.request('/api/surveys/conditional')).json()) as { answersDeletedBy: string | null };
    expect(other.answersDeletedBy).toBeNull();
    const level = async (day: string) => (await deletionWarnings(platform.database.db, at(day))).filter((w) => w.kind === 'surveyAnswers').map((w) => [w.survey, w.daysLeft, w.level]);
    expect(await level(addDays(SURVEY_BY, -31))).toEqual([['mini', 31, null]]);
    expect(await level(addDays(SURVEY_BY, -30))).toEqual([['mini', 30, 'month']]);
    expect(await level(addDays(SURVEY_BY, -7))).toEqual([['mini', 7, 'week']]);
  });

  it('deletes nothing the day before', async () => {
    const before = [await countsOf('mini'), await countsOf('conditional'), await tableCounts(platform)];
    const outcome = await applyDeletionDates({ db: platform.database.db, dataDir: platform.dataDir }, at(addDays(SURVEY_BY, -1)));
    expect(outcome).toMatchObject({ ran: true, answers: null, contacts: null, surveys: [] });
    expect([await countsOf('mini'), await countsOf('conditional'), await tableCounts(platform)]).toEqual(before);
  });

  it('a crash in the middle (the audit entry fails, after the deletions) leaves everything as it was', async () => {
    const db = platform.database.db;
    const before = [await countsOf('mini'), await tableCounts(platform)];
    // A real failure inside the job's transaction, at its last write: nothing may stay half-deleted.
    await sql`create function fail_retention_audit() returns trigger language plpgsql as $$
      begin if new.action = 'retention.survey_answers_deleted' then raise exception 'simulated crash'; end if; return new; end $$`.execute(db);
    await sql`create trigger fail_retention_audit before insert on audit_log for each row execute function fail_retention_audit()`.execute(db);
    try {
      await expect(applyDeletionDates({ db, dataDir: platform.dataDir }, at(SURVEY_BY))).rejects.toThrow();
    } finally {
      await sql`drop trigger fail_retention_audit on audit_log`.execute(db);
      await sql`drop function fail_retention_audit()`.execute(db);
    }
    expect([await countsOf('mini'), await tableCounts(platform)]).toEqual(before);
    const status = await db.selectFrom('survey').select('status').where('slug', '=', 'mini').executeTakeFirstOrThrow();
    expect(status.status).toBe('open');
  });

  it('on the survey\'s date (run again after the crash) deletes exactly that survey\'s data, closes it and audits counts', async () => {
    const db = platform.database.db;
    const otherBefore = await countsOf('conditional');
    const before = await tableCounts(platform);
    expect(await countsOf('mini')).toEqual({ responses: 3, drafts: 1, interviews: 1, photos: 3 });
    const outcome = await applyDeletionDates({ db, dataDir: platform.dataDir }, at(SURVEY_BY));
    expect(outcome.answers).toBeNull();
    expect(outcome.contacts).toBeNull();
    expect(outcome.surveys).toEqual([{ slug: 'mini', deletedBy: SURVEY_BY, responses: 3, interviews: 1, interviewPhotos: 3, drafts: 1, photoFiles: 2 }]);
    expect(await countsOf('mini')).toEqual({ responses: 0, drafts: 0, interviews: 0, photos: 0 });
    expect(await countsOf('conditional')).toEqual(otherBefore);
    expect(await tableCounts(platform)).toEqual({ ...before, response: before.response - 3, interview: before.interview - 1, interview_photo: before.interview_photo - 3, media: before.media - 2, response_draft: before.response_draft - 1 });
    // The photos only that survey showed are gone with their bytes; the shared one stays, the contact too.
    const media = await db.selectFrom('media').select('content_hash').execute();
    expect(media.map((m) => m.content_hash)).toEqual([sharedHash]);
    expect(miniOnlyHashes.some((hash) => media.some((m) => m.content_hash === hash))).toBe(false);
    expect((await tableCounts(platform)).contact).toBe(1);
    const surveys = await db.selectFrom('survey').select(['slug', 'status']).orderBy('slug').execute();
    expect(surveys).toEqual([{ slug: 'conditional', status: 'open' }, { slug: 'guide-mini', status: 'open' }, { slug: 'mini', status: 'closed' }]);
    const audit = await db.selectFrom('audit_log').select(['actor_id', 'target', 'details']).where('action', '=', 'retention.survey_answers_deleted').execute();
    expect(audit).toEqual([{ actor_id: null, target: 'mini', details: { deletedBy: SURVEY_BY, responses: 3, interviews: 1, interviewPhotos: 3, drafts: 1, photoFiles: 2 } }]);
    // Repeating it (the timer, a restart) changes nothing and audits nothing more.
    const after = await tableCounts(platform);
    await applyDeletionDates({ db, dataDir: platform.dataDir }, at(addDays(SURVEY_BY, 1)));
    expect(await tableCounts(platform)).toEqual(after);
    expect(await db.selectFrom('audit_log').select('id').where('action', '=', 'retention.survey_answers_deleted').execute()).toHaveLength(1);
  });
});
