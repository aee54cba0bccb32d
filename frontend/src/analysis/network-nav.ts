import './network.css';
import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';

// Kept apart from network-map.ts and actors-view.ts, so that sigma.js and the registry load only when opened.
/** The dashboard's parts: the surveys, the network of actors (`#network`), the registry of actors (`#actors`). */
export type DashboardPart = 'surveys' | 'network' | 'actors';

/** The part the address names (`#network`, `#actors`); anything else is the surveys. */
export const dashboardPart = (): DashboardPart => (location.hash === '#network' ? 'network' : location.hash === '#actors' ? 'actors' : 'surveys');

/** Links between the dashboard's parts. */
export function dashboardNav(current: DashboardPart): HTMLElement {
  const link = (target: DashboardPart) =>
    h('li', {}, h('a', { href: `#${target}`, 'aria-current': current === target ? 'page' : null }, t(`network.nav.${target}`)));
  return h('nav', { class: 'dashboard-nav', 'aria-label': t('network.nav.label') }, h('ul', {}, link('surveys'), link('network'), link('actors')));
}
