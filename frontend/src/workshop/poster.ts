import type { PosterActor, StoredWorkshop } from './store.ts';

/**
 * The poster as SVG (no library): clusters as coloured frames around their actors, ties as
 * lines, actors as labelled circles with their dots. Actors can be dragged (pointer) or moved with
 * the arrow keys when focused; dropping an actor on a cluster's frame puts it in that cluster.
 * The lists beside the poster (main.ts) are the full keyboard alternative.
 */
const SVG = 'http://www.w3.org/2000/svg';
export const POSTER_WIDTH = 1000;
export const POSTER_HEIGHT = 640;
const MARGIN = 40;
const RADIUS = 20;
const FRAME_PAD = 36;
export const CLUSTER_COLOURS = ['#1d4e6f', '#a4262c', '#1a6b35', '#8a4b08', '#5b2a86', '#0b6a6f', '#6b6b00', '#7a1f52'];

export interface PosterHandlers {
  /** An actor was moved (unit coordinates) and, when dropped on a frame, into that cluster. */
  moved(actorId: string, x: number, y: number, clusterId: string | null | undefined): void;
}

function el<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

const px = (actor: Pick<PosterActor, 'x' | 'y'>) => ({ x: MARGIN + actor.x * (POSTER_WIDTH - 2 * MARGIN), y: MARGIN + actor.y * (POSTER_HEIGHT - 2 * MARGIN) });
const unit = (x: number, y: number) => ({ x: Math.min(1, Math.max(0, (x - MARGIN) / (POSTER_WIDTH - 2 * MARGIN))), y: Math.min(1, Math.max(0, (y - MARGIN) / (POSTER_HEIGHT - 2 * MARGIN))) });

