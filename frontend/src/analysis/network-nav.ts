import './network.css';
import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';

// Kept apart from network-map.ts, so that sigma.js loads only when the network is opened.
/** The dashboard shows the network instead of the surveys when the address ends in `#network`. */
export const showsNetwork = () => location.hash === '#network';

/** Links between the dashboard's two parts: the surveys and the network of actors. */
export function dashboardNav(current: 'surveys' | 'network'): HTMLElement {
  const link = (target: 'surveys' | 'network') =>
    h('li', {}, h('a', { href: `#${target}`, 'aria-current': current === target ? 'page' : null }, t(`network.nav.${target}`)));
  return h('nav', { class: 'dashboard-nav', 'aria-label': t('network.nav.label') }, h('ul', {}, link('surveys'), link('network')));
}
