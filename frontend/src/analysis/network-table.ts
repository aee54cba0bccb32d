import type { NetworkComparison, NetworkEdge, NetworkNode } from '../../../api/src/shared/contract.ts';
import type { NetworkSizeMetric } from '../../../api/src/shared/network-map.ts';
import { h } from '../shared/dom.ts';

/** What the tables need besides the data: the page's words and number format. */
export interface NetworkTableTexts {
  t: (key: string, options?: Record<string, unknown>) => string;
  kindLabel: (code: string) => string;
  fieldLabel: (code: string) => string;
  districtLabel: (code: string) => string;
  tieKindLabel: (code: string) => string;
  metricLabel: (metric: NetworkSizeMetric) => string;
  number: (value: number | null) => string;
  date: (iso: string) => string;
}

const METRIC_COLUMNS: NetworkSizeMetric[] = ['degree', 'betweenness', 'closeness', 'eigenvector', 'pagerank', 'brokerage'];

function table(caption: string, headings: string[], rows: HTMLTableRowElement[], className: string): HTMLTableElement {
  return h(
    'table',
    { class: `data-table ${className}` },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...headings.map((heading) => h('th', { scope: 'col' }, heading)))),
    h('tbody', {}, ...rows),
  );
}

/**
 * The network as tables: the same actors and ties as the map, with every figure, for reading with
 * a screen reader, for copying into a report, and for anyone who finds the picture hard to read.
 * Actors are ordered by the figure the map sizes them by (largest first), then by name.
 */
export function renderNetworkTables(
  nodes: readonly NetworkNode[],
  edges: readonly NetworkEdge[],
  comparison: NetworkComparison | undefined,
  size: NetworkSizeMetric,
  texts: NetworkTableTexts,
): HTMLElement {
  const { t } = texts;
  const names = new Map(nodes.map((node) => [node.id, node.name]));
  const ordered = [...nodes].sort((a, b) => (b[size] ?? -1) - (a[size] ?? -1) || a.name.localeCompare(b.name));
  const actorRows = ordered.map((node) =>
    h(
      'tr',
      { 'data-id': node.id },
      h('th', { scope: 'row' }, node.name),
      h('td', {}, texts.kindLabel(node.kind)),
      h('td', {}, node.fieldsOfAction.map(texts.fieldLabel).join(', ')),
      h('td', {}, node.districts.map(texts.districtLabel).join(', ')),
      ...METRIC_COLUMNS.map((metric) => h('td', { class: 'number' }, texts.number(node[metric]))),
      h('td', { class: 'number' }, String(node.community)),
    ),
  );
  const tieRows = [...edges]
    .map((edge) => ({ edge, a: names.get(edge.source) ?? edge.source, b: names.get(edge.target) ?? edge.target }))
    .map((row) => (row.a.localeCompare(row.b) <= 0 ? row : { ...row, a: row.b, b: row.a }))
    .sort((x, y) => x.a.localeCompare(y.a) || x.b.localeCompare(y.b))
    .map(({ edge, a, b }) =>
      h(
        'tr',
        { 'data-source': edge.source, 'data-target': edge.target },
        h('td', {}, a),
        h('td', {}, b),
        h('td', {}, edge.kinds.map(texts.tieKindLabel).join(', ')),
        h('td', { class: 'number' }, String(edge.ties)),
        h('td', {}, texts.date(edge.firstObservedOn)),
        h('td', {}, texts.date(edge.lastObservedOn)),
      ),
    );
  const parts: HTMLElement[] = [
    table(
      t('network.table.actors'),
      [t('network.table.name'), t('network.kind'), t('network.details.fields'), t('network.details.districts'), ...METRIC_COLUMNS.map(texts.metricLabel), t('network.details.community')],
      actorRows,
      'network-actors',
    ),
    table(
      t('network.table.ties'),
      [t('network.table.from'), t('network.table.to'), t('network.table.kinds'), t('network.table.count'), t('network.table.first'), t('network.table.last')],
      tieRows,
      'network-ties',
    ),
  ];
  if (comparison) parts.push(renderComparison(comparison, texts));
  // Wide tables scroll sideways: the region takes the focus so that the keyboard can scroll it too.
  return h('div', { class: 'network-tables', role: 'region', tabindex: 0, 'aria-label': t('network.views.table') }, ...parts);
}

/** New and lost ties between the date compared with and the network shown. */
export function renderComparison(comparison: NetworkComparison, texts: NetworkTableTexts): HTMLElement {
  const { t } = texts;
  const list = (ties: NetworkComparison['newEdges'], className: string) =>
    ties.length === 0 ? h('p', { class: className }, t('network.comparison.none')) : h('ul', { class: className }, ...ties.map((tie) => h('li', {}, `${tie.sourceName} – ${tie.targetName}`)));
  return h(
    'div',
    { class: 'network-comparison' },
    h('h3', {}, t('network.comparison.heading', { date: texts.date(comparison.date) })),
    h('h4', {}, t('network.comparison.newTies', { count: comparison.newEdges.length })),
    list(comparison.newEdges, 'new-ties'),
    h('h4', {}, t('network.comparison.lostTies', { count: comparison.lostEdges.length })),
    list(comparison.lostEdges, 'lost-ties'),
  );
}
