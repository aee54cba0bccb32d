import './breakdown-grid.css';
import {
  buildBreakdownGrid,
  defaultOption,
  gridItem,
  gridReference,
  groupedBars,
  heatColour,
  TOTAL_COLUMN,
  type AggregateResponse,
  type BreakdownGrid,
  type GridCell,
  type GridSort,
} from '../../../api/src/shared/breakdown-grid.ts';
import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { AnalysisRequestError, type AnalysisApi } from './api.ts';

/** The dimensions the aggregate offers, in the order the selects list them. */
const DIMENSIONS = ['target_group', 'district', 'mode', 'locale'] as const;

/** Okabe–Ito: told apart with every common colour-vision deficiency. */
const OPTION_COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#7f7f7f'];

export interface GridState {
  rows: string;
  columns: string;
  option: string | null;
  showInterval: boolean;
  showEmpty: boolean;
  sort: GridSort | null;
}

/** The next sort of a header on activation: shares largest first, labels A–Z first, the third press back to the server's order. */
export function nextSort(current: GridSort | null, by: string): GridSort | null {
  const first: GridSort['direction'] = by === 'label' ? 'ascending' : 'descending';
  if (!current || current.by !== by) return { by, direction: first };
  if (current.direction === first) return { by, direction: first === 'ascending' ? 'descending' : 'ascending' };
  return null;
}

const sortParam = (sort: GridSort | null) => (sort ? `${sort.by}:${sort.direction === 'ascending' ? 'asc' : 'desc'}` : null);

/** The image and CSV of what the grid shows, with the same choices (the server folds and sorts alike). */
export function gridDownloads(slug: string, item: string, state: GridState, weighted: boolean, locale: string) {
  const base = `/api/analysis/${encodeURIComponent(slug)}`;
  const by = `${state.rows},${state.columns}`;
  const image = (format: 'svg' | 'png') => {
    const params = new URLSearchParams({ by, layout: 'grid', lang: locale });
    if (state.option) params.set('option', state.option);
    if (weighted) params.set('weights', 'raked');
    if (state.showInterval && weighted) params.set('ci', 'show');
    if (state.showEmpty) params.set('empty', 'show');
    const sort = sortParam(state.sort);
    if (sort) params.set('sort', sort);
    return `${base}/charts/${encodeURIComponent(item)}.${format}?${params}`;
  };
  const csv = new URLSearchParams({ by, question: item, dialect: 'excel-de', lang: locale });
  if (weighted) csv.set('weights', 'raked');
  return { svg: image('svg'), png: image('png'), csv: `${base}/aggregate.csv?${csv}` };
}

function formatters(locale: string) {
  const tag = locale === 'de-x-easy' ? 'de' : locale;
  return {
    percent: new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    whole: new Intl.NumberFormat(tag, { maximumFractionDigits: 0 }),
  };
}

function cellElement(cell: GridCell, reference: number | null, showInterval: boolean, locale: string, header: string): HTMLTableCellElement {
  const { percent, whole } = formatters(locale);
  if (cell.state === 'empty') {
    return h('td', { class: 'grid-empty' }, h('span', { 'aria-hidden': 'true' }, '–'), h('span', { class: 'grid-sr' }, t('grid.empty')));
  }
  if (cell.state === 'withheld') {
    return h('td', { class: 'grid-withheld' }, h('span', { class: 'grid-share' }, `• ${t('explorer.withheld')}`), h('span', { class: 'grid-n' }, `n = ${whole.format(cell.n)}`));
  }
  const td = h(
    'td',
    { class: 'grid-value', 'data-share': String(cell.share) },
    h('span', { class: 'grid-share' }, `${percent.format(cell.share * 100)} %`),
    h('span', { class: 'grid-n' }, `n = ${whole.format(cell.n)}`),
  );
  td.style.backgroundColor = heatColour(cell.share, reference);
  const bar = h('span', { class: 'grid-bar', 'aria-hidden': 'true' }, h('span'));
  (bar.firstChild as HTMLElement).style.inlineSize = `${Math.min(100, cell.share * 100).toFixed(1)}%`;
  td.append(bar);
  if (showInterval && cell.ciLow !== null && cell.ciHigh !== null) {
    // "95 %:" said once in the notes beneath; screen readers get it in every cell.
    td.append(h('span', { class: 'grid-interval' }, h('span', { class: 'grid-sr' }, `${t('explorer.interval')} `), `${percent.format(cell.ciLow * 100)}–${percent.format(cell.ciHigh * 100)}`));
  }
  return td;
}

