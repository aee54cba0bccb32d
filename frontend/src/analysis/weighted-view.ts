import { h } from '../shared/dom.ts';
import type { RepresentativenessReport, WeightedAggregate } from './api.ts';

const numberFormat = (locale: string, digits: number) => new Intl.NumberFormat(locale === 'de-x-easy' ? 'de' : locale, { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * The explorer's weighted view of one question: options × groups, the raked share with its 95 %
 * interval beneath, the withheld mark where the published counts do not carry a share. Numbers come
 * from `aggregate?weights=raked`, i.e. after the cell key method like every other table.
 */
export function renderWeightedTable(aggregate: WeightedAggregate, texts: { option: string; withheld: string; interval: string; base: string }, locale: string): HTMLElement {
  const percent = numberFormat(locale, 1);
  const tables = aggregate.items
    .filter((item) => item.type === 'single' || item.type === 'multiple')
    .map((item) =>
      h(
        'table',
        { class: 'weighted-table' },
        h('caption', {}, item.label),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, texts.option), ...aggregate.groups.map((group) => h('th', { scope: 'col' }, group.label)))),
        h(
          'tbody',
          {},
          ...item.options.map((option) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, option.label),
              ...aggregate.groups.map((_, g) => {
                const estimate = option.weighted?.[g] ?? null;
                if (!estimate) return h('td', { class: 'withheld' }, `• ${texts.withheld}`);
                return h(
                  'td',
                  {},
                  `${percent.format(estimate.share * 100)} %`,
                  h('span', { class: 'interval' }, `${texts.interval} ${percent.format(estimate.ciLow * 100)}–${percent.format(estimate.ciHigh * 100)} %`),
                );
              }),
            ),
          ),
          h('tr', {}, h('th', { scope: 'row' }, texts.base), ...item.base.map((n) => h('td', {}, String(n)))),
        ),
      ),
    );
  return h('div', { class: 'weighted-view' }, ...tables);
}

/** Sample against population per district, by age band and by gender (published counts only). */
export function renderRepresentativeness(
  report: RepresentativenessReport,
  texts: { town: string; category: string; sample: string; population: string; dimension: (code: string) => string; none: string },
  locale: string,
): HTMLElement {
  if (report.dimensions.length === 0) return h('p', {}, texts.none);
  const percent = numberFormat(locale, 1);
  const share = (value: number | null) => (value === null ? '•' : `${percent.format(value * 100)} %`);
  return h(
    'div',
    // Scrolls sideways on a narrow screen: focusable, so it scrolls by keyboard too.
    { class: 'representativeness', tabindex: '0', role: 'region', 'aria-label': `${texts.sample} / ${texts.population}` },
    ...report.dimensions.map((dimension) =>
      h(
        'table',
        { class: 'weighted-table' },
        h('caption', {}, texts.dimension(dimension.dimension)),
        h(
          'thead',
          {},
          h('tr', {}, h('th', { scope: 'col', rowspan: '2' }, texts.category), ...dimension.groups.map((group) => h('th', { scope: 'colgroup', colspan: '2' }, group.district === null ? texts.town : group.districtLabel))),
          h('tr', {}, ...dimension.groups.flatMap(() => [h('th', { scope: 'col' }, texts.sample), h('th', { scope: 'col' }, texts.population)])),
        ),
        h(
          'tbody',
          {},
          ...dimension.groups[0]!.categories.map((category, c) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, category.label),
              ...dimension.groups.flatMap((group) => [h('td', {}, share(group.categories[c]?.sampleShare ?? null)), h('td', {}, share(group.categories[c]?.populationShare ?? null))]),
            ),
          ),
        ),
      ),
    ),
  );
}
