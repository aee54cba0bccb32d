import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResponses, type SeededResponse } from '../../../../tests/support/insert-responses.ts';
import { loginAsDemo, type StaffSession } from '../../../../tests/support/staff-session.ts';
import { openTestPlatform, type TestPlatform } from '../../../../tests/support/test-platform.ts';
import { FREE_TEXT_PAGE_SIZE } from './index.ts';

const BASELINE = 'resident-baseline';
const GUIDE = 'interview-guide';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

let platform: TestPlatform;
let analyst: StaffSession;
let admin: StaffSession;
let interviewer: StaffSession;
/** The interview photo, one linked to a resident's response instead, and one nobody linked. */
const photo = { guide: '', baseline: '', unlinked: '' };

/**
 * The seed (k = 5, the demo town's threshold): Worfelden 10 responses (6 seniors), Klein-Gerau 25
 * (no seniors), Büttelborn 3. Each text names its writer (`KG-07 …`) so the test can tell whose it is.
 */
function baselineResponses(): SeededResponse[] {
  const responses: SeededResponse[] = [];
  const add = (district: string, tag: string, count: number, seniors: number) => {
    for (let i = 0; i < count; i += 1) {
      const senior = i < seniors;
      const writer = `${tag}-${String(i).padStart(2, '0')}`;
      responses.push({
        slug: BASELINE,
        district,
        answers: {
          age_band: senior ? '65-74' : '31-44',
          improvement_ideas: i === count - 1 && tag === 'KG' ? '   ' : `${writer} ${senior ? 'senior' : 'other'}: more benches by the pond`,
          languages_home: ['german', 'other'],
          'languages_home-Comment': `${writer} speaks Frisian`,
        },
        targetGroups: senior ? ['seniors'] : [],
        submittedAt: new Date(Date.UTC(2026, 9, 3 + i, 14, 37, 12)),
      });
    }
  };
  add('worfelden', 'W', 10, 6);
  add('klein-gerau', 'KG', 25, 0);
  add('buettelborn', 'B', 3, 0);
  return responses;
}

async function uploadPhoto(colour: { r: number; g: number; b: number }): Promise<string> {
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: colour } }).png().toBuffer();
  const response = await platform.app.request('/api/media', { method: 'POST', headers: interviewer.writeHeaders({ 'content-type': 'image/png' }), body: new Uint8Array(png) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { contentHash: string }).contentHash;
}

beforeAll(async () => {
  platform = await openTestPlatform();
  analyst = await loginAsDemo(platform.app, 'analyst');
  admin = await loginAsDemo(platform.app, 'admin');
  interviewer = await loginAsDemo(platform.app, 'interviewer');
  const db = platform.database.db;
  const baselineIds = await insertResponses(db, baselineResponses());

  const interviews: SeededResponse[] = Array.from({ length: 6 }, (_, i) => ({
    slug: GUIDE,
    mode: 'interview',
    district: 'worfelden',
    answers: { function: 'school', notes_context: `Interview ${i}: talked at the school gate`, works_well: `Interview ${i} works well` },
    submittedAt: new Date(Date.UTC(2026, 10, 2, 9, i)),
  }));
  const interviewIds = await insertResponses(db, interviews);
  photo.guide = await uploadPhoto({ r: 200, g: 40, b: 40 });
  photo.baseline = await uploadPhoto({ r: 40, g: 200, b: 40 });
  photo.unlinked = await uploadPhoto({ r: 40, g: 40, b: 200 });
  await db.insertInto('interview').values([...interviewIds, baselineIds[0]!].map((id) => ({ response_id: id, conducted_on: '2026-11-02' }))).execute();
  await db
    .insertInto('interview_photo')
    .values([
      { response_id: interviewIds[0]!, content_hash: photo.guide, position: 0 },
      { response_id: baselineIds[0]!, content_hash: photo.baseline, position: 0 },
    ])
    .execute();
});
afterAll(async () => {
  await platform?.close();
});

interface ReaderPage {
  k: number;
  questions: { key: string; kind: string; label: string }[];
  filters: { districts: { code: string; label: string }[]; targetGroups: { code: string; label: string }[] };
  order: string;
  page: number;
  pageSize: number;
  total: number;
  pages: number;
  entries: { text: string; month: string; photos?: { image: string; thumbnail: string; width: number; height: number }[] }[];
}

const readerUrl = (slug: string, params: Record<string, string | number>) =>
  `/api/analysis/${slug}/free-text?${new URLSearchParams(Object.entries(params).map(([key, value]) => [key, String(value)]))}`;

async function read(slug: string, params: Record<string, string | number>, session: StaffSession = analyst): Promise<ReaderPage> {
  const response = await platform.app.request(readerUrl(slug, params), { headers: session.headers({ 'accept-language': 'en' }) });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(response.headers.get('cache-control')).toBe('private, no-store');
  return JSON.parse(text) as ReaderPage;
}

