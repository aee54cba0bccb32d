import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import type { ReturnsReport } from './api.ts';

type Count = number | null;

/** null is a withheld count ("•"), not zero: `?? 0` here once showed withheld cells as 0. */
const cellOf = (cells: Record<string, Count>, code: string): Count => (code in cells ? cells[code]! : 0);

/** Returns per district against the target, then per day, way and language; withheld counts show "•". */
export function renderReturns(report: ReturnsReport, locale: string): HTMLElement {
  const number = new Intl.NumberFormat(locale === 'de-x-easy' ? 'de' : locale, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(locale === 'de-x-easy' ? 'de' : locale, { style: 'percent', maximumFractionDigits: 1 });
  const count = (value: Count) => (value === null ? '•' : number.format(value));
  const share = (value: number | null) => (value === null ? '–' : percent.format(value));

  const districtRows = report.districts.map((district) => {
    const progress = district.target && district.n !== null ? Math.min(1, district.n / district.target) : null;
    const meter = h('meter', { min: '0', max: '1', value: String(progress ?? 0), 'aria-label': t('returns.progress') });
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, district.label),
      h('td', {}, district.population === null ? '–' : number.format(district.population)),
      h('td', {}, share(district.populationShare)),
      h('td', {}, count(district.n)),
      h('td', {}, share(district.share)),
      h('td', {}, district.target === null ? '–' : number.format(district.target)),
      h('td', {}, progress === null ? '–' : meter, progress === null ? '' : ` ${percent.format(progress)}`),
    );
  });
  const header = (...cells: string[]) => h('thead', {}, h('tr', {}, ...cells.map((cell) => h('th', { scope: 'col' }, cell))));
  const districtTable = h(
    'table',
    { class: 'data-table' },
    h('caption', {}, t('returns.byDistrict')),
    header(t('returns.district'), t('returns.population'), t('returns.populationShare'), t('returns.responses'), t('returns.share'), t('returns.target'), t('returns.progress')),
    h('tbody', {}, ...districtRows),
    h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, t('returns.total')), h('td'), h('td'), h('td', {}, count(report.total)), h('td'), h('td', {}, report.target === null ? '–' : number.format(report.target)), h('td'))),
  );

  const split = (caption: string, firstColumn: string, entries: { label: string; n: Count; districts: Record<string, Count> }[]) =>
    h(
      'table',
      { class: 'data-table' },
      h('caption', {}, caption),
      header(firstColumn, t('returns.total'), ...report.districts.map((district) => district.label)),
      h(
        'tbody',
        {},
        ...entries.map((entry) =>
          h('tr', {}, h('th', { scope: 'row' }, entry.label), h('td', {}, count(entry.n)), ...report.districts.map((district) => h('td', {}, count(cellOf(entry.districts, district.code))))),
        ),
      ),
    );

  const dayFormat = new Intl.DateTimeFormat(locale === 'de-x-easy' ? 'de' : locale, { dateStyle: 'medium', timeZone: 'UTC' });
  return h(
    'div',
    { class: 'returns' },
    districtTable,
    split(t('returns.byDay'), t('returns.day'), report.days.map((day) => ({ ...day, label: dayFormat.format(new Date(`${day.day}T00:00:00Z`)) }))),
    split(t('returns.byMode'), t('returns.mode'), report.modes),
    split(t('returns.byLanguage'), t('returns.language'), report.locales.filter((entry) => entry.n !== 0)),
    h('p', { class: 'legend' }, t('withheldLegend', { k: report.k })),
  );
}
