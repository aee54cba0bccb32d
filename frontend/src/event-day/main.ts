import '../styles/base.css';
import '../analysis/analysis.css';
import './event-day.css';
import type { Locale } from '../../../api/src/shared/locales.ts';
import { currentLocale, initI18n, t, translateDocument } from '../i18n/index.ts';
import { byId, h } from '../shared/dom.ts';
import { mountPageLanguageSelect } from '../shared/language-chooser.ts';
import { chooseLocaleForThisPage } from '../shared/locale-choice.ts';
import { loginForm } from '../shared/login-form.ts';
import { registerServiceWorker } from '../shared/offline/service-worker-registration.ts';
import { NoConnectionError, staffJson } from '../shared/offline/staff-request.ts';
import { requestPersistentStorage } from '../shared/offline/storage-persistence.ts';
import { anonymousContext, TabletSession, type StoredStaffSession } from '../shared/offline/tablet-session.ts';
import { scheduleSync } from '../shared/offline/sync-scheduler.ts';
import { renderCheckIn } from './checkin-view.ts';
import { DaySync, type DaySyncOutcome } from './day-sync.ts';
import { renderCards, renderNotes, renderPhotos, renderTranslations } from './report-view.ts';
import { forgetDay, forgetEndedDays, itemsOf, openEventDayDatabase, photosOf, waitingCount, type EventDayDatabase, type StoredDay } from './store.ts';
import { TOWN_TIME_ZONE } from '../../../api/src/shared/town-day.ts';

/**
 * The event day on the coordinator's tablet (`/coordinate/day?event=<id>`): the check-in list,
 * walk-ins by group, result cards, hosts' notes and photos, all recorded without network and sent
 * by the shared offline machinery (service worker, IndexedDB queue, sync with the tablet's ids).
 * The downloaded list leaves the tablet when the day ends (see store.ts).
 */
const UI_LOCALES: readonly Locale[] = ['de', 'en'];

let db: EventDayDatabase;
const session = new TabletSession(
  { get: () => db.get('settings', 'session'), put: (value) => db.put('settings', value, 'session'), remove: () => db.delete('settings', 'session') },
  ['coordinator', 'admin'],
);
let lastOutcome: DaySyncOutcome | null = null;
let syncing = false;
let releasePreviews: () => void = () => {};
const eventId = new URLSearchParams(location.search).get('event')?.toLowerCase() ?? null;

const context = () => session.context();

async function downloadDay(id: string): Promise<void> {
  const list = await staffJson<{ event: Omit<StoredDay, 'registrations' | 'downloadedAt' | 'eventId'> & { id: string }; registrations: StoredDay['registrations'] }>(
    context()!,
    'GET',
    `/api/events/${id}/day`,
    undefined,
    30_000,
  );
  const { id: listedId, ...event } = list.event;
  await db.put('days', { ...event, eventId: listedId, registrations: list.registrations, downloadedAt: new Date().toISOString() });
}

const sync = () => new DaySync(db, context);
let daySync: DaySync;

async function renderStatus(): Promise<void> {
  const waiting = await waitingCount(db);
  const online = navigator.onLine;
  const button = h('button', { type: 'button', class: 'secondary', id: 'day-sync', disabled: syncing }, syncing ? t('event-day:syncing') : t('event-day:syncNow'));
  button.addEventListener('click', () => void daySync.run().then(render));
  const outcome = lastOutcome ? t(`event-day:outcome.${lastOutcome.kind}`, lastOutcome.kind === 'ok' ? { sent: lastOutcome.sent, rejected: lastOutcome.rejected } : {}) : '';
  byId('day-status').replaceChildren(
    h('p', { id: 'day-connection' }, online ? t('event-day:online') : t('event-day:offline')),
    h('p', { id: 'day-waiting', role: 'status', 'data-waiting': String(waiting) }, t('event-day:waiting', { count: waiting }), outcome ? ` ${outcome}` : ''),
    button,
  );
}

function renderLogin(root: HTMLElement): void {
  const { form, email } = loginForm({
    signIn: async (address, password) => {
      try {
        const me = await staffJson<StoredStaffSession>(anonymousContext(), 'POST', '/api/auth/login', { email: address, password }, 15_000);
        if (!session.allows(me.user.role)) return t('event-day:login.wrongRole');
        await session.save(me);
        void requestPersistentStorage();
        await openDay();
        return null;
      } catch (error) {
        return error instanceof NoConnectionError ? t('event-day:offline') : error instanceof Error ? error.message : t('common:unexpectedError');
      }
    },
  });
  root.replaceChildren(h('section', { class: 'login', 'aria-labelledby': 'login-heading' }, h('h2', { id: 'login-heading' }, t('event-day:login.heading')), form));
  email.focus();
}

