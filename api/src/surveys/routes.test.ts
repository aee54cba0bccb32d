import zlib from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_SURVEYS_DIR, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { closeSurvey } from './close-survey.ts';

interface SurveyReply {
  slug: string;
  status: 'open' | 'closed';
  version: number;
  definition: Record<string, unknown>;
  districts: { code: string }[];
}

/** The public survey JSON: prepared once per version, precompressed, revalidated by ETag. */
describe('GET /api/surveys/:slug', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await openTestPlatform({ surveysDir: REAL_SURVEYS_DIR });
  });
  afterAll(() => platform?.close());

  const get = (headers: Record<string, string> = {}, slug = 'resident-baseline') => platform.app.request(`/api/surveys/${slug}`, { headers });

  it('sends the same reply as brotli, gzip or plain, as the client accepts, each with an ETag', async () => {
    const plain = await get();
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-encoding')).toBeNull();
    const text = await plain.text();
    const reply = JSON.parse(text) as SurveyReply;
    expect(reply).toMatchObject({ slug: 'resident-baseline', status: 'open' });
    expect(Object.keys(reply.definition).length).toBeGreaterThan(0);

    const br = await get({ 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toContain('Accept-Encoding');
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(zlib.brotliDecompressSync(brBytes).toString()).toBe(text);
    expect(brBytes.length).toBeLessThan(text.length / 4);

    const gz = await get({ 'accept-encoding': 'gzip, br;q=0' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(zlib.gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(text);

    const tags = [plain, br, gz].map((res) => res.headers.get('etag'));
    for (const tag of tags) expect(tag).toMatch(/^".+"$/);
    expect(new Set(tags).size).toBe(3);
  });

  it('answers 304 without a body while the client holds the current reply', async () => {
    const first = await get({ 'accept-encoding': 'br' });
    const etag = first.headers.get('etag')!;
    const again = await get({ 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
    // Another encoding is another entity.
    expect((await get({ 'accept-encoding': 'gzip', 'if-none-match': etag })).status).toBe(200);
  });

  it('serves a changed district list at once: a new ETag, the new district in the reply', async () => {
    const before = await get();
    const etag = before.headers.get('etag')!;
    await platform.database.db
      .insertInto('district')
      .values({ code: 'neu-viertel', name: JSON.stringify({ default: 'Neues Viertel' }), population: null, population_source: null, sort_order: 99 })
      .execute();
    try {
      const after = await get({ 'if-none-match': etag });
      expect(after.status).toBe(200);
      expect(((await after.json()) as SurveyReply).districts.map((d) => d.code)).toContain('neu-viertel');
    } finally {
      await platform.database.db.deleteFrom('district').where('code', '=', 'neu-viertel').execute();
    }
  });

  it('serves a closed survey’s definition (for printed results) marked closed, and not in the list of open ones', async () => {
    const open = await get();
    const etag = open.headers.get('etag')!;
    await closeSurvey(platform.database.db, 'stakeholder-inventory');
    await closeSurvey(platform.database.db, 'resident-baseline');
    try {
      const closed = await get({ 'if-none-match': etag });
      expect(closed.status).toBe(200);
      const reply = (await closed.json()) as SurveyReply;
      expect(reply.status).toBe('closed');
      expect(Object.keys(reply.definition).length).toBeGreaterThan(0);
      const list = (await (await platform.app.request('/api/surveys')).json()) as { surveys: { slug: string }[] };
      expect(list.surveys.map((survey) => survey.slug)).not.toContain('resident-baseline');
    } finally {
      await sql`update survey set status = 'open' where slug in ('resident-baseline', 'stakeholder-inventory')`.execute(platform.database.db);
    }
    expect(((await (await get()).json()) as SurveyReply).status).toBe('open');
  });

  it('still tells an unknown survey from an unknown version', async () => {
    expect((await get({}, 'no-such-survey')).status).toBe(404);
    const res = await platform.app.request('/api/surveys/resident-baseline?version=999');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('survey_version_not_found');
  });
});
