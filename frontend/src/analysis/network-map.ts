import { UndirectedGraph } from 'graphology';
import Sigma from 'sigma';
import type { NetworkAnalysis, NetworkComparison, NetworkNode } from '../../../api/src/shared/contract.ts';
import {
  NETWORK_COLOR_MODES,
  NETWORK_SIZE_METRICS,
  nodeRadius,
  paletteColor,
  type NetworkColorMode,
  type NetworkPosition,
  type NetworkSizeMetric,
} from '../../../api/src/shared/network-map.ts';
import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { AnalysisRequestError, type AnalysisApi } from './api.ts';
import { renderComparison, renderNetworkTables, type NetworkTableTexts } from './network-table.ts';

/** `GET /api/analysis/network?layout=true`: the analysis, the map's positions and the names of the codes. */
export interface NetworkView extends NetworkAnalysis {
  layout: Record<string, NetworkPosition>;
  comparison?: NetworkComparison;
  labels: { kinds: Record<string, string>; fieldsOfAction: Record<string, string>; districts: Record<string, string> };
  /** Every workshop wave (by name); `workshopId` where it was synced from the workshop page. */
  waves: { name: string; heldOn: string; workshopId: string | null }[];
}

const TIE_KINDS = ['information', 'joint_projects', 'referrals', 'shared_premises', 'funding'] as const;
const NEW_TIE = '#1e6b34';
const LOST_TIE = '#b3261e';
const FADED = '#d4d4d4';

function select(id: string, label: string, options: [string, string][], value = ''): { field: HTMLElement; control: HTMLSelectElement } {
  const control = h('select', { id }, ...options.map(([code, text]) => h('option', { value: code }, text)));
  control.value = value;
  return { field: h('div', { class: 'field' }, h('label', { for: id }, label), control), control };
}

function dateInput(id: string, label: string): { field: HTMLElement; control: HTMLInputElement } {
  const control = h('input', { id, type: 'date' });
  return { field: h('div', { class: 'field' }, h('label', { for: id }, label), control), control };
}

const byLabel = (labels: Record<string, string>): [string, string][] => Object.entries(labels).sort((a, b) => a[1].localeCompare(b[1]));

/**
 * The interactive map: sigma.js on a graphology graph with the server's ForceAtlas2 positions,
 * points sized by the chosen figure and coloured by kind or community. Keyboard: arrow keys move
 * the selection to the nearest actor in that direction, + and − zoom, Escape clears.
 */
class NetworkMap {
  private readonly graph = new UndirectedGraph();
  private readonly renderer: Sigma;
  private selected: string | null = null;
  /** The container outlives the map (a new one per filter): its key listener goes with the map. */
  private readonly listening = new AbortController();

  constructor(
    private readonly container: HTMLElement,
    private readonly view: NetworkView,
    private readonly size: NetworkSizeMetric,
    private readonly color: NetworkColorMode,
    private readonly onSelect: (id: string | null) => void,
  ) {
    const top = Math.max(0, ...view.nodes.map((node) => node[size] ?? 0));
    for (const node of view.nodes) {
      const position = view.layout[node.id] ?? { x: 0.5, y: 0.5 };
      this.graph.addNode(node.id, {
        label: node.name,
        // sigma's y points up, the layout's down (as in the SVG).
        x: position.x,
        y: 1 - position.y,
        size: nodeRadius(node[size], top, 4, 16),
        color: this.colorOf(node),
      });
    }
    const status = new Map<string, 'new' | 'lost'>();
    const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
    for (const tie of view.comparison?.newEdges ?? []) status.set(key(tie.source, tie.target), 'new');
    for (const edge of view.edges) {
      const change = status.get(key(edge.source, edge.target));
      this.graph.addEdge(edge.source, edge.target, { color: change === 'new' ? NEW_TIE : '#9a9a9a', size: change === 'new' ? 3 : 1 });
    }
    // Lost ties between actors still shown are drawn in red; ties of actors no longer there are listed below the map.
    for (const tie of view.comparison?.lostEdges ?? []) {
      if (this.graph.hasNode(tie.source) && this.graph.hasNode(tie.target) && !this.graph.hasEdge(tie.source, tie.target)) {
        this.graph.addEdge(tie.source, tie.target, { color: LOST_TIE, size: 2 });
      }
    }
    this.renderer = new Sigma(this.graph, container, {
      allowInvalidContainer: true,
      labelRenderedSizeThreshold: 7,
      labelFont: 'system-ui, sans-serif',
      zIndex: true,
      nodeReducer: (id, data) => {
        if (!this.selected) return data;
        if (id === this.selected) return { ...data, highlighted: true, zIndex: 2 };
        if (this.graph.areNeighbors(id, this.selected)) return { ...data, zIndex: 1, forceLabel: true };
        return { ...data, color: FADED, label: '', zIndex: 0 };
      },
      edgeReducer: (id, data) => {
        if (!this.selected) return data;
        return this.graph.hasExtremity(id, this.selected) ? { ...data, size: Math.max(2, data.size ?? 1) } : { ...data, hidden: true };
      },
    });
    this.renderer.on('clickNode', ({ node }) => this.select(node));
    this.renderer.on('clickStage', () => this.select(null));
    container.addEventListener('keydown', (event) => this.onKey(event), { signal: this.listening.signal });
  }