async function renderDays(root: HTMLElement): Promise<void> {
  const days = await db.getAll('days');
  root.replaceChildren(
    h('h2', {}, t('event-day:daysHeading')),
    days.length > 0
      ? h('ul', { id: 'day-list' }, ...days.map((day) => h('li', {}, h('a', { href: `/coordinate/day?event=${day.eventId}` }, day.title.de ?? day.slug))))
      : h('p', {}, t('event-day:noDays')),
    h('p', {}, h('a', { href: '/coordinate' }, t('event-day:toCoordinate'))),
  );
}

/** What someone is typing (a card, a note) survives a redraw after a sync or a tap elsewhere. */
function typedValues(root: HTMLElement): Map<string, string> {
  const values = new Map<string, string>();
  for (const input of root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('#card-form [id], #note-form [id]')) {
    if ('value' in input && input.type !== 'file') values.set(input.id, input.value);
  }
  return values;
}

async function render(): Promise<void> {
  await renderStatus();
  const root = byId('view');
  const typed = typedValues(root);
  releasePreviews();
  releasePreviews = () => {};
  if (!eventId) return renderDays(root);
  const day = await db.get('days', eventId);
  if (!day) {
    root.replaceChildren(h('p', { role: 'alert', id: 'day-missing' }, navigator.onLine ? t('event-day:notFound') : t('event-day:notDownloaded')), h('p', {}, h('a', { href: '/coordinate' }, t('event-day:toCoordinate'))));
    return;
  }
  const [items, photos] = await Promise.all([itemsOf(db, day.eventId), photosOf(db, day.eventId)]);
  const changed = () => void render();
  const photoSection = renderPhotos(db, day, photos, changed);
  releasePreviews = photoSection.release;
  const end = h('button', { type: 'button', class: 'secondary', id: 'day-end' }, t('event-day:endDay'));
  const endMessage = h('p', { role: 'status', id: 'day-end-message' });
  end.addEventListener('click', async () => {
    await daySync.run();
    const left = await waitingCount(db);
    await forgetDay(db, day.eventId);
    await render();
    byId('view').prepend(h('p', { role: 'status', id: 'day-ended' }, left > 0 ? t('event-day:endedWaiting', { count: left }) : t('event-day:ended')));
  });
  const when = new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'full', timeStyle: 'short', timeZone: TOWN_TIME_ZONE }).format(new Date(day.startsAt));
  root.replaceChildren(
    h('h2', { id: 'day-title', lang: 'de' }, day.title.de ?? day.slug),
    h('p', {}, `${when} · ${day.placeName}`),
    h('p', { class: 'hint', id: 'day-privacy' }, t('event-day:privacy')),
    renderCheckIn(db, day, items, changed),
    renderCards(db, day, items, changed),
    renderNotes(db, day, items, changed),
    photoSection.section,
    renderTranslations(day, context),
    h(
      'section',
      { 'aria-labelledby': 'end-heading', id: 'day-finish' },
      h('h2', { id: 'end-heading' }, t('event-day:endHeading')),
      h('p', {}, t('event-day:endHint')),
      h('p', {}, end),
      endMessage,
      h('p', {}, h('a', { href: '/coordinate' }, t('event-day:toReport'))),
    ),
  );
  for (const [id, value] of typed) {
    const input = document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | null;
    if (input) input.value = value;
  }
}

async function openDay(): Promise<void> {
  if (eventId && session.current && navigator.onLine) {
    try {
      await downloadDay(eventId);
    } catch (error) {
      // Offline after all, or the list is gone: what the tablet has stays as it is.
      if (!(error instanceof NoConnectionError)) console.warn('day list not downloaded', error);
    }
  }
  await render();
}

async function start(): Promise<void> {
  const chosen = chooseLocaleForThisPage();
  const locale = UI_LOCALES.includes(chosen) ? chosen : 'de';
  await initI18n(locale, ['event-day', 'events', 'common']);
  translateDocument();
  db = await openEventDayDatabase(() => location.reload());
  await forgetEndedDays(db);
  await session.load();
  daySync = sync();
  daySync.onChange((running, outcome) => {
    syncing = running;
    if (outcome) lastOutcome = outcome;
    // What was sent changes its state in the lists; otherwise only the status line changes.
    if (outcome?.kind === 'ok') void render();
    else void renderStatus();
  });
  void registerServiceWorker({ url: '/event-day-sw.js', scope: '/coordinate/day' }, (activate) => {
    const update = h('button', { type: 'button', class: 'secondary', id: 'day-update' }, t('event-day:update'));
    update.addEventListener('click', activate);
    byId('day-status').append(update);
  });
  window.addEventListener('online', () => void renderStatus());
  window.addEventListener('offline', () => void renderStatus());
  mountPageLanguageSelect(byId<HTMLSelectElement>('ui-language'), locale, UI_LOCALES, () => void render());
  const reach = navigator.onLine ? await session.refresh() : 'offline';
  if (!session.current && reach === 'online') {
    await renderStatus();
    renderLogin(byId('view'));
    return;
  }
  await openDay();
  scheduleSync(daySync);
}

void start().catch((error: unknown) => {
  console.error(error);
  const main = document.getElementById('view');
  if (main) main.textContent = t('common:unexpectedError');
});
