import type { NormalisedOffer } from '../shared/offers.ts';

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

/**
 * One mapping per instrument version that changed the offers' questions, by the first version it
 * reads. A response is read by the newest mapping not newer than its version, so a version that
 * keeps the offer questions needs no entry. The revised inventory (version 2: cost, times,
 * accessibility, capacity, districts as codes per offer, consent to publication) adds
 * `{ fromVersion: 2, map: mapVersion2 }` here, filling the fields version 1 leaves null.
 */
const MAPPINGS: readonly { fromVersion: number; map: Mapping }[] = [{ fromVersion: 1, map: mapVersion1 }];

function mappingFor(version: number): Mapping {
  const found = [...MAPPINGS].reverse().find((mapping) => mapping.fromVersion <= version);
  return (found ?? MAPPINGS[0]!).map;
}

/**
 * The offers of one inventory response, normalised. `currentDistricts` are the town's current
 * district codes: a town-wide offer is in each of them; codes the town no longer has are kept (an
 * offer may still name a retired district) but a town-wide offer is not placed in retired ones.
 * Offers without a title are dropped: a row the organisation left empty is not an offer.
 */
export function normaliseOffers(response: InventoryResponse, currentDistricts: readonly string[]): NormalisedOffer[] {
  const mapped = mappingFor(response.version)(response.answers);
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