/** The grid as a table: headers are buttons that sort (aria-sort on the sorted one), the margin row and column set apart. */
export function renderGridTable(grid: BreakdownGrid, state: GridState, locale: string, onSort: (by: string) => void): HTMLTableElement {
  const reference = gridReference(grid);
  const sortButton = (by: string, label: string) => {
    const button = h('button', { type: 'button', class: 'grid-sort', 'data-sort': by }, label, h('span', { class: 'grid-sort-mark', 'aria-hidden': 'true' }, mark(by)));
    button.addEventListener('click', () => onSort(by));
    return button;
  };
  const mark = (by: string) => (grid.sort?.by === by ? (grid.sort.direction === 'ascending' ? ' ▲' : ' ▼') : ' ↕');
  const ariaSort = (by: string) => (grid.sort?.by === by ? grid.sort.direction : undefined);
  const columnIds = grid.columns.map((_, c) => `grid-col-${c}`);
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col', id: 'grid-col-label', 'aria-sort': ariaSort('label') }, sortButton('label', t(`dimensions.${grid.rowDimension}`))),
    ...grid.columns.map((column, c) =>
      h('th', { scope: 'col', id: columnIds[c], class: column.code === null ? 'grid-margin' : null, 'aria-sort': ariaSort(column.code ?? TOTAL_COLUMN) }, sortButton(column.code ?? TOTAL_COLUMN, column.label)),
    ),
  );
  const row = (line: BreakdownGrid['rows'][number], index: number, isTotal: boolean) => {
    const rowId = isTotal ? 'grid-row-total' : `grid-row-${index}`;
    return h(
      'tr',
      { class: isTotal ? 'grid-total' : null, 'data-code': line.code ?? TOTAL_COLUMN },
      h('th', { scope: 'row', id: rowId }, line.label),
      ...line.cells.map((cell, c) => cellElement(cell, reference, state.showInterval && grid.weighted, locale, `${rowId} ${columnIds[c]}`)),
    );
  };
  return h(
    'table',
    { class: 'breakdown-grid' },
    h('caption', {}, `${grid.question.label} — ${grid.option.label}${grid.weighted ? ` (${t('grid.weighted')})` : ''}`),
    h('thead', {}, head),
    h('tbody', {}, row(grid.total, 0, true), ...grid.rows.map((line, index) => row(line, index, false))),
  );
}

/** A question's options across the grid's column dimension: per value a group of bars, one per option. */
export function renderGroupedBars(response: AggregateResponse, item: string, dimension: string, weighted: boolean, locale: string): HTMLElement {
  const bars = groupedBars(response, item, dimension, weighted);
  const { percent } = formatters(locale);
  const colour = (o: number) => OPTION_COLOURS[o % OPTION_COLOURS.length]!;
  const legend = h(
    'ul',
    { class: 'grouped-legend' },
    ...bars.options.map((option, o) => {
      const swatch = h('span', { class: 'grouped-swatch', 'aria-hidden': 'true' });
      swatch.style.backgroundColor = colour(o);
      return h('li', {}, swatch, option.label);
    }),
  );
  const body = bars.groups.map((group, index) =>
    h(
      'tbody',
      { class: index === 0 ? 'grouped-total' : null },
      ...group.cells.map((cell, o) => {
        const fill = h('span', { class: 'grouped-fill', 'aria-hidden': 'true' });
        fill.style.backgroundColor = colour(o);
        const value = cell.state === 'value' ? `${percent.format(cell.share * 100)} %` : cell.state === 'withheld' ? `• ${t('explorer.withheld')}` : '–';
        if (cell.state === 'value') fill.style.inlineSize = `${Math.min(100, cell.share * 100).toFixed(1)}%`;
        else fill.classList.add(cell.state === 'withheld' ? 'grouped-withheld' : 'grouped-none');
        return h(
          'tr',
          {},
          o === 0 ? h('th', { scope: 'rowgroup', rowspan: String(group.cells.length), class: 'grouped-group' }, group.label) : null,
          h('th', { scope: 'row', class: 'grouped-option' }, bars.options[o]!.label),
          h('td', { class: 'grouped-bar' }, fill),
          h('td', { class: 'grouped-value' }, value),
        );
      }),
    ),
  );
  return h(
    'figure',
    { class: 'grouped-bars' },
    h('figcaption', {}, h('strong', {}, t('grid.barsHeading', { dimension: t(`dimensions.${dimension}`) })), legend),
    h('table', { class: 'grouped-table' }, h('caption', { class: 'grid-sr' }, bars.question.label), ...body),
  );
}