  private colorOf(node: NetworkNode): string {
    if (this.color === 'community') return paletteColor(node.community);
    return paletteColor(Math.max(0, Object.keys(this.view.labels.kinds).indexOf(node.kind)));
  }

  select(id: string | null, options: { focus?: boolean } = {}): void {
    this.selected = id && this.graph.hasNode(id) ? id : null;
    this.renderer.refresh();
    if (this.selected && options.focus !== false) {
      const display = this.renderer.getNodeDisplayData(this.selected);
      if (display) void this.renderer.getCamera().animate({ x: display.x, y: display.y, ratio: Math.min(this.renderer.getCamera().ratio, 0.8) }, { duration: 250 });
    }
    this.onSelect(this.selected);
  }

  /** The nearest actor on screen in a direction from the selected one (a cone of 90°, nearer to the axis preferred). */
  private nearest(dx: number, dy: number): string | null {
    const nodes = this.graph.nodes();
    if (!this.selected) return nodes.length > 0 ? this.view.nodes[0]!.id : null;
    const screen = (id: string) => this.renderer.graphToViewport(this.graph.getNodeAttributes(id) as { x: number; y: number });
    const from = screen(this.selected);
    let best: string | null = null;
    let bestScore = Infinity;
    for (const id of nodes) {
      if (id === this.selected) continue;
      const p = screen(id);
      const along = (p.x - from.x) * dx + (p.y - from.y) * dy;
      const across = Math.abs((p.x - from.x) * dy - (p.y - from.y) * dx);
      if (along <= 0 || across > along) continue;
      const score = along + 2 * across;
      if (score < bestScore) [best, bestScore] = [id, score];
    }
    return best;
  }

  private onKey(event: KeyboardEvent): void {
    const directions: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const camera = this.renderer.getCamera();
    if (event.key in directions) {
      const [dx, dy] = directions[event.key]!;
      const next = this.nearest(dx, dy);
      if (next) this.select(next);
    } else if (event.key === '+' || event.key === '=') void camera.animatedZoom({ duration: 200 });
    else if (event.key === '-') void camera.animatedUnzoom({ duration: 200 });
    else if (event.key === '0') void camera.animatedReset({ duration: 200 });
    else if (event.key === 'Escape') this.select(null);
    else return;
    event.preventDefault();
  }

  destroy(): void {
    this.listening.abort();
    this.renderer.kill();
  }
}

function webglAvailable(): boolean {
  try {
    return Boolean(document.createElement('canvas').getContext('webgl'));
  } catch {
    return false;
  }
}

