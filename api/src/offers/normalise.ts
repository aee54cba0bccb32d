import type { NormalisedOffer } from '../shared/offers.ts';
import { COSTS } from './codes.ts';

/** A stakeholder-inventory response as the offers module reads it. */
export interface InventoryResponse {
  id: string;
  version: number;
  answers: Record<string, unknown>;
  actor: NormalisedOffer['actor'];
}

/** What a version's mapping yields per offer; the shared part (ids, actor, districts) is added after. */
type MappedOffer = Omit<NormalisedOffer, 'id' | 'responseId' | 'instrumentVersion' | 'actor' | 'districts' | 'districtsFrom'> & {
  /** The offer's own district codes (v2); null when the version does not ask per offer. */
  ownDistricts: string[] | null;
};
interface MappedResponse {
  organisationName: string | null;
  organisationKind: string | null;
  organisationDistricts: string[];
  offers: MappedOffer[];
}
type Mapping = (answers: Record<string, unknown>) => MappedResponse;

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
const code = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const codes = (value: unknown): string[] => (Array.isArray(value) ? [...new Set(value.filter((item): item is string => typeof item === 'string' && item !== ''))] : []);
const records = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object' && !Array.isArray(item)) : [];

/**
 * Version 1 (surveys/history/stakeholder-inventory.v1.json): the paneldynamic `offers` with
 * `offer_title`, `offer_field`, `offer_target_groups`, `offer_all_districts`, `offer_where` (free
 * text), `offer_languages`, `offer_frequency`. It names no districts per offer: an offer that is not
 * town-wide is placed in the organisation's `districts_active`. Cost, times, accessibility,
 * capacity and consent to publication were not asked (null, not "no").
 */
const mapVersion1: Mapping = (answers) => ({
  organisationName: text(answers.org_name),
  organisationKind: code(answers.org_type),
  organisationDistricts: codes(answers.districts_active),
  offers: records(answers.offers).map((offer) => ({
    organisationName: text(answers.org_name),
    organisationKind: code(answers.org_type),
    title: text(offer.offer_title) ?? '',
    fieldOfAction: code(offer.offer_field),
    targetGroups: codes(offer.offer_target_groups),
    townWide: offer.offer_all_districts === true,
    ownDistricts: null,
    where: text(offer.offer_where),
    languages: codes(offer.offer_languages),
    frequency: code(offer.offer_frequency),
    cost: null,
    times: null,
    accessibility: null,
    capacity: null,
    publicationConsent: null,
  })),
});

const capacityOf = (value: unknown): number | null => {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(number) && number > 0 ? Math.round(number) : null;
};

/**
 * The revised inventory (issue #14; surveys/stakeholder-inventory.json): the responding
 * organisation and its partners are registry actors, and each offer names its own districts
 * (`offer_districts`, asked when not town-wide), its cost (`free`, `reduced`, `paid`), times,
 * accessibility (`none` is the exclusive "none of these": an empty list, not null), capacity (a
 * number) and whether it may be published (`offer_public`; asked, so no answer is no consent).
 */
const mapRevised: Mapping = (answers) => {
  const base = mapVersion1(answers);
  const panels = records(answers.offers);
  return {
    ...base,
    offers: base.offers.map((offer, index) => {
      const answer = panels[index]!;
      const accessibility = Array.isArray(answer.offer_accessibility) ? codes(answer.offer_accessibility).filter((item) => item !== 'none') : null;
      return {
        ...offer,
        ownDistricts: codes(answer.offer_districts),
        cost: (COSTS as readonly string[]).includes(String(answer.offer_cost)) ? (answer.offer_cost as (typeof COSTS)[number]) : null,
        times: Array.isArray(answer.offer_times) ? codes(answer.offer_times) : null,
        accessibility,
        capacity: capacityOf(answer.offer_capacity),
        publicationConsent: answer.offer_public === true,
      };
    }),
  };
};

/** Questions only the revised inventory has: answers naming any of them are read with its mapping. */
const REVISED_TOP = ['partners', 'org_fields', 'org_public'];
const REVISED_IN_OFFER = ['offer_districts', 'offer_cost', 'offer_times', 'offer_accessibility', 'offer_capacity', 'offer_public'];

/**
 * Whether answers have the revised inventory's shape. Chosen by the answers rather than the
 * version number: version numbers count per database (docs/instruments.md, "Versions and
 * history"), so "version 2" is the revised inventory in one town and the unchanged one in another.
 * A revised response without offers maps the same either way; one whose offers answer none of
 * the new questions (not even `offer_public`) and that answers no partner, field or public flag is
 * read as version 1: its offers have `publicationConsent: null` like version 1's.
 */
export function hasRevisedShape(answers: Record<string, unknown>): boolean {
  if (REVISED_TOP.some((name) => name in answers)) return true;
  return records(answers.offers).some((offer) => REVISED_IN_OFFER.some((name) => name in offer));
}

function mappingFor(response: InventoryResponse): Mapping {
  return hasRevisedShape(response.answers) ? mapRevised : mapVersion1;
}

/**
 * The offers of one inventory response, normalised. `currentDistricts` are the town's current
 * district codes: a town-wide offer is in each of them; codes the town no longer has are kept (an
 * offer may still name a retired district) but a town-wide offer is not placed in retired ones.
 * Offers without a title are dropped: a row the organisation left empty is not an offer.
 */
export function normaliseOffers(response: InventoryResponse, currentDistricts: readonly string[]): NormalisedOffer[] {
  const mapped = mappingFor(response)(response.answers);
  return mapped.offers.flatMap((offer, index) => {
    if (offer.title === '') return [];
    const { ownDistricts, ...rest } = offer;
    let districts: string[];
    let districtsFrom: NormalisedOffer['districtsFrom'];
    if (offer.townWide) [districts, districtsFrom] = [[...currentDistricts], 'town_wide'];
    else if (ownDistricts && ownDistricts.length > 0) [districts, districtsFrom] = [ownDistricts, 'offer'];
    else if (mapped.organisationDistricts.length > 0) [districts, districtsFrom] = [mapped.organisationDistricts, 'organisation'];
    else [districts, districtsFrom] = [[], 'unknown'];
    return [
      {
        id: `${response.id}:${index}`,
        responseId: response.id,
        instrumentVersion: response.version,
        actor: response.actor,
        ...rest,
        districts,
        districtsFrom,
      },
    ];
  });
}
