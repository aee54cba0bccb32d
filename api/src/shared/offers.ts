/**
 * An offer of an organisation as the inventory of offers and the public directory show it,
 * normalised from a stakeholder-inventory response of any version (api/src/offers/normalise.ts).
 * Offers are organisations' data, not residents'. Shared with the front end.
 */
export interface NormalisedOffer {
  /** `<response id>:<position in the offers panel>`: stable for as long as the response exists. */
  id: string;
  responseId: string;
  /** The inventory version the response answered. */
  instrumentVersion: number;
  /** The registry actor the response is linked to (after merges: the surviving actor), if any. */
  actor: { id: string; name: string; kind: string; isPublic: boolean } | null;
  /** The organisation as the response names it (v1: optional free text). */
  organisationName: string | null;
  /** A code of the shared `actor_kinds` list, as the response gives it. */
  organisationKind: string | null;
  title: string;
  /** A code of the shared `fields_of_action` list; null when the answer gave none. */
  fieldOfAction: string | null;
  /** Codes of the shared `target_groups` list (`everyone` included as given). */
  targetGroups: string[];
  /** District codes the offer reaches: all current districts for a town-wide offer. */
  districts: string[];
  townWide: boolean;
  /**
   * Where `districts` comes from: `town_wide` (the offer is for the whole town), `offer` (the offer's
   * own districts, v2), `organisation` (v1: the organisation's districts, the offer names none), or
   * `unknown` (no district at all).
   */
  districtsFrom: 'town_wide' | 'offer' | 'organisation' | 'unknown';
  /** Free-text place (v1 `offer_where`). */
  where: string | null;
  /** Codes of the shared `languages` list, `sign_language` and `easy_language` included. */
  languages: string[];
  frequency: string | null;
  /** `free`, `reduced` (on request or reduced fee), `paid`; null: the instrument did not ask (v1). */
  cost: 'free' | 'reduced' | 'paid' | null;
  /** When it takes place (v2 codes such as `weekday_morning`); null: not asked (v1). */
  times: string[] | null;
  /** Accessibility facts (v2 codes such as `step_free`); null: not asked (v1). */
  accessibility: string[] | null;
  /** Places per session (v2); null: not asked or not given. */
  capacity: number | null;
  /** Whether the organisation agreed to publication of this offer; null: the instrument did not ask (v1). */
  publicationConsent: boolean | null;
}

/** The barriers of the resident baseline that an offer's facts can answer (see docs/network.md). */
export const OFFER_BARRIER_CROSSINGS = ['barrier_cost', 'barrier_language', 'barrier_opening_times', 'barrier_accessibility', 'barrier_distance'] as const;
export type OfferBarrier = (typeof OFFER_BARRIER_CROSSINGS)[number];

// The inventory of offers for analysts (offers/service.ts builds it, the dashboard reads it) and its parts.

export interface OfferFilter {
  fieldsOfAction?: string[];
  targetGroups?: string[];
  districts?: string[];
  languages?: string[];
}

export interface OfferCell {
  fieldOfAction: string;
  targetGroup: string;
  district: string;
  /** Ids of the offers in this cell. */
  offers: string[];
  /** No offer at all here. */
  gap: boolean;
  /** Every offer here is one "for everyone", none meant for this group in particular. */
  onlyForEveryone: boolean;
}

export interface OfferMatrix {
  axes: { fieldsOfAction: string[]; targetGroups: string[]; districts: string[] };
  cells: OfferCell[];
  gaps: number;
  /** Offers that cannot be placed: no field of action, or no district. */
  unplaced: string[];
}

/** The offers' facts that answer a barrier, per field of action and district. */
export interface OfferFacts {
  offers: number;
  /** barrier_cost */
  cost: { free: number; reduced: number; paid: number; notAsked: number };
  /** barrier_language: offers in any language besides German (sign language and Leichte Sprache count), and which. */
  languages: { beyondGerman: number; germanOnly: number; notGiven: number; offered: string[] };
  /** barrier_opening_times */
  times: { given: number; notAsked: number };
  /** barrier_accessibility */
  accessibility: { given: number; notAsked: number };
  /** barrier_distance: offers placed in the district itself versus town-wide ones. */
  place: { local: number; townWide: number };
}

export interface BarrierCrossing {
  fieldOfAction: string;
  district: string;
  /** Published (cell key) count of baseline respondents in the district who answered the field's barrier question. */
  residents: number;
  barriers: { barrier: OfferBarrier; count: number; share: number | null }[];
  facts: OfferFacts;
}

export interface BaselineCrossing {
  baseline: string | null;
  k: number | null;
  /** Fields of action the baseline asks barriers for (`barriers_<field>`); other fields are not crossed. */
  fieldsOfAction: string[];
  crossings: BarrierCrossing[];
}

export interface OfferInventory {
  filter: OfferFilter;
  offers: NormalisedOffer[];
  matrix: OfferMatrix;
  baseline: BaselineCrossing;
}
