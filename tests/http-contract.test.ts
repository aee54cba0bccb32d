import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPlatform, type TestPlatform } from './support/test-platform.ts';

describe('public HTTP contract: health and instruments', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await openTestPlatform();
  });
  afterAll(() => platform?.close());

  it('GET /health reports the database in use', async () => {
    const res = await platform.app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: process.env.DATABASE_URL ? 'postgres' : 'pglite' });
  });

  it('GET /api/surveys lists every instrument in surveys/ with kind, localised title and locales', async () => {
    const res = await platform.app.request('/api/surveys');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { surveys: { slug: string; kind: string; title: Record<string, string>; locales: string[] }[] };
    expect(platform.catalogue.refused).toEqual([]);
    expect(body.surveys.map((s) => s.slug).sort()).toEqual(platform.catalogue.registered.map((r) => r.slug).sort());
    expect(body.surveys.length).toBeGreaterThan(0);
    for (const survey of body.surveys) {
      expect(survey.title.default).toEqual(expect.any(String));
      expect(survey.locales).toContain('de');
    }
  });

  it('GET /api/surveys/:slug returns the current version with the districts of the town', async () => {
    const [first] = platform.catalogue.registered;
    const res = await platform.app.request(`/api/surveys/${first!.slug}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { slug: string; version: number; definition: { pages: unknown[] }; districts: { code: string }[] };
    expect(body.slug).toBe(first!.slug);
    expect(body.version).toBe(first!.version);
    expect(body.definition.pages.length).toBeGreaterThan(0);
    expect(body.districts.map((d) => d.code)).toEqual(['buettelborn', 'klein-gerau', 'worfelden']);
  });

  it('answers unknown slugs and versions with 404 and the error shape, in the asked language', async () => {
    const res = await platform.app.request('/api/surveys/no-such-survey', { headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'survey_not_found', message: 'There is no survey “no-such-survey”.' } });

    const [first] = platform.catalogue.registered;
    const version = await platform.app.request(`/api/surveys/${first!.slug}?version=999`);
    expect(version.status).toBe(404);
    expect(((await version.json()) as { error: { code: string } }).error.code).toBe('survey_version_not_found');

    const bad = await platform.app.request(`/api/surveys/${first!.slug}?version=abc`);
    expect(bad.status).toBe(400);
  });

  it('answers unknown routes with 404 JSON, never HTML or a stack trace', async () => {
    const res = await platform.app.request('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('not_found');
    expect(body.error.message).not.toMatch(/at .*\.ts/);
  });
});