/** Every text of a selection, all pages. */
async function readAll(slug: string, params: Record<string, string | number>): Promise<string[]> {
  const first = await read(slug, params);
  const texts = first.entries.map((entry) => entry.text);
  for (let page = 2; page <= first.pages; page += 1) texts.push(...(await read(slug, { ...params, order: first.order, page })).entries.map((entry) => entry.text));
  return texts;
}

const writerOf = (text: string) => text.split(' ')[0]!;

async function auditEntries(action: string) {
  return platform.database.db.selectFrom('audit_log').select(['actor_id', 'target', 'details']).where('action', '=', action).orderBy('id').execute();
}

describe('the free-text reader', () => {
  it('lists the survey\'s free-text questions and shows one question\'s texts with the month only: no ids, no times, no other answers', async () => {
    const page = await read(BASELINE, { question: 'improvement_ideas' });
    expect(page.questions).toContainEqual({ key: 'improvement_ideas', kind: 'answer', label: 'What would make life and living together in your town better?' });
    expect(page.questions).toContainEqual(expect.objectContaining({ key: 'languages_home-Comment', kind: 'other' }));
    expect(page.filters.targetGroups.map((group) => group.code)).toContain('seniors');
    expect(page.filters.targetGroups.map((group) => group.code)).not.toContain('interview_education');
    expect(page.filters.districts.map((district) => district.code)).toEqual(['buettelborn', 'klein-gerau', 'worfelden']);
    // 38 responses, one of them blank.
    expect(page.total).toBe(37);
    expect(page.pages).toBe(2);
    expect(page.entries).toHaveLength(FREE_TEXT_PAGE_SIZE);
    for (const entry of page.entries) {
      expect(Object.keys(entry)).toEqual(['text', 'month']);
      expect(entry.month).toMatch(/^2026-1[01]$/);
    }
    const body = JSON.stringify(page.entries);
    expect(body).not.toMatch(UUID);
    expect(body).not.toMatch(/T\d\d:\d\d|14:37/);
    expect(body).not.toContain('Frisian');
    expect(body).not.toContain('65-74');
  });

  it('pages through a stable shuffle: the same order seed gives the same pages, together every text once', async () => {
    const first = await read(BASELINE, { question: 'improvement_ideas' });
    expect(first.order).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    const again = await read(BASELINE, { question: 'improvement_ideas', order: first.order });
    expect(again.entries).toEqual(first.entries);
    const second = await read(BASELINE, { question: 'improvement_ideas', order: first.order, page: 2 });
    expect(second.entries).toHaveLength(17);
    const all = [...first.entries, ...second.entries].map((entry) => entry.text);
    expect(new Set(all).size).toBe(37);
    expect(all.every((text) => text.includes('benches'))).toBe(true);
    expect((await read(BASELINE, { question: 'improvement_ideas', order: first.order, page: 3 })).entries).toEqual([]);
    // Not the order of insertion (ids, times), and another question puts the same people in another order.
    const writers = (await readAll(BASELINE, { question: 'improvement_ideas', order: 'fixed-seed-1' })).map(writerOf);
    expect(writers).not.toEqual([...writers].sort());
    const otherWriters = (await readAll(BASELINE, { question: 'languages_home-Comment', order: 'fixed-seed-1' })).map(writerOf).filter((writer) => writers.includes(writer));
    expect(otherWriters).toHaveLength(writers.length);
    expect(otherWriters).not.toEqual(writers);
  });

  it('filters by district and by target group where the selection has at least k responses', async () => {
    const worfelden = await readAll(BASELINE, { question: 'improvement_ideas', district: 'worfelden' });
    expect(worfelden.map(writerOf).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `W-${String(i).padStart(2, '0')}`));
    const seniors = await readAll(BASELINE, { question: 'improvement_ideas', target_group: 'seniors' });
    expect(seniors).toHaveLength(6);
    expect(seniors.every((text) => text.includes('senior:'))).toBe(true);
    const kleinGerau = await read(BASELINE, { question: 'languages_home-Comment', district: 'klein-gerau' });
    expect(kleinGerau.total).toBe(25);
  });

  it('refuses a selection of fewer than k responses, and one that a wider selection exceeds by fewer than k, and logs the refusal', async () => {
    const selections: Record<string, string>[] = [
      { question: 'improvement_ideas', district: 'buettelborn' },
      // 6 seniors in Worfelden, but Worfelden has 4 more: reading both would single out those 4.
      { question: 'improvement_ideas', district: 'worfelden', target_group: 'seniors' },
      { question: 'improvement_ideas', district: 'klein-gerau', target_group: 'seniors' },
    ];
    for (const params of selections) {
      const response = await platform.app.request(readerUrl(BASELINE, params), { headers: analyst.headers({ 'accept-language': 'en' }) });
      expect(response.status, JSON.stringify(params)).toBe(422);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('free_text_filter_too_small');
      expect(body.error.message).toContain('fewer than 5');
      expect(JSON.stringify(body)).not.toContain('benches');
    }
    const refused = (await auditEntries('export.free_text_json')).filter((entry) => (entry.details as { allowed: boolean }).allowed === false);
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(refused.at(-1)).toMatchObject({ actor_id: analyst.user.id, target: BASELINE, details: { district: 'klein-gerau', targetGroup: 'seniors', texts: 0 } });
  });

  it('writes an audit entry for every view, with what was asked and how many texts were shown', async () => {
    const before = (await auditEntries('export.free_text_json')).length;
    await read(BASELINE, { question: 'improvement_ideas', district: 'worfelden' }, admin);
    const entries = await auditEntries('export.free_text_json');
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)).toEqual({
      actor_id: admin.user.id,
      target: BASELINE,
      details: { question: 'improvement_ideas', district: 'worfelden', targetGroup: null, page: 1, k: 5, allowed: true, texts: 10 },
    });
  });

  it('answers 404 for a question that is not free text and 400 for an unknown district', async () => {
    const notText = await platform.app.request(readerUrl(BASELINE, { question: 'age_band' }), { headers: analyst.headers() });
    expect(notText.status).toBe(404);
    expect((await notText.json()).error.code).toBe('question_not_found');
    const unknown = await platform.app.request(readerUrl(BASELINE, { question: 'improvement_ideas', district: 'atlantis' }), { headers: analyst.headers() });
    expect(unknown.status).toBe(400);
  });
});

