import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { listDistricts } from '../districts/index.ts';
import { FIELDS_OF_ACTION } from './codes.ts';

/**
 * The target groups of the stakeholder inventory's `offer_target_groups` (the shared code list
 * `target_groups`; `offers.test.ts` fails when they drift apart). `everyone` is not a column of the
 * matrix: an offer for everyone fills the cell of every group.
 */
export const OFFER_TARGET_GROUPS = [
  'children',
  'young_people',
  'families',
  'women',
  'seniors',
  'newcomers',
  'refugees',
  'people_with_disabilities',
  'homeless_people',
  'job_seekers',
] as const;
const EVERYONE = 'everyone';

export interface PlacedOffer {
  title: string;
  /** The organisation's name as the inventory gave it (optional there). */
  organisation: string | null;
  /** Offered to everyone rather than to this group in particular. */
  forEveryone: boolean;
  /** For the whole town rather than in the organisation's district. */
  townWide: boolean;
}

export interface OfferCell {
  fieldOfAction: string;
  targetGroup: string;
  district: string;
  offers: PlacedOffer[];
  /** No offer at all in this cell. */
  gap: boolean;
}

export interface OfferMatrix {
  /** Stakeholder-inventory responses read (those still kept: deleted answers are gone). */
  responses: number;
  offers: number;
  fieldsOfAction: string[];
  targetGroups: string[];
  districts: string[];
  cells: OfferCell[];
  gaps: number;
  /** Offers that could not be placed in any cell, with why (no field, no group, no district). */
  notPlaced: { title: string; organisation: string | null; missing: ('fieldOfAction' | 'targetGroup' | 'district')[] }[];
}

interface OfferAnswer {
  offer_title?: unknown;
  offer_field?: unknown;
  offer_target_groups?: unknown;
  offer_all_districts?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/**
 * The inventory of offers: every offer of every kept stakeholder-inventory response, placed by its
 * field of action, its target groups and its district — every current district when it is for the
 * whole town (`offer_all_districts`), else the district the organisation answered for (the
 * response's district; `offer_where` is free text and is not matched). Cells without any offer are
 * gaps. Organisations, not residents, answer the inventory: no small-cell suppression applies.
 */
export async function offerMatrix(db: Kysely<Database>, filter: { fieldsOfAction?: string[] } = {}): Promise<OfferMatrix> {
  const districts = (await listDistricts(db)).filter((district) => district.retired_at === null).map((district) => district.code);
  const known = new Set(districts);
  const fields = FIELDS_OF_ACTION.filter((field) => !filter.fieldsOfAction?.length || filter.fieldsOfAction.includes(field));
  const rows = await db.selectFrom('response').select(['id', 'district', 'answers']).where('survey_slug', '=', 'stakeholder-inventory').orderBy('submitted_at').orderBy('id').execute();

  const cells = new Map<string, OfferCell>();
  const key = (field: string, group: string, district: string) => `${field}|${group}|${district}`;
  for (const field of fields) {
    for (const group of OFFER_TARGET_GROUPS) {
      for (const district of districts) cells.set(key(field, group, district), { fieldOfAction: field, targetGroup: group, district, offers: [], gap: true });
    }
  }

  let offers = 0;
  const notPlaced: OfferMatrix['notPlaced'] = [];
  for (const row of rows) {
    const answers = (typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers) as Record<string, unknown>;
    const organisation = text(answers.org_name);
    const list = Array.isArray(answers.offers) ? (answers.offers as OfferAnswer[]) : [];
    for (const offer of list) {
      if (!offer || typeof offer !== 'object') continue;
      const answered = text(offer.offer_field);
      const field = answered && (FIELDS_OF_ACTION as readonly string[]).includes(answered) ? answered : null;
      // With a filter by field, only offers in those fields (an offer without a field is in none).
      if (filter.fieldsOfAction?.length && !(field && (fields as readonly string[]).includes(field))) continue;
      offers += 1;
      const title = text(offer.offer_title) ?? '–';
      const groups = Array.isArray(offer.offer_target_groups) ? offer.offer_target_groups.filter((g): g is string => typeof g === 'string') : [];
      const forEveryone = groups.includes(EVERYONE);
      const targetGroups = forEveryone ? [...OFFER_TARGET_GROUPS] : OFFER_TARGET_GROUPS.filter((group) => groups.includes(group));
      const townWide = offer.offer_all_districts === true;
      const inDistricts = townWide ? districts : row.district && known.has(row.district) ? [row.district] : [];
      const missing = [
        ...(field ? [] : (['fieldOfAction'] as const)),
        ...(targetGroups.length > 0 ? [] : (['targetGroup'] as const)),
        ...(inDistricts.length > 0 ? [] : (['district'] as const)),
      ];
      if (missing.length > 0) {
        notPlaced.push({ title, organisation, missing });
        continue;
      }
      for (const group of targetGroups) {
        for (const district of inDistricts) {
          const cell = cells.get(key(field!, group, district))!;
          cell.offers.push({ title, organisation, forEveryone, townWide });
          cell.gap = false;
        }
      }
    }
  }
  const all = [...cells.values()];
  return {
    responses: rows.length,
    offers,
    fieldsOfAction: fields,
    targetGroups: [...OFFER_TARGET_GROUPS],
    districts,
    cells: all,
    gaps: all.filter((cell) => cell.gap).length,
    notPlaced,
  };
}