/**
 * The breakdown grid of the question explorer: two chosen dimensions, one option's published share
 * per cell on a heat scale, the interval on demand, empty groups folded, sortable, with the image
 * and the CSV of the same numbers, and the question's options as grouped bars across the columns.
 */
export function mountBreakdownGrid(api: AnalysisApi, slug: string, locale: string) {
  const state: GridState = { rows: 'target_group', columns: 'district', option: null, showInterval: false, showEmpty: false, sort: null };
  const dimensionSelect = (id: string, value: string) => {
    const select = h('select', { id }, ...DIMENSIONS.map((dim) => h('option', { value: dim }, t(`dimensions.${dim}`))));
    select.value = value;
    return select;
  };
  const rowsSelect = dimensionSelect('grid-rows', state.rows);
  const columnsSelect = dimensionSelect('grid-columns', state.columns);
  const optionSelect = h('select', { id: 'grid-option' });
  const intervalBox = h('input', { type: 'checkbox', id: 'grid-interval' });
  const emptyBox = h('input', { type: 'checkbox', id: 'grid-empty' });
  const gridBox = h('div', { class: 'grid-scroll', role: 'region', tabindex: '0', 'aria-labelledby': 'grid-heading' });
  const notes = h('p', { class: 'hint grid-notes', 'aria-live': 'polite' });
  const downloads = h('div', { class: 'grid-downloads' });
  const barsBox = h('div', { class: 'grid-bars' });
  let current: { item: string; weighted: boolean } | null = null;
  let response: AggregateResponse | null = null;
  let loaded = '';
  let requests = 0;

  const draw = () => {
    if (!current || !response) return;
    const { item, weighted } = current;
    intervalBox.disabled = !weighted;
    let choice;
    try {
      choice = gridItem(response, item);
    } catch {
      gridBox.replaceChildren(h('p', {}, t('grid.notChoice')));
      notes.replaceChildren();
      downloads.replaceChildren();
      barsBox.replaceChildren();
      return;
    }
    if (!state.option || !choice.options.some((option) => option.code === state.option)) state.option = defaultOption(choice, weighted);
    optionSelect.replaceChildren(...choice.options.map((option) => h('option', { value: option.code }, option.label)));
    optionSelect.value = state.option ?? '';
    const grid = buildBreakdownGrid(response, item, { rows: state.rows, columns: state.columns, option: state.option ?? '', weighted, showEmpty: state.showEmpty, sort: state.sort }, locale);
    const table = renderGridTable(grid, state, locale, (by) => {
      state.sort = nextSort(state.sort, by);
      draw();
      gridBox.querySelector<HTMLButtonElement>(`button[data-sort="${CSS.escape(by)}"]`)?.focus();
    });
    gridBox.replaceChildren(table);
    // Many columns (target groups across) need the full width: the grouped bars move beneath.
    layout.classList.toggle('grid-layout--wide', grid.columns.length > 6);
    const reference = gridReference(grid);
    const hidden = grid.hiddenRows + grid.hiddenColumns;
    notes.replaceChildren(
      reference === null ? '' : t('grid.heatLegend', { total: `${formatters(locale).percent.format(reference * 100)} %` }),
      hidden > 0 && !state.showEmpty ? ` ${t('grid.folded', { count: hidden })}` : '',
      !weighted ? ` ${t('grid.intervalHint')}` : state.showInterval ? ` ${t('grid.intervalLegend')}` : '',
    );
    const links = gridDownloads(slug, item, state, weighted, locale);
    downloads.replaceChildren(
      h('a', { class: 'button button--secondary grid-download', href: links.png, download: '', 'data-download': 'png' }, t('grid.png')),
      h('a', { class: 'button button--secondary grid-download', href: links.svg, download: '', 'data-download': 'svg' }, t('grid.svg')),
      h('a', { class: 'button button--secondary grid-download', href: links.csv, download: '', 'data-download': 'csv' }, t('grid.csv')),
    );
    barsBox.replaceChildren(renderGroupedBars(response, item, state.columns, weighted, locale));
  };

  const load = async () => {
    if (!current) return;
    const key = `${current.item}|${state.rows},${state.columns}|${current.weighted}`;
    if (key === loaded && response) return draw();
    gridBox.replaceChildren(t('common:loading'));
    // Only the latest request draws: an answer overtaken by a newer choice is dropped.
    const request = (requests += 1);
    try {
      const answer = await api.aggregate(slug, current.item, [state.rows, state.columns], current.weighted);
      if (request !== requests) return;
      response = answer;
      loaded = key;
      draw();
    } catch (error) {
      if (request !== requests) return;
      response = null;
      loaded = '';
      gridBox.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, error instanceof AnalysisRequestError ? error.message : t('loadFailed')));
      downloads.replaceChildren();
      barsBox.replaceChildren();
    }
  };

  const chooseDimension = (changed: 'rows' | 'columns') => {
    const other = changed === 'rows' ? 'columns' : 'rows';
    const next = (changed === 'rows' ? rowsSelect : columnsSelect).value;
    // The same dimension twice is no grid: the other side takes the one given up.
    if (next === state[other]) {
      state[other] = state[changed];
      (other === 'rows' ? rowsSelect : columnsSelect).value = state[other];
    }
    state[changed] = next;
    state.sort = null;
    void load();
  };
  rowsSelect.addEventListener('change', () => chooseDimension('rows'));
  columnsSelect.addEventListener('change', () => chooseDimension('columns'));
  optionSelect.addEventListener('change', () => {
    state.option = optionSelect.value;
    draw();
  });
  intervalBox.addEventListener('change', () => {
    state.showInterval = intervalBox.checked;
    draw();
  });
  emptyBox.addEventListener('change', () => {
    state.showEmpty = emptyBox.checked;
    draw();
  });

  const layout = h('div', { class: 'grid-layout' }, h('div', { class: 'grid-main' }, gridBox, notes), barsBox);
  const control = (id: string, label: string, input: HTMLElement) => h('span', { class: 'grid-control' }, h('label', { for: id }, label), input);
  const check = (id: string, label: string, input: HTMLElement) => h('span', { class: 'grid-control choice' }, input, h('label', { for: id }, label));
  const element = h(
    'div',
    { class: 'grid-panel' },
    h('h3', { id: 'grid-heading' }, t('grid.heading')),
    h(
      'div',
      { class: 'grid-toolbar' },
      control('grid-rows', t('grid.rows'), rowsSelect),
      control('grid-columns', t('grid.columns'), columnsSelect),
      control('grid-option', t('grid.option'), optionSelect),
      check('grid-interval', t('grid.interval'), intervalBox),
      check('grid-empty', t('grid.showEmpty'), emptyBox),
      downloads,
    ),
    layout,
  );
  return {
    element,
    /** Shows the grid for a question (the explorer's choice) and the weighted switch's state. */
    update: (item: string, weighted: boolean) => {
      current = { item, weighted };
      return load();
    },
  };
}
