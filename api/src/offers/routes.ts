import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import { parseDialect } from '../analysis/csv/csv-writer.ts';
import { recordAudit } from '../audit/index.ts';
import { requireRole } from '../auth/index.ts';
import type { Database } from '../db/schema.ts';
import type { AppEnv } from '../http/app-env.ts';
import { fieldError, invalidFields } from '../http/field-errors.ts';
import { isLocale } from '../shared/locales.ts';
import { townNameIn } from '../town/index.ts';
import { ACCESSIBILITY, COSTS, FIELDS_OF_ACTION, LANGUAGES, labelIn, loadOfferLabels, TARGET_GROUPS, TIMES } from './codes.ts';
import { directoryPage, OFFERS_CSS, OFFERS_CSS_PATH, searchDirectory, type DirectoryQuery } from './directory-page.ts';
import { offersCsv, offersXlsx } from './exports.ts';
import { listDistrictNames } from './repository.ts';
import type { OfferFilter } from '../shared/offers.ts';
import { loadOffers, offerInventory } from './service.ts';

export interface OfferRoutesDeps {
  db: Kysely<Database>;
}

/** A comma-separated list of codes from `allowed`; an unknown code is a 422 naming the parameter. */
function codesParam(c: Context<AppEnv>, name: string, allowed: readonly string[]): string[] | undefined {
  const text = c.req.query(name);
  if (text === undefined || text.trim() === '') return undefined;
  const codes = text.split(',').map((code) => code.trim()).filter(Boolean);
  if (codes.length > 200 || codes.some((code) => !allowed.includes(code))) throw invalidFields([fieldError(c, name, 'field_invalid')]);
  return codes;
}

async function filterFrom(c: Context<AppEnv>, db: Kysely<Database>): Promise<OfferFilter> {
  const districts = (await listDistrictNames(db)).map((district) => district.code);
  return {
    fieldsOfAction: codesParam(c, 'fieldOfAction', FIELDS_OF_ACTION),
    targetGroups: codesParam(c, 'targetGroup', TARGET_GROUPS),
    districts: codesParam(c, 'district', districts),
    languages: codesParam(c, 'language', LANGUAGES),
  };
}

/**
 * `GET /api/analysis/offers` (JSON), `offers.csv`, `offers.xlsx`: the inventory of offers with its
 * gaps and the baseline crossing, for analysts and admins. Non-public actors are named (staff only).
 */
export function createOfferAnalysisRoutes({ db }: OfferRoutesDeps) {
  const inventoryOf = async (c: Context<AppEnv>) => offerInventory(db, await filterFrom(c, db), { baseline: c.req.query('baseline') || undefined });
  return new Hono<AppEnv>()
    .use('/offers', requireRole('analyst', 'admin'))
    .use('/offers.*', requireRole('analyst', 'admin'))
    .get('/offers', async (c) => {
      c.header('Cache-Control', 'no-store');
      const locale = c.get('locale');
      const [inventory, labels, districts] = await Promise.all([inventoryOf(c), loadOfferLabels(db), listDistrictNames(db)]);
      const labelled = (map: Map<string, Record<string, string>>, codes: readonly string[]) => Object.fromEntries(codes.map((code) => [code, labelIn(map, code, locale)]));
      return c.json({
        ...inventory,
        // Codes with their labels in the requester's language, for the dashboard.
        labels: {
          fieldsOfAction: labelled(labels.field, FIELDS_OF_ACTION),
          targetGroups: labelled(labels.targetGroup, TARGET_GROUPS),
          languages: labelled(labels.language, LANGUAGES),
          costs: labelled(labels.cost, COSTS),
          times: labelled(labels.times, TIMES),
          accessibility: labelled(labels.accessibility, ACCESSIBILITY),
          districts: Object.fromEntries(districts.map((district) => [district.code, (locale === 'de' ? district.name.default : district.name[locale]) ?? district.name.default ?? district.code])),
        },
      });
    })
    .get('/offers.csv', async (c) => {
      const dialect = parseDialect(c.req.query('dialect'));
      const inventory = await inventoryOf(c);
      await recordAudit(db, { actorId: c.get('user')!.id, action: 'export.offers_csv', details: { ...inventory.filter, dialect } });
      return c.body(offersCsv(inventory, dialect), 200, {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': 'attachment; filename="offers.csv"',
        'cache-control': 'private, no-store',
      });
    })
    .get('/offers.xlsx', async (c) => {
      const inventory = await inventoryOf(c);
      await recordAudit(db, { actorId: c.get('user')!.id, action: 'export.offers_xlsx', details: { ...inventory.filter } });
      return c.body((await offersXlsx(inventory)) as unknown as ArrayBuffer, 200, {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': 'attachment; filename="offers.xlsx"',
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      });
    });
}

/**
 * `/offers`: the public directory, server-rendered (no script), and `GET /api/offers` (JSON). Only
 * offers of current actors marked public in the registry, from responses linked to them; version 1
 * of the inventory asks no consent to publication, so the registry's flag decides (a later version's
 * "no" keeps an offer off, see service.loadOffers).
 */
export function createOfferPublicRoutes({ db }: OfferRoutesDeps) {
  const directory = async (c: Context<AppEnv>) => {
    const text = (name: string) => (c.req.query(name) ?? '').slice(0, 200);
    const query: DirectoryQuery = { q: text('q'), field: text('field'), district: text('district'), language: text('language'), targetGroup: text('targetGroup') };
    const offers = await loadOffers(db, { publicOnly: true });
    const used = (pick: (offer: (typeof offers)[number]) => (string | null)[]) => new Set(offers.flatMap(pick).filter((code): code is string => code !== null));
    const districts = await listDistrictNames(db);
    const fields = used((offer) => [offer.fieldOfAction]);
    const inDistricts = used((offer) => offer.districts);
    const languages = used((offer) => offer.languages);
    const groups = used((offer) => offer.targetGroups);
    return {
      query,
      offers: searchDirectory(offers, query),
      districts,
      choices: {
        fields: FIELDS_OF_ACTION.filter((code) => fields.has(code)),
        districts: districts.filter((district) => inDistricts.has(district.code)).map((district) => district.code),
        languages: LANGUAGES.filter((code) => languages.has(code)),
        targetGroups: TARGET_GROUPS.filter((code) => groups.has(code) && code !== 'everyone'),
      },
    };
  };
  const api = new Hono<AppEnv>().get('/', async (c) => {
    const { offers } = await directory(c);
    // Only what the page shows: no ids (an offer's id carries its response's), nothing else from the answers.
    return c.json({
      offers: offers.map((offer) => ({
        title: offer.title,
        organisation: offer.actor!.name,
        fieldOfAction: offer.fieldOfAction,
        targetGroups: offer.targetGroups,
        districts: offer.districts,
        townWide: offer.townWide,
        where: offer.where,
        languages: offer.languages,
        frequency: offer.frequency,
        cost: offer.cost,
        times: offer.times,
        accessibility: offer.accessibility,
        capacity: offer.capacity,
      })),
    });
  });
  const pages = new Hono<AppEnv>();
  pages.get(OFFERS_CSS_PATH.replace('/offers', ''), (c) => c.body(OFFERS_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }));
  pages.get('/', async (c) => {
    const locale = c.get('locale');
    const found = await directory(c);
    const html = directoryPage({ locale: isLocale(locale) ? locale : 'de', townName: await townNameIn(db, locale), labels: await loadOfferLabels(db), ...found });
    return c.html(html, 200, { 'cache-control': 'no-cache', 'content-language': locale });
  });
  return { api, pages };
}
