import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';

/** The way from an event on the coordinator page to its offline day on the tablet (/coordinate/day). */
export function eventDayLink(eventId: string): HTMLElement {
  return h(
    'section',
    { 'aria-labelledby': 'event-day-heading', id: 'event-day-link' },
    h('h2', { id: 'event-day-heading' }, h('a', { href: `/coordinate/day?event=${encodeURIComponent(eventId)}`, id: 'open-event-day' }, t('eventDay.link'))),
    h('p', { class: 'hint' }, t('eventDay.hint')),
  );
}
