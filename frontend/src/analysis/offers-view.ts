import type { OfferInventory } from '../../../api/src/shared/contract.ts';
import type { NormalisedOffer } from '../../../api/src/shared/offers.ts';
import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';

type Labelled = OfferInventory & {
  labels: {
    fieldsOfAction: Record<string, string>;
    targetGroups: Record<string, string>;
    languages: Record<string, string>;
    districts: Record<string, string>;
    costs: Record<string, string>;
    times: Record<string, string>;
    accessibility: Record<string, string>;
  };
};

async function fetchInventory(query: URLSearchParams, locale: string): Promise<Labelled> {
  const response = await fetch(`/api/analysis/offers?${query}`, { headers: { accept: 'application/json', 'accept-language': locale }, credentials: 'same-origin', cache: 'no-store' });
  const body = (await response.json()) as Labelled & { error?: { message: string } };
  if (!response.ok) throw new Error(body.error?.message ?? response.statusText);
  return body;
}

function exportLinks(query: URLSearchParams): HTMLElement {
  const link = (file: string, extra: Record<string, string>, label: string) => {
    const params = new URLSearchParams(query);
    for (const [key, value] of Object.entries(extra)) params.set(key, value);
    const text = params.toString();
    return h('a', { class: 'button-link', href: `/api/analysis/${file}${text ? `?${text}` : ''}`, download: '' }, label);
  };
  return h('p', { class: 'offers-exports' }, link('offers.csv', {}, t('offers.exportCsv')), ' ', link('offers.csv', { dialect: 'excel-de' }, t('offers.exportCsvExcel')), ' ', link('offers.xlsx', {}, t('offers.exportXlsx')));
}

function offersTable(inventory: Labelled, offers: NormalisedOffer[], caption: string): HTMLElement {
  const { labels } = inventory;
  const list = (codes: string[], map: Record<string, string>) => codes.map((code) => map[code] ?? code).join(', ');
  return h(
    'table',
    { class: 'data-table' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...[t('offers.title'), t('offers.organisation'), t('offers.targetGroups'), t('offers.languages'), t('offers.cost'), t('offers.times'), t('offers.accessibility'), t('offers.capacity'), t('offers.public'), t('offers.consent')].map((text) => h('th', { scope: 'col' }, text)))),
    h(
      'tbody',
      {},
      ...offers.map((offer) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, offer.title),
          h('td', {}, offer.actor?.name ?? offer.organisationName ?? '–'),
          h('td', {}, list(offer.targetGroups, labels.targetGroups)),
          h('td', {}, list(offer.languages, labels.languages) || '–'),
          // Not asked (version 1) shows as a dash; asked with no item ticked (`none`) as an empty list, also a dash.
          h('td', {}, offer.cost ? (labels.costs[offer.cost] ?? offer.cost) : '–'),
          h('td', {}, list(offer.times ?? [], labels.times) || '–'),
          h('td', {}, list(offer.accessibility ?? [], labels.accessibility) || '–'),
          h('td', {}, offer.capacity === null ? '–' : String(offer.capacity)),
          h('td', {}, offer.actor?.isPublic ? t('offers.yes') : t('offers.no')),
          h('td', {}, offer.publicationConsent === null ? '–' : offer.publicationConsent ? t('offers.yes') : t('offers.no')),
        ),
      ),
    ),
  );
}

/** One table per field of action: target groups × districts; a gap says so in words and with a sign, not by colour alone. */
function matrixTables(inventory: Labelled, details: HTMLElement): HTMLElement[] {
  const { axes, cells } = inventory.matrix;
  const { labels } = inventory;
  const byId = new Map(inventory.offers.map((offer) => [offer.id, offer]));
  return axes.fieldsOfAction.map((field) => {
    const fieldLabel = labels.fieldsOfAction[field] ?? field;
    const rows = axes.targetGroups.map((group) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, labels.targetGroups[group] ?? group),
        ...axes.districts.map((district) => {
          const cell = cells.find((c) => c.fieldOfAction === field && c.targetGroup === group && c.district === district)!;
          if (cell.gap) return h('td', { class: 'offers-gap' }, h('span', { 'aria-hidden': 'true' }, '✕ '), t('offers.gap'));
          const button = h('button', { type: 'button', class: 'link-button' }, t('offers.count', { n: cell.offers.length }), cell.onlyForEveryone ? ` (${t('offers.onlyForEveryone')})` : '');
          button.addEventListener('click', () => {
            const caption = t('offers.cellCaption', { field: fieldLabel, group: labels.targetGroups[group] ?? group, district: labels.districts[district] ?? district });
            details.replaceChildren(offersTable(inventory, cell.offers.map((id) => byId.get(id)!), caption));
            details.focus();
          });
          return h('td', {}, button);
        }),
      ),
    );
    return h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'data-table offers-matrix' },
        h('caption', {}, fieldLabel),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('offers.targetGroup')), ...axes.districts.map((district) => h('th', { scope: 'col' }, labels.districts[district] ?? district)))),
        h('tbody', {}, ...rows),
      ),
    );
  });
}

