import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResponses } from '../../../tests/support/insert-responses.ts';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { REPO_ROOT, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { OFFER_TARGET_GROUPS, type OfferMatrix } from './offers.ts';

// The inventory of offers from stakeholder-inventory responses: fields of action × target groups ×
// districts, the empty cells marked as gaps, the offers that cannot be placed listed with why.
describe('GET /api/analysis/offers', () => {
  let platform: TestPlatform;
  let analyst: StaffSession;
  const get = (url: string) => platform.app.request(url, { headers: analyst.headers({ 'accept-language': 'en' }) });
  const matrix = async (query = '') => {
    const response = await get(`/api/analysis/offers${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as OfferMatrix;
  };
  const cell = (m: OfferMatrix, field: string, group: string, district: string) =>
    m.cells.find((c) => c.fieldOfAction === field && c.targetGroup === group && c.district === district)!;

  beforeAll(async () => {
    platform = await openTestPlatform();
    analyst = await loginAsDemo(platform.app, 'analyst');
    await insertResponses(platform.database.db, [
      {
        slug: 'stakeholder-inventory',
        district: 'buettelborn',
        answers: {
          org_name: 'Tafel',
          offers: [
            { offer_title: 'Deutschkurs für Mütter', offer_field: 'language_education', offer_target_groups: ['women', 'families'], offer_all_districts: false },
            { offer_title: 'Sprechstunde', offer_field: 'arrival', offer_target_groups: ['everyone'], offer_all_districts: true },
            { offer_title: 'Ohne Feld', offer_target_groups: ['women'] },
          ],
        },
      },
      // No district given and not town-wide: the offer cannot be placed.
      { slug: 'stakeholder-inventory', district: null, answers: { offers: [{ offer_title: 'Lauftreff', offer_field: 'sport_culture', offer_target_groups: ['seniors'] }] } },
      // A resident's answers are never an offer, whatever they contain.
      { slug: 'resident-baseline', district: 'worfelden', answers: { offers: [{ offer_title: 'Nein', offer_field: 'youth', offer_target_groups: ['children'], offer_all_districts: true }] } },
    ]);
  }, 120_000);
  afterAll(() => platform?.close());

  it('uses the shared target groups (everyone fills every group)', () => {
    const lists = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'surveys/shared/code-lists.json'), 'utf8'));
    expect([...OFFER_TARGET_GROUPS, 'everyone']).toEqual(lists.target_groups.choices.map((choice: { value: string }) => choice.value));
  });

  it('places each offer by field, target group and district, and marks every empty cell as a gap', async () => {
    const m = await matrix();
    expect(m.responses).toBe(2);
    expect(m.offers).toBe(4);
    expect(m.districts).toEqual(['buettelborn', 'klein-gerau', 'worfelden']);
    expect(m.cells).toHaveLength(13 * 10 * 3);
    // In the organisation's district only.
    expect(cell(m, 'language_education', 'women', 'buettelborn').offers).toEqual([{ title: 'Deutschkurs für Mütter', organisation: 'Tafel', forEveryone: false, townWide: false }]);
    expect(cell(m, 'language_education', 'women', 'worfelden').gap).toBe(true);
    expect(cell(m, 'language_education', 'seniors', 'buettelborn').gap).toBe(true);
    // For everyone and town-wide: every group in every district.
    const arrival = m.cells.filter((c) => c.fieldOfAction === 'arrival');
    expect(arrival.every((c) => !c.gap && c.offers[0]!.forEveryone && c.offers[0]!.townWide)).toBe(true);
    expect(m.gaps).toBe(13 * 10 * 3 - 2 - 30);
    expect(m.cells.filter((c) => c.fieldOfAction === 'youth').every((c) => c.gap)).toBe(true);
    expect([...m.notPlaced].sort((a, b) => a.title.localeCompare(b.title))).toEqual([
      { title: 'Lauftreff', organisation: null, missing: ['district'] },
      { title: 'Ohne Feld', organisation: 'Tafel', missing: ['fieldOfAction'] },
    ]);
  });

  it('filters by field of action; an unknown field is a 422 naming the parameter', async () => {
    const m = await matrix('?fieldOfAction=arrival,language_education');
    expect(m.fieldsOfAction).toEqual(['language_education', 'arrival']);
    expect(m.cells).toHaveLength(2 * 10 * 3);
    expect(m.offers).toBe(2);
    expect(m.notPlaced).toEqual([]);
    const bad = await get('/api/analysis/offers?fieldOfAction=astrology');
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('fieldOfAction');
  });

  it('is for analysts and admins only', async () => {
    expect((await platform.app.request('/api/analysis/offers')).status).toBe(401);
    const interviewer = await loginAsDemo(platform.app, 'interviewer');
    expect((await platform.app.request('/api/analysis/offers', { headers: interviewer.headers() })).status).toBe(403);
  });
});
