import sharp from 'sharp';
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