describe('interviewer notes with the interview\'s pin-board photos', () => {
  it('shows notes with their interview\'s photos (through the reader\'s own route) and respondents\' answers without any', async () => {
    const notes = await readAll(GUIDE, { question: 'notes_context' });
    expect(notes).toHaveLength(6);
    const page = await read(GUIDE, { question: 'notes_context' });
    expect(page.questions).toContainEqual(expect.objectContaining({ key: 'notes_context', kind: 'note' }));
    expect(page.questions).toContainEqual(expect.objectContaining({ key: 'works_well', kind: 'answer' }));
    const withPhoto = page.entries.filter((entry) => (entry.photos ?? []).length > 0);
    expect(withPhoto).toHaveLength(1);
    expect(withPhoto[0]!.text).toBe('Interview 0: talked at the school gate');
    expect(withPhoto[0]!.photos).toEqual([
      {
        image: `/api/analysis/${GUIDE}/free-text/photos/${photo.guide}`,
        thumbnail: `/api/analysis/${GUIDE}/free-text/photos/${photo.guide}/thumb`,
        width: 64,
        height: 48,
      },
    ]);
    expect(JSON.stringify(page)).not.toMatch(UUID);
    const answers = await read(GUIDE, { question: 'works_well' });
    for (const entry of answers.entries) expect(Object.keys(entry)).toEqual(['text', 'month']);
  });

  it('serves the photo to analysts and admins, audited, and answers every other photo name with the same 404', async () => {
    for (const [url, session] of [
      [`/api/analysis/${GUIDE}/free-text/photos/${photo.guide}/thumb`, analyst],
      [`/api/analysis/${GUIDE}/free-text/photos/${photo.guide}`, admin],
    ] as const) {
      const response = await platform.app.request(url, { headers: session.headers() });
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/webp');
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      expect((await sharp(Buffer.from(await response.arrayBuffer())).metadata()).format).toBe('webp');
    }
    const refusals: string[] = [];
    for (const url of [
      // Another survey's photo, one nobody linked, one that does not exist, a malformed name, this photo under another survey.
      `/api/analysis/${GUIDE}/free-text/photos/${photo.baseline}`,
      `/api/analysis/${GUIDE}/free-text/photos/${photo.unlinked}/thumb`,
      `/api/analysis/${GUIDE}/free-text/photos/${'0'.repeat(64)}`,
      `/api/analysis/${GUIDE}/free-text/photos/..%2Fsecrets`,
      `/api/analysis/${BASELINE}/free-text/photos/${photo.guide}`,
      `/api/analysis/no-such-survey/free-text/photos/${photo.guide}`,
    ]) {
      const response = await platform.app.request(url, { headers: analyst.headers({ 'accept-language': 'en' }) });
      expect(response.status, url).toBe(404);
      refusals.push(await response.text());
    }
    expect(new Set(refusals).size).toBe(1);
    const interviewerTry = await platform.app.request(`/api/analysis/${GUIDE}/free-text/photos/${photo.guide}`, { headers: interviewer.headers() });
    expect(interviewerTry.status).toBe(403);

    const entries = await auditEntries('export.free_text_photo');
    expect(entries.slice(0, 2)).toEqual([
      { actor_id: analyst.user.id, target: GUIDE, details: { photo: photo.guide.slice(0, 12), variant: 'thumbnail', served: true } },
      { actor_id: admin.user.id, target: GUIDE, details: { photo: photo.guide.slice(0, 12), variant: 'image', served: true } },
    ]);
    expect(entries.slice(2).map((entry) => (entry.details as { served: boolean }).served)).toEqual([false, false, false, false, false, false]);
  });
});