/** The network part of the dashboard: filters, the map with its details, the tables, the comparison, downloads. */
export async function renderNetworkView(root: HTMLElement, api: AnalysisApi, locale: string): Promise<void> {
  const tag = locale === 'de-x-easy' ? 'de' : locale;
  const numberFormat = new Intl.NumberFormat(tag, { maximumFractionDigits: 3 });
  const dateFormat = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' });
  const metricLabel = (metric: NetworkSizeMetric) => t(`network.metric.${metric}`);
  const all = t('network.all');

  // The first answer gives the names of the codes for the filters.
  let view: NetworkView;
  try {
    view = await api.network<NetworkView>(new URLSearchParams({ layout: 'true' }));
  } catch (error) {
    root.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, error instanceof AnalysisRequestError ? error.message : t('loadFailed')));
    return;
  }
  const { labels } = view;
  const field = select('network-field', t('network.fieldOfAction'), [['', all], ...byLabel(labels.fieldsOfAction)]);
  const kind = select('network-kind', t('network.kind'), [['', all], ...byLabel(labels.kinds)]);
  const district = select('network-district', t('network.district'), [['', all], ...byLabel(labels.districts)]);
  const tieKind = select('network-tie-kind', t('network.tieKind'), [['', all], ...TIE_KINDS.map((code) => [code, t(`network.tieKinds.${code}`)] as [string, string])]);
  // Ties by their source, or one workshop wave (a synced one's clusters and dot votes shown below the map).
  const waves = view.waves ?? [];
  const source = select('network-source', t('network.source'), [
    ['', all],
    ...(['inventory', 'workshop', 'staff'] as const).map((code) => [code, t(`network.sources.${code}`)] as [string, string]),
    ...waves.map((wave, index) => [`wave:${index}`, t('network.wave', { name: wave.name, date: dateFormat.format(new Date(`${wave.heldOn}T00:00:00Z`)) })] as [string, string]),
  ]);
  const chosenWave = () => (source.control.value.startsWith('wave:') ? (waves[Number(source.control.value.slice(5))] ?? null) : null);
  const workshopPanel = h('section', { class: 'network-workshop', id: 'network-workshop', 'aria-live': 'polite', hidden: true });
  const showWorkshop = async () => {
    const chosen = chosenWave();
    workshopPanel.hidden = !chosen?.workshopId;
    if (!chosen?.workshopId) return workshopPanel.replaceChildren();
    try {
      const { workshop } = await api.workshop<{
        workshop: { name: string; keyActorName: string; actors: { id: string; name: string; dots: number }[]; clusters: { name: string; dots: number; actorIds: string[] }[] };
      }>(chosen.workshopId);
      const nameOf = (id: string) => workshop.actors.find((actor) => actor.id === id)?.name ?? id;
      const voted = workshop.actors.filter((actor) => actor.dots > 0).sort((a, b) => b.dots - a.dots || a.name.localeCompare(b.name));
      workshopPanel.replaceChildren(
        h('h3', {}, t('network.workshop.heading', { name: workshop.name })),
        h('p', {}, t('network.workshop.keyActor', { name: workshop.keyActorName })),
        h('h4', {}, t('network.workshop.clusters')),
        workshop.clusters.length > 0
          ? h('ul', { id: 'network-workshop-clusters' }, ...workshop.clusters.map((cluster) => h('li', {}, t('network.workshop.cluster', { name: cluster.name, count: cluster.dots, members: cluster.actorIds.map(nameOf).join(', ') }))))
          : h('p', {}, t('network.workshop.noClusters')),
        h('h4', {}, t('network.workshop.actorDots')),
        voted.length > 0 ? h('ul', { id: 'network-workshop-dots' }, ...voted.map((actor) => h('li', {}, t('network.workshop.actor', { name: actor.name, count: actor.dots })))) : h('p', {}, t('network.workshop.noDots')),
      );
    } catch (error) {
      workshopPanel.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, error instanceof AnalysisRequestError ? error.message : t('loadFailed')));
    }
  };
  const at = dateInput('network-at', t('network.at'));
  const compare = dateInput('network-compare', t('network.compare'));
  const size = select('network-size', t('network.size'), NETWORK_SIZE_METRICS.map((metric) => [metric, metricLabel(metric)]), 'degree');
  const color = select('network-color', t('network.color'), NETWORK_COLOR_MODES.map((mode) => [mode, t(`network.colorBy.${mode}`)]), 'kind');

  const summary = h('p', { class: 'network-summary', 'aria-live': 'polite' });
  const actorSelect = h('select', { id: 'network-actor' });
  const details = h('div', { class: 'network-details', id: 'network-details', 'aria-live': 'polite' });
  const canvas = h('div', {
    class: 'network-canvas',
    id: 'network-canvas',
    tabindex: 0,
    role: 'application',
    'aria-label': t('network.mapLabel'),
    'aria-describedby': 'network-keyboard-hint',
  });
  const legend = h('ul', { class: 'network-legend', 'aria-label': t('network.legend') });
  const changes = h('div', { class: 'network-changes' });
  const mapPanel = h(
    'div',
    { class: 'network-map-panel', id: 'network-map-panel' },
    h('p', { class: 'hint', id: 'network-keyboard-hint' }, t('network.keyboardHint')),
    h(
      'div',
      { class: 'network-layout' },
      h('div', { class: 'network-map-box' }, canvas, legend),
      h('div', { class: 'network-side' }, h('div', { class: 'field' }, h('label', { for: 'network-actor' }, t('network.actor')), actorSelect), details),
    ),
    changes,
  );
  const tablePanel = h('div', { class: 'network-table-panel', id: 'network-table-panel', hidden: true });
  const mapButton = h('button', { type: 'button', 'aria-pressed': 'true', 'aria-controls': 'network-map-panel' }, t('network.views.map'));
  const tableButton = h('button', { type: 'button', 'aria-pressed': 'false', 'aria-controls': 'network-table-panel' }, t('network.views.table'));
  const showPanel = (table: boolean) => {
    mapPanel.hidden = table;
    tablePanel.hidden = !table;
    mapButton.setAttribute('aria-pressed', String(!table));
    tableButton.setAttribute('aria-pressed', String(table));
  };
  mapButton.addEventListener('click', () => showPanel(false));
  tableButton.addEventListener('click', () => showPanel(true));
  const downloads = h('ul', { class: 'network-downloads' });

  const filterQuery = () => {
    const query = new URLSearchParams();
    if (field.control.value) query.set('fieldOfAction', field.control.value);
    if (kind.control.value) query.set('kind', kind.control.value);
    if (district.control.value) query.set('district', district.control.value);
    if (tieKind.control.value) query.set('tieKind', tieKind.control.value);
    const wave = chosenWave();
    if (wave) query.set('wave', wave.name);
    else if (source.control.value) query.set('source', source.control.value);
    if (at.control.value) query.set('at', at.control.value);
    return query;
  };

  const texts: NetworkTableTexts = {
    t: (key, options) => t(key, options),
    kindLabel: (code) => labels.kinds[code] ?? code,
    fieldLabel: (code) => labels.fieldsOfAction[code] ?? code,
    districtLabel: (code) => labels.districts[code] ?? code,
    tieKindLabel: (code) => t(`network.tieKinds.${code}`, { defaultValue: code }),
    metricLabel,
    number: (value) => (value === null ? '–' : numberFormat.format(value)),
    date: (iso) => dateFormat.format(new Date(`${iso}T00:00:00Z`)),
  };

  let map: NetworkMap | null = null;
  const showDetails = (id: string | null) => {
    actorSelect.value = id ?? '';
    const node = view.nodes.find((candidate) => candidate.id === id);
    if (!node) {
      details.replaceChildren(h('p', { class: 'hint' }, t('network.details.none')));
      return;
    }
    const names = new Map(view.nodes.map((n) => [n.id, n.name]));
    const partners = view.edges
      .filter((edge) => edge.source === node.id || edge.target === node.id)
      .map((edge) => (edge.source === node.id ? edge.target : edge.source))
      .sort((a, b) => (names.get(a) ?? '').localeCompare(names.get(b) ?? ''));
    const row = (term: string, value: string) => [h('dt', {}, term), h('dd', {}, value)];
    details.replaceChildren(
      h('h3', {}, node.name),
      h(
        'dl',
        {},
        ...row(t('network.kind'), texts.kindLabel(node.kind)),
        ...row(t('network.details.fields'), node.fieldsOfAction.map(texts.fieldLabel).join(', ') || '–'),
        ...row(t('network.details.districts'), node.districts.map(texts.districtLabel).join(', ') || '–'),
        ...row(t('network.details.community'), String(node.community)),
        ...NETWORK_SIZE_METRICS.flatMap((metric) => row(metricLabel(metric), texts.number(node[metric]))),
      ),
      h('h4', {}, t('network.details.partners', { count: partners.length })),
      partners.length === 0
        ? h('p', {}, t('network.details.isolate'))
        : h(
            'ul',
            { class: 'network-partners' },
            ...partners.map((partner) => {
              const button = h('button', { type: 'button', class: 'link-button' }, names.get(partner) ?? partner);
              button.addEventListener('click', () => map?.select(partner));
              return h('li', {}, button);
            }),
          ),
    );
  };
  actorSelect.addEventListener('change', () => map?.select(actorSelect.value || null));

  const draw = () => {
    map?.destroy();
    map = null;
    const metric = size.control.value as NetworkSizeMetric;
    const mode = color.control.value as NetworkColorMode;
    summary.textContent =
      view.nodes.length === 0
        ? t('network.empty')
        : t('network.summary', {
            actors: view.metrics.actors,
            edges: view.metrics.edges,
            density: view.metrics.density === null ? '–' : numberFormat.format(view.metrics.density),
            communities: view.metrics.communities.count,
          });
    const ordered = [...view.nodes].sort((a, b) => a.name.localeCompare(b.name));
    actorSelect.replaceChildren(h('option', { value: '' }, t('network.chooseActor')), ...ordered.map((node) => h('option', { value: node.id }, node.name)));
    const used =
      mode === 'kind'
        ? Object.keys(labels.kinds)
            .map((code, index) => ({ code, index }))
            .filter(({ code }) => view.nodes.some((node) => node.kind === code))
            .map(({ code, index }) => ({ color: paletteColor(index), text: labels.kinds[code]! }))
        : [...new Set(view.nodes.map((node) => node.community))].sort((a, b) => a - b).map((n) => ({ color: paletteColor(n), text: t('network.communityName', { number: n }) }));
    const comparisonKeys = view.comparison ? [{ color: NEW_TIE, text: t('network.comparison.legendNew') }, { color: LOST_TIE, text: t('network.comparison.legendLost') }] : [];
    legend.replaceChildren(
      ...used.map((entry) => h('li', {}, h('span', { class: 'swatch', style: `background:${entry.color}` }), entry.text)),
      ...comparisonKeys.map((entry) => h('li', {}, h('span', { class: 'swatch line', style: `background:${entry.color}` }), entry.text)),
    );
    changes.replaceChildren(...(view.comparison ? [renderComparison(view.comparison, texts)] : []));
    tablePanel.replaceChildren(renderNetworkTables(view.nodes, view.edges, view.comparison, metric, texts));
    const query = filterQuery();
    const withLang = (extra: Record<string, string> = {}) => {
      const params = new URLSearchParams(query);
      for (const [name, value] of Object.entries(extra)) params.set(name, value);
      params.set('lang', locale);
      return params.toString();
    };
    const link = (href: string, text: string) => h('li', {}, h('a', { href, download: '' }, text));
    downloads.replaceChildren(
      ...(view.nodes.length === 0
        ? []
        : [
            link(`/api/analysis/network.gexf?${withLang()}`, t('network.downloads.gexf')),
            link(`/api/analysis/network.graphml?${withLang()}`, t('network.downloads.graphml')),
            link(`/api/analysis/network.svg?${withLang({ size: metric, color: mode })}`, t('network.downloads.svg')),
            link(`/api/analysis/network.png?${withLang({ size: metric, color: mode, width: '2400', height: '1800' })}`, t('network.downloads.png')),
          ]),
    );
    canvas.hidden = view.nodes.length === 0;
    if (view.nodes.length > 0) {
      if (webglAvailable()) map = new NetworkMap(canvas, view, metric, mode, showDetails);
      else canvas.replaceChildren(h('p', {}, t('network.noWebgl')));
    }
    showDetails(null);
  };

  const reload = async () => {
    const query = filterQuery();
    query.set('layout', 'true');
    if (compare.control.value) query.set('compare', compare.control.value);
    summary.textContent = t('common:loading');
    try {
      view = await api.network<NetworkView>(query);
      draw();
    } catch (error) {
      summary.textContent = error instanceof AnalysisRequestError ? error.message : t('loadFailed');
    }
  };
  for (const control of [field.control, kind.control, district.control, tieKind.control, source.control, at.control, compare.control]) control.addEventListener('change', () => void reload());
  source.control.addEventListener('change', () => void showWorkshop());
  for (const control of [size.control, color.control]) control.addEventListener('change', draw);

  root.replaceChildren(
    h(
      'section',
      { class: 'network', 'aria-labelledby': 'network-heading' },
      h('h2', { id: 'network-heading' }, t('network.heading')),
      h('p', { class: 'hint' }, t('network.intro')),
      h(
        'fieldset',
        { class: 'network-filters' },
        h('legend', {}, t('network.filters')),
        field.field,
        kind.field,
        district.field,
        tieKind.field,
        source.field,
        at.field,
        compare.field,
      ),
      h('fieldset', { class: 'network-filters' }, h('legend', {}, t('network.appearance')), size.field, color.field),
      summary,
      h('div', { class: 'network-views', role: 'group', 'aria-label': t('network.views.label') }, mapButton, tableButton),
      mapPanel,
      tablePanel,
      workshopPanel,
      h('h3', {}, t('network.downloads.heading')),
      downloads,
    ),
  );
  draw();
}
