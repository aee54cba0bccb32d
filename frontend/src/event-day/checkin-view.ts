import { ATTENDEE_GROUPS, type AttendeeGroup } from '../../../api/src/shared/attendee-groups.ts';
import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { queueItem, unqueueItem, type DayItemPayload, type EventDayDatabase, type StoredDay, type StoredDayItem } from './store.ts';

export interface DayCounts {
  total: number;
  walkIns: number;
  byGroup: Partial<Record<AttendeeGroup, number>>;
}

/** The figures as this tablet knows them: arrivals ticked before the download, and its own ticks and walk-ins. */
export function countArrivals(day: StoredDay, items: StoredDayItem[]): DayCounts {
  const counts: DayCounts = { total: day.registrations.filter((r) => r.arrived).length, walkIns: 0, byGroup: {} };
  const arrivedBefore = new Set(day.registrations.filter((r) => r.arrived).map((r) => r.id));
  for (const { payload, state } of items) {
    if (state === 'rejected') continue;
    if (payload.kind === 'arrival' && arrivedBefore.has(payload.registrationId)) continue;
    if (payload.kind !== 'arrival' && payload.kind !== 'walk_in') continue;
    counts.total++;
    if (payload.kind === 'walk_in') counts.walkIns++;
    if (payload.group) counts.byGroup[payload.group] = (counts.byGroup[payload.group] ?? 0) + 1;
  }
  return counts;
}

function groupSelect(id: string, label: string): { wrapper: HTMLElement; select: HTMLSelectElement } {
  const select = h('select', { id, class: 'checkin-group' }, h('option', { value: '' }, t('event-day:groupNone')), ...ATTENDEE_GROUPS.map((group) => h('option', { value: group }, t(`events:groups.${group}`))));
  return { wrapper: h('span', { class: 'field inline' }, h('label', { for: id }, label), select), select };
}

const needsText = (needs: StoredDay['registrations'][number]['needs']) =>
  [needs.childcare && t('event-day:needs.childcare'), needs.interpreting && t('event-day:needs.interpreting', { locale: needs.interpreting }), needs.accessibility]
    .filter(Boolean)
    .join(' · ');

/**
 * The door: tick who arrives (with the group they name, if any) and add walk-ins by group. Works
 * with no network: every tap is a queued item in IndexedDB. Names appear only here, from the
 * downloaded list; the items themselves carry a registration id and a group.
 */
export function renderCheckIn(db: EventDayDatabase, day: StoredDay, items: StoredDayItem[], changed: () => void): HTMLElement {
  const ticks = new Map<string, StoredDayItem>();
  for (const item of items) if (item.payload.kind === 'arrival') ticks.set(item.payload.registrationId, item);
  const counts = countArrivals(day, items);
  const add = async (payload: DayItemPayload) => {
    await queueItem(db, day.eventId, payload);
    changed();
  };

  const rows = day.registrations.map((registration, index) => {
    const label = registration.name ?? t('event-day:noName', { number: index + 1 });
    const tick = ticks.get(registration.id);
    const facts = [registration.status === 'waiting' ? t('event-day:waitingList') : null, needsText(registration.needs) || null].filter(Boolean).join(' · ');
    const children: (Node | string)[] = [h('span', { class: 'checkin-name' }, label), ...(facts ? [h('span', { class: 'hint' }, ` ${facts}`)] : [])];
    if (registration.arrived || tick) {
      children.push(h('span', { class: 'checkin-arrived' }, ` ✓ ${t('event-day:arrived')}`));
      if (tick && tick.state === 'queued') {
        const undo = h('button', { type: 'button', class: 'secondary checkin-undo' }, t('event-day:undo', { name: label }));
        undo.addEventListener('click', async () => {
          await unqueueItem(db, tick.id);
          changed();
        });
        children.push(' ', undo);
      }
    } else {
      const { wrapper, select } = groupSelect(`group-${registration.id}`, t('event-day:groupOf', { name: label }));
      const arrive = h('button', { type: 'button', class: 'primary checkin-arrive' }, t('event-day:arrive', { name: label }));
      arrive.addEventListener('click', () => void add({ kind: 'arrival', id: crypto.randomUUID(), registrationId: registration.id, group: (select.value || null) as AttendeeGroup | null }));
      children.push(' ', wrapper, ' ', arrive);
    }
    return h('li', { 'data-registration': registration.id, 'data-arrived': String(registration.arrived || Boolean(tick)) }, ...children);
  });

  const walkIn = groupSelect('walkin-group', t('event-day:walkInGroup'));
  const walkInButton = h('button', { type: 'button', class: 'primary', id: 'walkin-add' }, t('event-day:walkInAdd'));
  walkInButton.addEventListener('click', () => void add({ kind: 'walk_in', id: crypto.randomUUID(), group: (walkIn.select.value || null) as AttendeeGroup | null }));

  const byGroup = ATTENDEE_GROUPS.filter((group) => counts.byGroup[group]).map((group) => h('li', { 'data-group': group }, `${t(`events:groups.${group}`)}: ${counts.byGroup[group]}`));
  return h(
    'section',
    { 'aria-labelledby': 'checkin-heading', id: 'checkin' },
    h('h2', { id: 'checkin-heading' }, t('event-day:checkInHeading')),
    h('p', { id: 'checkin-counts', role: 'status' }, t('event-day:counts', { total: counts.total, walkIns: counts.walkIns })),
    byGroup.length > 0 ? h('ul', { id: 'checkin-groups' }, ...byGroup) : null,
    rows.length > 0 ? h('ul', { id: 'checkin-list', class: 'checkin-list' }, ...rows) : h('p', {}, t('event-day:noRegistrations')),
    h('h3', {}, t('event-day:walkInHeading')),
    h('p', { class: 'hint' }, t('event-day:walkInHint')),
    h('p', {}, walkIn.wrapper, ' ', walkInButton),
  );
}