/** The baseline next to the offers: published shares only ("•" where too few residents answered). */
function baselineTable(inventory: Labelled, locale: string): HTMLElement {
  const percent = new Intl.NumberFormat(locale === 'de-x-easy' ? 'de' : locale, { style: 'percent', maximumFractionDigits: 0 });
  const { labels } = inventory;
  const share = (crossing: Labelled['baseline']['crossings'][number], barrier: string) => {
    const found = crossing.barriers.find((b) => b.barrier === barrier);
    return found?.share === null || found?.share === undefined ? '•' : percent.format(found.share);
  };
  const rows = inventory.baseline.crossings.map((crossing) => {
    const f = crossing.facts;
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, `${labels.fieldsOfAction[crossing.fieldOfAction] ?? crossing.fieldOfAction} – ${labels.districts[crossing.district] ?? crossing.district}`),
      h('td', {}, String(f.offers)),
      h('td', {}, share(crossing, 'barrier_cost')),
      h('td', {}, f.cost.notAsked === f.offers ? t('offers.notAsked') : t('offers.costFacts', { free: f.cost.free, paid: f.cost.paid + f.cost.reduced })),
      h('td', {}, share(crossing, 'barrier_language')),
      h('td', {}, t('offers.languageFacts', { beyond: f.languages.beyondGerman })),
      h('td', {}, share(crossing, 'barrier_distance')),
      h('td', {}, t('offers.placeFacts', { local: f.place.local, townWide: f.place.townWide })),
    );
  });
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'data-table' },
      h('caption', {}, t('offers.baselineCaption')),
      h(
        'thead',
        {},
        h('tr', {}, ...[t('offers.fieldDistrict'), t('offers.offers'), t('offers.barrierCost'), t('offers.offersCost'), t('offers.barrierLanguage'), t('offers.offersLanguage'), t('offers.barrierDistance'), t('offers.offersPlace')].map((text) => h('th', { scope: 'col' }, text))),
      ),
      h('tbody', {}, ...rows),
    ),
  );
}

/** The inventory of offers in the dashboard: filters, the matrix with its gaps, a cell's offers, the baseline crossing, exports. */
export function renderOffersView(locale: string): HTMLElement {
  const section = h('section', { class: 'offers-view', 'aria-labelledby': 'offers-heading' }, h('h2', { id: 'offers-heading' }, t('offers.heading')), h('p', {}, t('offers.intro')));
  const fieldSelect = h('select', { id: 'offers-field' }, h('option', { value: '' }, t('offers.all')));
  const districtSelect = h('select', { id: 'offers-district' }, h('option', { value: '' }, t('offers.all')));
  const filters = h(
    'div',
    { class: 'field inline' },
    h('label', { for: 'offers-field' }, t('offers.field')),
    fieldSelect,
    h('label', { for: 'offers-district' }, t('offers.district')),
    districtSelect,
  );
  const body = h('div', { 'aria-live': 'polite' });
  const details = h('div', { class: 'offers-details', tabindex: '-1' });
  section.append(filters, body, details);
  let filled = false;
  const load = async () => {
    const query = new URLSearchParams();
    if (fieldSelect.value) query.set('fieldOfAction', fieldSelect.value);
    if (districtSelect.value) query.set('district', districtSelect.value);
    try {
      const inventory = await fetchInventory(query, locale);
      if (!filled) {
        filled = true;
        fieldSelect.append(...Object.entries(inventory.labels.fieldsOfAction).map(([code, label]) => h('option', { value: code }, label)));
        districtSelect.append(...Object.entries(inventory.labels.districts).map(([code, label]) => h('option', { value: code }, label)));
      }
      details.replaceChildren();
      body.replaceChildren(
        exportLinks(query),
        h('p', {}, t('offers.summary', { offers: inventory.offers.length, gaps: inventory.matrix.gaps, cells: inventory.matrix.cells.length })),
        ...matrixTables(inventory, details),
        inventory.baseline.baseline ? baselineTable(inventory, locale) : h('p', {}, t('offers.noBaseline')),
        h('p', { class: 'hint' }, t('offers.baselineNote')),
      );
    } catch (error) {
      body.replaceChildren(h('p', { role: 'alert' }, error instanceof Error ? error.message : String(error)));
    }
  };
  fieldSelect.addEventListener('change', () => void load());
  districtSelect.addEventListener('change', () => void load());
  void load();
  return section;
}
