import ExcelJS from 'exceljs';
import { csvText, neutraliseFormula, type CsvDialect, type CsvValue } from '../analysis/csv/csv-writer.ts';
import type { NormalisedOffer } from '../shared/offers.ts';
import type { OfferInventory } from '../shared/offers.ts';

/** offers.csv and the `matrix` sheet: one row per offer in a cell, and one row (no offer) per gap. */
export const MATRIX_COLUMNS = [
  'field_of_action', 'target_group', 'district', 'gap', 'only_for_everyone',
  'offer_id', 'offer_title', 'organisation', 'actor_id', 'languages', 'cost', 'frequency', 'town_wide', 'districts_from',
] as const;
export const OFFER_COLUMNS = [
  'offer_id', 'response_id', 'instrument_version', 'actor_id', 'actor_name', 'actor_public', 'organisation', 'organisation_kind',
  'offer_title', 'field_of_action', 'target_groups', 'districts', 'town_wide', 'districts_from', 'where', 'languages',
  'frequency', 'cost', 'times', 'accessibility', 'capacity',
] as const;
export const BASELINE_COLUMNS = [
  'field_of_action', 'district', 'baseline_respondents', 'barrier', 'barrier_count', 'barrier_share',
  'offers', 'offers_free', 'offers_reduced', 'offers_paid', 'offers_cost_not_asked', 'offers_beyond_german', 'offers_german_only',
  'offers_times_given', 'offers_accessibility_given', 'offers_local', 'offers_town_wide',
] as const;

const list = (codes: readonly string[] | null) => (codes === null ? null : codes.join(';'));
const organisation = (offer: NormalisedOffer) => offer.actor?.name ?? offer.organisationName;
const yesNo = (value: boolean) => (value ? 1 : 0);

export function matrixRecords(inventory: OfferInventory): CsvValue[][] {
  const byId = new Map(inventory.offers.map((offer) => [offer.id, offer]));
  return inventory.matrix.cells.flatMap((cell) => {
    const head = [cell.fieldOfAction, cell.targetGroup, cell.district, yesNo(cell.gap), yesNo(cell.onlyForEveryone)];
    if (cell.gap) return [[...head, null, null, null, null, null, null, null, null, null]];
    return cell.offers.map((id) => {
      const offer = byId.get(id)!;
      return [...head, offer.id, offer.title, organisation(offer), offer.actor?.id ?? null, list(offer.languages), offer.cost, offer.frequency, yesNo(offer.townWide), offer.districtsFrom];
    });
  });
}

export function offerRecords(inventory: OfferInventory): CsvValue[][] {
  return inventory.offers.map((offer) => [
    offer.id, offer.responseId, offer.instrumentVersion, offer.actor?.id ?? null, offer.actor?.name ?? null, offer.actor ? yesNo(offer.actor.isPublic) : null,
    offer.organisationName, offer.organisationKind, offer.title, offer.fieldOfAction, list(offer.targetGroups), list(offer.districts),
    yesNo(offer.townWide), offer.districtsFrom, offer.where, list(offer.languages), offer.frequency, offer.cost, list(offer.times),
    list(offer.accessibility), offer.capacity,
  ]);
}

/** Only published (cell key) counts and the shares derived from them; nothing here is a raw count of residents. */
export function baselineRecords(inventory: OfferInventory): CsvValue[][] {
  return inventory.baseline.crossings.flatMap((crossing) =>
    crossing.barriers.map((barrier) => {
      const facts = crossing.facts;
      return [
        crossing.fieldOfAction, crossing.district, crossing.residents, barrier.barrier, barrier.count, barrier.share,
        facts.offers, facts.cost.free, facts.cost.reduced, facts.cost.paid, facts.cost.notAsked, facts.languages.beyondGerman, facts.languages.germanOnly,
        facts.times.given, facts.accessibility.given, facts.place.local, facts.place.townWide,
      ];
    }),
  );
}

/** offers.csv: the matrix in long format (formula-safe through the analysis CSV writer). */
export function offersCsv(inventory: OfferInventory, dialect: CsvDialect): string {
  return (dialect === 'excel-de' ? '\uFEFF' : '') + csvText([[...MATRIX_COLUMNS], ...matrixRecords(inventory)], dialect);
}

/**
 * offers.xlsx: sheets `matrix` (as offers.csv), `offers` (one row per offer) and `baseline` (the
 * crossing). Organisations' texts are written as text cells; a leading `=` is neutralised all the
 * same, because copying a cell into a CSV would bring the formula back.
 */
export async function offersXlsx(inventory: OfferInventory): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = (name: string, header: readonly string[], rows: CsvValue[][]) => {
    const worksheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    worksheet.addRow([...header]).font = { bold: true };
    for (const row of rows) worksheet.addRow(row.map((value) => (typeof value === 'string' ? neutraliseFormula(value) : (value ?? null))));
  };
  sheet('matrix', MATRIX_COLUMNS, matrixRecords(inventory));
  sheet('offers', OFFER_COLUMNS, offerRecords(inventory));
  sheet('baseline', BASELINE_COLUMNS, baselineRecords(inventory));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