interface Frame {
  clusterId: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

function framesOf(workshop: StoredWorkshop, leaveOut: string | null): Frame[] {
  return workshop.clusters.flatMap((cluster) => {
    const members = workshop.actors.filter((actor) => actor.clusterId === cluster.id && actor.id !== leaveOut).map(px);
    if (members.length === 0) return [];
    const xs = members.map((point) => point.x);
    const ys = members.map((point) => point.y);
    const x = Math.min(...xs) - FRAME_PAD;
    const y = Math.min(...ys) - FRAME_PAD;
    return [{ clusterId: cluster.id, x, y, width: Math.max(...xs) + FRAME_PAD - x, height: Math.max(...ys) + FRAME_PAD + 14 - y }];
  });
}

export function renderPoster(workshop: StoredWorkshop, editable: boolean, handlers: PosterHandlers, labels: { poster: string; dots: (count: number) => string; keyActor: string }): SVGSVGElement {
  const svg = el('svg', { viewBox: `0 0 ${POSTER_WIDTH} ${POSTER_HEIGHT}`, class: 'workshop-poster', role: 'group', 'aria-label': labels.poster, id: 'poster' });
  svg.append(el('rect', { x: 0, y: 0, width: POSTER_WIDTH, height: POSTER_HEIGHT, fill: '#fdfcf7', stroke: '#c8c3b0' }));
  const colour = (clusterId: string) => CLUSTER_COLOURS[workshop.clusters.findIndex((cluster) => cluster.id === clusterId) % CLUSTER_COLOURS.length]!;
  const frameLayer = el('g', { class: 'poster-frames' });
  const drawFrames = (leaveOut: string | null) => {
    frameLayer.replaceChildren(
      ...framesOf(workshop, leaveOut).map((frame) => {
        const cluster = workshop.clusters.find((c) => c.id === frame.clusterId)!;
        return el(
          'g',
          { 'data-cluster': cluster.id },
          el('rect', { x: frame.x, y: frame.y, width: frame.width, height: frame.height, rx: 18, fill: colour(cluster.id), 'fill-opacity': 0.1, stroke: colour(cluster.id), 'stroke-width': 2, 'stroke-dasharray': '6 4' }),
          el('text', { x: frame.x + 10, y: frame.y + 18, fill: colour(cluster.id), 'font-size': 16, 'font-weight': 600 }, cluster.dots > 0 ? `${cluster.name} · ${labels.dots(cluster.dots)}` : cluster.name),
        );
      }),
    );
  };
  drawFrames(null);
  svg.append(frameLayer);
  const byId = new Map(workshop.actors.map((actor) => [actor.id, actor]));
  const lines = new Map<string, SVGLineElement[]>();
  const tieLayer = el('g', { class: 'poster-ties' });
  for (const tie of workshop.ties) {
    const from = byId.get(tie.from);
    const to = byId.get(tie.to);
    if (!from || !to) continue;
    const a = px(from);
    const b = px(to);
    const line = el('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: '#4a4a4a', 'stroke-width': tie.kind === 'joint_projects' || tie.kind === 'funding' ? 3 : 2, 'data-tie': tie.id, 'data-from': tie.from });
    if (tie.kind === 'information' || tie.kind === 'referrals') line.setAttribute('stroke-dasharray', tie.kind === 'information' ? '2 4' : '8 4');
    lines.set(tie.from, [...(lines.get(tie.from) ?? []), line]);
    lines.set(tie.to, [...(lines.get(tie.to) ?? []), line]);
    tieLayer.append(line);
  }
  svg.append(tieLayer);
  const actorLayer = el('g', { class: 'poster-actors' });
  for (const actor of workshop.actors) {
    const at = px(actor);
    const isKey = actor.id === workshop.keyActorId;
    const fill = actor.clusterId ? colour(actor.clusterId) : '#6b7785';
    const label = `${actor.name}${isKey ? ` (${labels.keyActor})` : ''}${actor.dots > 0 ? `, ${labels.dots(actor.dots)}` : ''}`;
    const node = el(
      'g',
      { class: 'poster-actor', transform: `translate(${at.x} ${at.y})`, 'data-actor': actor.id, role: 'img', 'aria-label': label },
      // The full description as a tooltip; the name read aloud is the visible text (name, dots).
      el('title', {}, label),
      el('circle', { r: isKey ? RADIUS + 6 : RADIUS, fill, stroke: isKey ? '#111' : '#fff', 'stroke-width': isKey ? 4 : 2 }),
      el('text', { y: RADIUS + 20, 'text-anchor': 'middle', 'font-size': 15, fill: '#1b1b1b' }, actor.name),
      ...(actor.dots > 0 ? [el('text', { y: 5, 'text-anchor': 'middle', 'font-size': 14, 'font-weight': 700, fill: '#fff' }, String(actor.dots))] : []),
    );
    if (editable) {
      node.setAttribute('tabindex', '0');
      node.setAttribute('role', 'button');
      // A button is named by its visible text (axe: label-content-name-mismatch); the title describes it.
      node.removeAttribute('aria-label');
      attachMoving(svg, node, actor, lines.get(actor.id) ?? [], drawFrames, handlers);
    }
    actorLayer.append(node);
  }
  svg.append(actorLayer);
  return svg;
}

function attachMoving(svg: SVGSVGElement, node: SVGGElement, actor: PosterActor, lines: SVGLineElement[], drawFrames: (leaveOut: string | null) => void, handlers: PosterHandlers): void {
  let position = px(actor);
  const place = (x: number, y: number) => {
    position = { x, y };
    node.setAttribute('transform', `translate(${x} ${y})`);
    for (const line of lines) {
      const end = line.getAttribute('data-from') === actor.id ? '1' : '2';
      line.setAttribute(`x${end}`, String(x));
      line.setAttribute(`y${end}`, String(y));
    }
  };
  const toSvg = (event: PointerEvent) => {
    const matrix = svg.getScreenCTM();
    if (!matrix) return position;
    const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    return { x: point.x, y: point.y };
  };
  let dragging = false;
  node.addEventListener('pointerdown', (event) => {
    dragging = true;
    node.setPointerCapture(event.pointerId);
    drawFrames(actor.id);
    event.preventDefault();
  });
  node.addEventListener('pointermove', (event) => {
    if (!dragging) return;
    const point = toSvg(event);
    place(point.x, point.y);
  });
  const drop = () => {
    if (!dragging) return;
    dragging = false;
    const frame = [...svg.querySelectorAll<SVGGElement>('.poster-frames [data-cluster]')].find((group) => {
      const rect = group.querySelector('rect')!;
      const x = Number(rect.getAttribute('x'));
      const y = Number(rect.getAttribute('y'));
      return position.x >= x && position.x <= x + Number(rect.getAttribute('width')) && position.y >= y && position.y <= y + Number(rect.getAttribute('height'));
    });
    const target = unit(position.x, position.y);
    handlers.moved(actor.id, target.x, target.y, frame ? frame.getAttribute('data-cluster') : undefined);
  };
  node.addEventListener('pointerup', drop);
  node.addEventListener('pointercancel', drop);
  node.addEventListener('keydown', (event) => {
    const step = event.shiftKey ? 0.1 : 0.02;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    handlers.moved(actor.id, Math.min(1, Math.max(0, actor.x + move[0])), Math.min(1, Math.max(0, actor.y + move[1])), undefined);
  });
}
