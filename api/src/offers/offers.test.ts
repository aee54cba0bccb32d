import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResponses } from '../../../tests/support/insert-responses.ts';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { REPO_ROOT, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { perturbationBound } from '../analysis/disclosure/cell-key.ts';
import { linkResponseToActor } from '../network/repository.ts';
import type { NormalisedOffer } from '../shared/offers.ts';
import { LANGUAGES, TARGET_GROUPS } from './codes.ts';
import { normaliseOffers } from './normalise.ts';
import type { OfferInventory } from '../shared/offers.ts';

const DISTRICTS = ['buettelborn', 'klein-gerau', 'worfelden'];

describe('normalising inventory responses (version 1)', () => {
  it('maps the offers panel, placing an offer that is not town-wide in the organisation’s districts', () => {
    const offers = normaliseOffers(
      {
        id: 'r1',
        version: 1,
        actor: null,
        answers: {
          org_type: 'club',
          org_name: ' SV Worfelden ',
          districts_active: ['worfelden'],
          offers: [
            { offer_title: 'Fußball', offer_field: 'sport_culture', offer_target_groups: ['young_people'], offer_all_districts: false, offer_languages: ['german'], offer_frequency: 'weekly' },
            { offer_title: 'Sprachcafé', offer_field: 'language_education', offer_target_groups: ['everyone'], offer_all_districts: true },
            { offer_field: 'health' },
          ],
        },
      },
      DISTRICTS,
    );
    expect(offers.map((offer) => offer.id)).toEqual(['r1:0', 'r1:1']);
    expect(offers[0]).toMatchObject({ organisationName: 'SV Worfelden', organisationKind: 'club', districts: ['worfelden'], districtsFrom: 'organisation', townWide: false, frequency: 'weekly' });
    expect(offers[1]).toMatchObject({ districts: DISTRICTS, districtsFrom: 'town_wide', languages: [] });
    // Version 1 did not ask: unknown, not "no".
    expect(offers[0]).toMatchObject({ cost: null, times: null, accessibility: null, capacity: null, publicationConsent: null });
  });

  it('uses the instruments’ shared code lists', () => {
    const lists = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'surveys/shared/code-lists.json'), 'utf8'));
    const values = (name: string) => lists[name].choices.map((choice: { value: string }) => choice.value);
    expect([...TARGET_GROUPS]).toEqual(values('target_groups'));
    expect([...LANGUAGES]).toEqual(values('languages'));
  });
});

