import type { Kysely } from 'kysely';
import { loadAnalysisContext, computeAggregate } from '../analysis/service.ts';
import type { Database } from '../db/schema.ts';
import { OFFER_BARRIER_CROSSINGS, type BarrierCrossing, type BaselineCrossing, type NormalisedOffer, type OfferCell, type OfferFacts, type OfferFilter, type OfferInventory, type OfferMatrix } from '../shared/offers.ts';
import { EVERYONE, FIELDS_OF_ACTION, TARGET_GROUPS } from './codes.ts';
import { normaliseOffers } from './normalise.ts';
import * as repository from './repository.ts';

/** Every offer of every inventory response (or only those the public directory may show). */
export async function loadOffers(db: Kysely<Database>, options: { publicOnly?: boolean } = {}): Promise<NormalisedOffer[]> {
  const [responses, districts] = await Promise.all([repository.listInventoryResponses(db, options), repository.listDistrictNames(db)]);
  const current = districts.filter((district) => !district.retired).map((district) => district.code);
  const offers = responses.flatMap((response) => normaliseOffers(response, current));
  // Where the instrument asked for consent to publication (from version 2), a "no" keeps the offer off public pages.
  return options.publicOnly ? offers.filter((offer) => offer.publicationConsent !== false) : offers;
}

/** Whether an offer passes the filter: any of the given values per dimension; `everyone` offers pass every target group. */
export function matchesFilter(offer: NormalisedOffer, filter: OfferFilter): boolean {
  const any = (wanted: string[] | undefined, have: string[]) => !wanted || wanted.length === 0 || wanted.some((code) => have.includes(code));
  return (
    any(filter.fieldsOfAction, offer.fieldOfAction ? [offer.fieldOfAction] : []) &&
    any(filter.targetGroups, offer.targetGroups.includes(EVERYONE) ? [...TARGET_GROUPS] : offer.targetGroups) &&
    any(filter.districts, offer.districts) &&
    any(filter.languages, offer.languages)
  );
}

/**
 * Fields of action × target groups × districts. An offer is in a cell when its field is the cell's,
 * it names the cell's target group or `everyone`, and it reaches the cell's district (a town-wide
 * offer reaches every district). `everyone` is no column of its own: an offer for everyone fills
 * each group's cell, marked `onlyForEveryone` where nothing is meant for the group itself.
 */
export function buildOfferMatrix(offers: readonly NormalisedOffer[], axes: OfferMatrix['axes']): OfferMatrix {
  const cells: OfferCell[] = [];
  for (const fieldOfAction of axes.fieldsOfAction) {
    const inField = offers.filter((offer) => offer.fieldOfAction === fieldOfAction);
    for (const targetGroup of axes.targetGroups) {
      for (const district of axes.districts) {
        const here = inField.filter((offer) => offer.districts.includes(district) && (offer.targetGroups.includes(targetGroup) || offer.targetGroups.includes(EVERYONE)));
        cells.push({
          fieldOfAction,
          targetGroup,
          district,
          offers: here.map((offer) => offer.id),
          gap: here.length === 0,
          onlyForEveryone: here.length > 0 && here.every((offer) => !offer.targetGroups.includes(targetGroup)),
        });
      }
    }
  }
  return {
    axes,
    cells,
    gaps: cells.filter((cell) => cell.gap).length,
    unplaced: offers.filter((offer) => offer.fieldOfAction === null || offer.districts.length === 0).map((offer) => offer.id),
  };
}

export function offerFacts(offers: readonly NormalisedOffer[]): OfferFacts {
  const count = (test: (offer: NormalisedOffer) => boolean) => offers.filter(test).length;
  return {
    offers: offers.length,
    cost: { free: count((o) => o.cost === 'free'), reduced: count((o) => o.cost === 'reduced'), paid: count((o) => o.cost === 'paid'), notAsked: count((o) => o.cost === null) },
    languages: {
      beyondGerman: count((o) => o.languages.some((language) => language !== 'german')),
      germanOnly: count((o) => o.languages.length > 0 && o.languages.every((language) => language === 'german')),
      notGiven: count((o) => o.languages.length === 0),
      offered: [...new Set(offers.flatMap((o) => o.languages))].sort(),
    },
    times: { given: count((o) => o.times !== null && o.times.length > 0), notAsked: count((o) => o.times === null) },
    accessibility: { given: count((o) => o.accessibility !== null && o.accessibility.length > 0), notAsked: count((o) => o.accessibility === null) },
    place: { local: count((o) => !o.townWide), townWide: count((o) => o.townWide) },
  };
}

/**
 * The resident baseline next to the offers, per field of action and district: the share of the
 * district's respondents naming each matching barrier, from the baseline's own aggregate (the
 * analysis feature's `computeAggregate`, so every count is a cell-key published count and a share
 * is withheld where the published base is too small), beside the facts of the offers there.
 */
export async function crossWithBaseline(
  db: Kysely<Database>,
  offers: readonly NormalisedOffer[],
  fieldsOfAction: readonly string[],
  districts: readonly string[],
  baselineSlug?: string,
): Promise<BaselineCrossing> {
  const slug = await repository.findBaselineSlug(db, baselineSlug);
  if (!slug) return { baseline: null, k: null, fieldsOfAction: [], crossings: [] };
  const context = await loadAnalysisContext(db, slug);
  const crossed = fieldsOfAction.filter((field) => context.questions.some((question) => question.name === `barriers_${field}`));
  const crossings: BarrierCrossing[] = [];
  for (const field of crossed) {
    const aggregate = await computeAggregate(db, context, ['district'], { question: `barriers_${field}` });
    const table = aggregate.items[0]!;
    for (const district of districts) {
      const g = aggregate.frame.groups.findIndex((group) => group.district === district);
      if (g < 0) continue;
      const barriers = OFFER_BARRIER_CROSSINGS.flatMap((barrier) => {
        const o = table.options.findIndex((option) => option.code === barrier);
        return o < 0 ? [] : [{ barrier, count: table.counts[o]![g]!, share: table.shares[o]![g]! }];
      });
      const here = offers.filter((offer) => offer.fieldOfAction === field && offer.districts.includes(district));
      crossings.push({ fieldOfAction: field, district, residents: table.base[g]!, barriers, facts: offerFacts(here) });
    }
  }
  return { baseline: slug, k: context.k, fieldsOfAction: crossed, crossings };
}

/** The inventory of offers for analysts: the offers passing the filter, the matrix with its gaps, and the baseline crossing. */
export async function offerInventory(db: Kysely<Database>, filter: OfferFilter, options: { baseline?: string } = {}): Promise<OfferInventory> {
  const [all, districtNames] = await Promise.all([loadOffers(db), repository.listDistrictNames(db)]);
  const offers = all.filter((offer) => matchesFilter(offer, filter));
  const axes = {
    fieldsOfAction: filter.fieldsOfAction?.length ? FIELDS_OF_ACTION.filter((code) => filter.fieldsOfAction!.includes(code)) : [...FIELDS_OF_ACTION],
    targetGroups: (filter.targetGroups?.length ? TARGET_GROUPS.filter((code) => filter.targetGroups!.includes(code)) : [...TARGET_GROUPS]).filter((code) => code !== EVERYONE),
    districts: filter.districts?.length ? filter.districts : districtNames.filter((district) => !district.retired).map((district) => district.code),
  };
  const matrix = buildOfferMatrix(offers, axes);
  const baseline = await crossWithBaseline(db, offers, axes.fieldsOfAction, axes.districts, options.baseline);
  return { filter, offers, matrix, baseline };
}