describe('the inventory of offers and the public directory', () => {
  let platform: TestPlatform;
  let analyst: StaffSession;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    platform = await openTestPlatform();
    analyst = await loginAsDemo(platform.app, 'analyst');
    const create = async (name: string, isPublic: boolean) => {
      const response = await platform.app.request('/api/actors', {
        method: 'POST',
        headers: analyst.writeHeaders({ 'content-type': 'application/json' }),
        body: JSON.stringify({ name, kind: 'club', isPublic }),
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as { actor: { id: string } }).actor.id;
    };
    ids.club = await create('SV Worfelden', true);
    ids.kita = await create('Kita Sonnenschein', false);
    const db = platform.database.db;
    const [clubResponse, kitaResponse] = await insertResponses(db, [
      {
        slug: 'stakeholder-inventory',
        answers: {
          org_type: 'club',
          org_name: 'SV Worfelden',
          districts_active: ['worfelden'],
          offers: [
            { offer_title: 'Fußball für alle', offer_field: 'sport_culture', offer_target_groups: ['young_people', 'refugees'], offer_all_districts: false, offer_languages: ['german', 'arabic'], offer_frequency: 'weekly' },
            { offer_title: 'Sprachcafé', offer_field: 'language_education', offer_target_groups: ['everyone'], offer_all_districts: true, offer_languages: ['german', 'turkish'], offer_where: 'Vereinsheim' },
          ],
        },
      },
      {
        slug: 'stakeholder-inventory',
        answers: { org_type: 'daycare', districts_active: ['buettelborn'], offers: [{ offer_title: 'Elterncafé', offer_field: 'encounter', offer_target_groups: ['families'], offer_all_districts: false, offer_languages: ['german'] }] },
      },
      // Not linked to any actor: in the analysts' inventory, never in the public directory.
      { slug: 'stakeholder-inventory', answers: { offers: [{ offer_title: '=HYPERLINK("http://x","y")', offer_field: 'sport_culture', offer_target_groups: ['seniors'], offer_all_districts: true }] } },
    ]);
    await linkResponseToActor(db, clubResponse!, ids.club);
    await linkResponseToActor(db, kitaResponse!, ids.kita);
    ids.clubResponse = clubResponse!;
    // The baseline: 40 residents of Worfelden, 30 of them name cost for sport and culture; 3 in Klein-Gerau.
    await insertResponses(db, [
      ...Array.from({ length: 40 }, (_, i) => ({ slug: 'resident-baseline', district: 'worfelden', answers: { barriers_sport_culture: i < 30 ? ['barrier_cost'] : ['barrier_distance'] } })),
      ...Array.from({ length: 3 }, () => ({ slug: 'resident-baseline', district: 'klein-gerau', answers: { barriers_sport_culture: ['barrier_cost', 'barrier_language'] } })),
    ]);
  }, 120_000);
  afterAll(() => platform?.close());

  const get = (url: string, locale = 'en') => platform.app.request(url, { headers: analyst.headers({ 'accept-language': locale }) });
  const inventory = async (query = '') => {
    const response = await get(`/api/analysis/offers${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as OfferInventory;
  };
  const cell = (inv: OfferInventory, field: string, group: string, district: string) =>
    inv.matrix.cells.find((c) => c.fieldOfAction === field && c.targetGroup === group && c.district === district)!;
  const titles = (inv: OfferInventory, offerIds: string[]) => offerIds.map((id) => inv.offers.find((offer) => offer.id === id)!.title).sort();

  it('is for analysts and admins only', async () => {
    expect((await platform.app.request('/api/analysis/offers')).status).toBe(401);
    expect((await platform.app.request('/api/analysis/offers.csv')).status).toBe(401);
  });

  it('places every offer in its cells of field × target group × district and marks the empty cells as gaps', async () => {
    const inv = await inventory();
    expect(inv.offers).toHaveLength(4);
    expect(inv.matrix.axes.targetGroups).not.toContain('everyone');
    expect(inv.matrix.axes.districts).toEqual(DISTRICTS);
    expect(titles(inv, cell(inv, 'sport_culture', 'refugees', 'worfelden').offers)).toEqual(['Fußball für alle']);
    expect(cell(inv, 'sport_culture', 'refugees', 'buettelborn')).toMatchObject({ gap: true, offers: [] });
    // An offer for everyone fills each group's cell, marked as such; town-wide reaches every district.
    expect(cell(inv, 'language_education', 'seniors', 'klein-gerau')).toMatchObject({ gap: false, onlyForEveryone: true });
    expect(titles(inv, cell(inv, 'encounter', 'families', 'buettelborn').offers)).toEqual(['Elterncafé']);
    expect(inv.matrix.gaps).toBe(inv.matrix.cells.filter((c) => c.offers.length === 0).length);
    expect(inv.matrix.cells).toHaveLength(13 * 10 * 3);
    const linked = inv.offers.find((offer) => offer.title === 'Elterncafé')!;
    expect(linked.actor).toMatchObject({ id: ids.kita, name: 'Kita Sonnenschein', isPublic: false });
  });

  it('filters by field, target group, district and language, and refuses unknown codes', async () => {
    const inv = await inventory('?district=worfelden&language=arabic');
    expect(inv.offers.map((offer) => offer.title)).toEqual(['Fußball für alle']);
    expect(inv.matrix.axes.districts).toEqual(['worfelden']);
    const sport = await inventory('?fieldOfAction=sport_culture&targetGroup=seniors');
    expect(sport.matrix.axes).toMatchObject({ fieldsOfAction: ['sport_culture'], targetGroups: ['seniors'] });
    expect(sport.offers.map((offer) => offer.title)).toEqual(['=HYPERLINK("http://x","y")']);
    for (const query of ['?fieldOfAction=cooking', '?district=atlantis', '?language=klingon', '?targetGroup=cats']) {
      const response = await get(`/api/analysis/offers${query}`);
      expect(response.status).toBe(422);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_fields');
    }
  });

  it('crosses with the baseline through the disclosure path: published counts only, no share for a small district', async () => {
    const inv = await inventory();
    expect(inv.baseline.baseline).toBe('resident-baseline');
    // Only fields the baseline asks barriers for.
    expect(inv.baseline.fieldsOfAction).not.toContain('youth');
    expect(inv.baseline.fieldsOfAction).toContain('sport_culture');
    const k = inv.baseline.k!;
    const at = (district: string) => inv.baseline.crossings.find((c) => c.fieldOfAction === 'sport_culture' && c.district === district)!;
    const worfelden = at('worfelden');
    const cost = worfelden.barriers.find((b) => b.barrier === 'barrier_cost')!;
    expect(Math.abs(cost.count - 30)).toBeLessThanOrEqual(perturbationBound(k));
    expect(cost.share).toBeCloseTo(Math.min(1, cost.count / worfelden.residents), 10);
    expect(worfelden.facts).toMatchObject({ offers: 2, cost: { notAsked: 2 }, languages: { beyondGerman: 1 }, place: { local: 1, townWide: 1 } });
    // Three residents of Klein-Gerau: never shown as 3, and no share at all.
    const small = at('klein-gerau');
    for (const barrier of small.barriers.filter((b) => b.barrier === 'barrier_cost' || b.barrier === 'barrier_language')) {
      expect(barrier.count).toBeGreaterThanOrEqual(k);
      expect(barrier.count).not.toBe(3);
      expect(barrier.share).toBeNull();
    }
    expect(small.residents).not.toBe(3);
    // The same published numbers as the baseline's own aggregate.
    const aggregate = await get('/api/analysis/resident-baseline/aggregate.csv?by=district&question=barriers_sport_culture');
    expect(aggregate.status).toBe(200);
    const rows = parseCsv(await aggregate.text(), { columns: true }) as Record<string, string>[];
    const published = rows.find((row) => row.question === 'barriers_sport_culture' && row.option === 'barrier_cost' && row.district === 'worfelden')!;
    expect(Number(published.n)).toBe(cost.count);
  });

  it('exports offers.csv (formula-safe) and offers.xlsx that read back with the same rows', async () => {
    const inv = await inventory();
    const csv = await get('/api/analysis/offers.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('offers.csv');
    const rows = parseCsv(await csv.text(), { columns: true }) as Record<string, string>[];
    const expected = inv.matrix.cells.reduce((sum, c) => sum + Math.max(1, c.offers.length), 0);
    expect(rows).toHaveLength(expected);
    expect(rows.filter((row) => row.gap === '1')).toHaveLength(inv.matrix.gaps);
    expect(rows.find((row) => row.offer_title?.includes('HYPERLINK'))!.offer_title).toBe(`'=HYPERLINK("http://x","y")`);
    const xlsx = await get('/api/analysis/offers.xlsx');
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['matrix', 'offers', 'baseline']);
    expect(workbook.getWorksheet('matrix')!.actualRowCount).toBe(expected + 1);
    const offerSheet = workbook.getWorksheet('offers')!;
    expect(offerSheet.actualRowCount).toBe(inv.offers.length + 1);
    const titlesInSheet = offerSheet.getColumn(9).values.slice(2).map(String).sort();
    expect(titlesInSheet).toEqual([...inv.offers.map((offer) => offer.title.replace(/^=/, "'="))].sort());
    // The baseline sheet has only published counts: the small district's 3 appears nowhere.
    const baseline = workbook.getWorksheet('baseline')!;
    const smallRows = baseline.getSheetValues().filter((row) => Array.isArray(row) && row[2] === 'klein-gerau' && row[1] === 'sport_culture') as unknown[][];
    expect(smallRows.length).toBeGreaterThan(0);
    for (const row of smallRows) expect([row[3], row[5]]).not.toContain(3);
  });

  it('shows the public only the offers of actors marked public, searchable and in every locale', async () => {
    const page = await platform.app.request('/offers?lang=de');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Fußball für alle');
    expect(html).toContain('Sprachcafé');
    expect(html).toContain('SV Worfelden');
    expect(html).not.toContain('Elterncafé');
    expect(html).not.toContain('Kita Sonnenschein');
    expect(html).not.toContain('HYPERLINK');
    expect(html).not.toContain(ids.clubResponse);
    const filtered = await (await platform.app.request('/offers?lang=de&language=arabic')).text();
    expect(filtered).toContain('Fußball für alle');
    expect(filtered).not.toContain('Sprachcafé</h2>');
    const searched = await (await platform.app.request('/offers?lang=en&q=vereinsheim')).text();
    expect(searched).toContain('Sprachcafé');
    expect(searched).not.toContain('Fußball für alle</h2>');
    const arabic = await (await platform.app.request('/offers?lang=ar')).text();
    expect(arabic).toContain('<html lang="ar" dir="rtl">');
    expect(arabic).toContain('العروض في المدينة');
    const easy = await (await platform.app.request('/offers?lang=de-x-easy')).text();
    expect(easy).toContain('class="easy"');
    const json = (await (await platform.app.request('/api/offers')).json()) as { offers: { title: string; organisation: string }[] };
    expect(json.offers.map((offer) => offer.title).sort()).toEqual(['Fußball für alle', 'Sprachcafé']);
    expect(JSON.stringify(json)).not.toContain(ids.clubResponse);
  });

  it('drops an actor’s offers from the directory once it is no longer public', async () => {
    const response = await platform.app.request(`/api/actors/${ids.club}`, {
      method: 'PATCH',
      headers: analyst.writeHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ isPublic: false }),
    });
    expect(response.status).toBe(200);
    const json = (await (await platform.app.request('/api/offers')).json()) as { offers: NormalisedOffer[] };
    expect(json.offers).toEqual([]);
  });
});
