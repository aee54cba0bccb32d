import { LOCALE_NATIVE_NAMES, RTL_LOCALES, SUPPORTED_LOCALES, isLocale, type Locale } from '../../../api/src/shared/locales.ts';
import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { requestJson, serverMessage } from '../shared/http.ts';

/** What `GET /api/events/public` gives for each event: the server's own type. */
export type { ListedEvent } from '../../../api/src/shared/contract.ts';
import type { ListedEvent, PublicEventReport } from '../../../api/src/shared/contract.ts';
import { ATTENDEE_GROUPS } from '../../../api/src/shared/attendee-groups.ts';
import { TOWN_TIME_ZONE } from '../../../api/src/shared/town-day.ts';

/** The published closing report as `GET /api/events/public/:slug` gives it (never the hosts' notes; counts below k as null). */
export type PublicReport = PublicEventReport;

/** A published head count: the number, or "fewer than k" where the server withheld it. */
const headCount = (n: number | null, k: number) => (n === null ? t('events:fewerThan', { k }) : String(n));

/**
 * A text in the page's locale, or German marked as German (so a screen reader reads it as German)
 * with `fallback` true; Leichte Sprache falls back to plain German too.
 */
function localised(text: Record<string, string>, locale: Locale): { text: string; lang: string; fallback: boolean } {
  if (text[locale]) return { text: text[locale]!, lang: locale, fallback: false };
  return { text: text.de ?? '', lang: 'de', fallback: locale !== 'de' };
}

function localisedElement<K extends 'h1' | 'h2' | 'h3' | 'p' | 'a' | 'span'>(tag: K, text: Record<string, string>, locale: Locale, attributes: Record<string, string> = {}) {
  const { text: value, lang, fallback } = localised(text, locale);
  return h(tag, { ...attributes, ...(fallback ? { lang, dir: 'ltr' } : {}) }, value);
}

// The town's clock; Farsi with Gregorian dates, as elsewhere on the site (shared/town.ts).
const intlTag = (locale: Locale) => (locale === 'de-x-easy' ? 'de' : locale === 'fa' ? 'fa-u-ca-gregory' : locale);
const when = (iso: string, locale: Locale) =>
  new Intl.DateTimeFormat(intlTag(locale), { dateStyle: 'full', timeStyle: 'short', timeZone: TOWN_TIME_ZONE }).format(new Date(iso));

function languageNames(codes: string[]): (Node | string)[] {
  return codes.filter(isLocale).flatMap((code, index) => [...(index > 0 ? [', '] : []), h('span', { lang: code, dir: RTL_LOCALES.has(code) ? 'rtl' : 'ltr' }, LOCALE_NATIVE_NAMES[code])]);
}

function statusLine(event: ListedEvent): HTMLElement {
  if (event.status === 'cancelled') return h('p', { class: 'event-status event-status--cancelled' }, t('events:cancelledEvent'));
  return h('p', { class: `event-status event-status--${event.availability}` }, t(`events:availability.${event.availability}`));
}

function facts(event: ListedEvent, locale: Locale): HTMLElement {
  const notes = localised(event.accessibilityNotes, locale).text;
  const access = [event.stepFree && t('event:stepFree'), event.hearingLoop && t('event:hearingLoop'), event.accessibleToilet && t('event:toilet'), notes].filter(Boolean).join('; ');
  return h(
    'dl',
    { class: 'event-facts' },
    h('dt', {}, t('event:when')),
    h('dd', {}, `${when(event.startsAt, locale)} – ${when(event.endsAt, locale)}`),
    h('dt', {}, t('event:where')),
    h('dd', {}, [event.placeName, event.placeAddress].filter(Boolean).join(', ')),
    ...(access ? [h('dt', {}, t('event:access')), h('dd', {}, access)] : []),
    ...(event.languages.length > 0 ? [h('dt', {}, t('events:languagesSpoken')), h('dd', {}, ...languageNames(event.languages))] : []),
    ...(event.interpretation.length > 0 ? [h('dt', {}, t('events:interpretationOffered')), h('dd', {}, ...languageNames(event.interpretation))] : []),
  );
}

const eventHref = (event: ListedEvent) => `/events/${encodeURIComponent(event.slug)}`;

function listItem(event: ListedEvent, locale: Locale): HTMLElement {
  return h(
    'li',
    { class: 'event-card' },
    h('h3', {}, localisedElement('a', event.title, locale, { href: eventHref(event) })),
    h('p', { class: 'hint' }, t(`events:formats.${event.format}`)),
    facts(event, locale),
    statusLine(event),
  );
}

/** Upcoming events first; below them the earlier ones whose closing report is published. */
export function renderEventList(events: ListedEvent[], locale: Locale, now: Date): HTMLElement[] {
  const upcoming = events.filter((event) => new Date(event.endsAt).getTime() > now.getTime());
  const documented = events.filter((event) => new Date(event.endsAt).getTime() <= now.getTime() && event.reportPublished).reverse();
  return [
    h('h1', {}, t('events:heading')),
    h('p', { class: 'lead' }, t('events:intro')),
    h(
      'section',
      { 'aria-labelledby': 'upcoming-heading' },
      h('h2', { id: 'upcoming-heading' }, t('events:upcoming')),
      upcoming.length > 0 ? h('ul', { class: 'event-list', id: 'upcoming-events' }, ...upcoming.map((event) => listItem(event, locale))) : h('p', {}, t('events:none')),
    ),
    ...(documented.length > 0
      ? [
          h(
            'section',
            { 'aria-labelledby': 'past-heading' },
            h('h2', { id: 'past-heading' }, t('events:past')),
            h('ul', { class: 'event-list', id: 'documented-events' }, ...documented.map((event) => h('li', {}, localisedElement('a', event.title, locale, { href: eventHref(event) }), ` · ${when(event.startsAt, locale)}`))),
          ),
        ]
      : []),
  ];
}

function paragraphs(text: string, lang: string | null): HTMLElement[] {
  return text
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => h('p', lang ? { lang, dir: 'ltr', class: 'preserve-lines' } : { class: 'preserve-lines' }, part));
}

function reportSection(report: PublicReport, locale: Locale, slug: string): HTMLElement {
  const results = localised(report.results, locale);
  return h(
    'section',
    { 'aria-labelledby': 'report-heading', class: 'event-report', id: 'event-report' },
    h('h2', { id: 'report-heading' }, t('events:reportHeading')),
    h('p', { id: 'report-attendees' }, report.attendeesCount === null ? t('events:attendeesFewerThan', { k: report.k }) : t('events:attendees', { count: report.attendeesCount })),
    ...(results.fallback ? [h('p', { class: 'hint' }, t('events:onlyGerman'))] : []),
    ...paragraphs(results.text, results.fallback ? 'de' : null),
    ...attendanceByGroup(report),
    ...(report.organisations.length > 0
      ? [h('h3', {}, t('events:organisations')), h('ul', { id: 'report-organisations' }, ...report.organisations.map((name) => h('li', {}, name)))]
      : []),
    ...photoGallery(report, slug),
    ...resultCards(report, locale),
  );
}

/** Counts by the group people named at the door; no names, no one who named none. */
function attendanceByGroup(report: PublicReport): HTMLElement[] {
  const groups = ATTENDEE_GROUPS.filter((group) => report.attendance?.byGroup[group] !== undefined && report.attendance.byGroup[group] !== 0);
  if (groups.length === 0) return [];
  return [
    h('h3', {}, t('events:attendeesByGroup')),
    h('ul', { id: 'report-groups' }, ...groups.map((group) => h('li', { 'data-group': group }, `${t(`events:groups.${group}`)}: ${headCount(report.attendance.byGroup[group] ?? null, report.k)}`))),
  ];
}

/** Thumbnails of the pin boards and flip charts, each a link to the full photo (re-encoded, no metadata). */
function photoGallery(report: PublicReport, slug: string): HTMLElement[] {
  if (!report.photos?.length) return [];
  const base = `/api/events/public/${encodeURIComponent(slug)}/photos`;
  const total = report.photos.length;
  return [
    h('h3', { id: 'report-photos-heading' }, t('events:photosHeading')),
    h(
      'ul',
      { id: 'report-photos', class: 'report-photos', 'aria-labelledby': 'report-photos-heading' },
      ...report.photos.map((photo, index) => {
        // The thumbnail's box, so the page does not jump while it loads (thumbnails fit 320 px).
        const scale = Math.min(1, 320 / Math.max(photo.width, photo.height));
        return h(
          'li',
          {},
          h(
            'a',
            { href: `${base}/${photo.id}`, title: t('events:photoOpen', { number: index + 1 }) },
            h('img', { src: `${base}/${photo.id}/thumb`, alt: t('events:photoAlt', { number: index + 1, total }), width: Math.round(photo.width * scale), height: Math.round(photo.height * scale), loading: 'lazy' }),
          ),
        );
      }),
    ),
  ];
}

/** The result cards, most dots first; a card not yet translated shows its German text, marked as German. */
function resultCards(report: PublicReport, locale: Locale): HTMLElement[] {
  if (!report.cards?.length) return [];
  return [
    h('h3', { id: 'report-cards-heading' }, t('events:cardsHeading')),
    h(
      'ol',
      { id: 'report-cards', class: 'report-cards', 'aria-labelledby': 'report-cards-heading' },
      ...report.cards.map((card) => {
        const facts = [
          card.fieldOfAction ? h('span', { class: 'card-field' }, t(`events:fields.${card.fieldOfAction}`)) : null,
          // The phase or table as the host named it, in German.
          card.origin ? h('span', { class: 'card-origin' }, t('events:cardOrigin', { origin: '' }), h('span', { lang: 'de', dir: 'ltr' }, card.origin)) : null,
          h('span', { class: 'card-dots' }, t('events:dots', { count: card.dots })),
        ].filter((part): part is HTMLSpanElement => part !== null);
        return h(
          'li',
          { class: 'report-card', 'data-dots': card.dots },
          localisedElement('p', card.statement, locale, { class: 'card-statement' }),
          h('p', { class: 'hint' }, ...facts.flatMap((part, index) => (index > 0 ? [' · ', part] : [part]))),
        );
      }),
    ),
  ];
}

/** One event: facts, description, calendar file, the registration form while it is open, and the published report. */
export function renderEventDetail(event: ListedEvent, report: PublicReport | null, locale: Locale): HTMLElement[] {
  const description = localised(event.description, locale);
  const open = event.status === 'published' && event.availability !== 'closed';
  return [
    h('p', {}, h('a', { href: '/events' }, t('events:back'))),
    localisedElement('h1', event.title, locale),
    h('p', { class: 'hint' }, t(`events:formats.${event.format}`)),
    facts(event, locale),
    statusLine(event),
    ...paragraphs(description.text, description.fallback ? 'de' : null),
    h('p', {}, h('a', { href: `/api/events/public/${encodeURIComponent(event.slug)}/event.ics?lang=${locale}`, download: '' }, t('event:calendar'))),
    ...(open ? [registrationForm(event, locale)] : []),
    ...(report ? [reportSection(report, locale, event.slug)] : []),
  ];
}

function field(id: string, label: string, input: HTMLElement, hint?: string): HTMLElement {
  return h('p', { class: 'field' }, h('label', { for: id }, label), ...(hint ? [h('span', { class: 'hint', id: `${id}-hint` }, hint)] : []), input);
}

/** Registration without an account: the same rules as the invitation link (consent, one channel, needs). */
function registrationForm(event: ListedEvent, locale: Locale): HTMLElement {
  const name = h('input', { type: 'text', id: 'register-name', autocomplete: 'name', maxlength: 100 });
  const email = h('input', { type: 'email', id: 'register-email', autocomplete: 'email', maxlength: 254, 'aria-describedby': 'register-channel-hint' });
  const phone = h('input', { type: 'tel', id: 'register-phone', autocomplete: 'tel', maxlength: 32, 'aria-describedby': 'register-channel-hint' });
  const childcare = h('input', { type: 'checkbox', id: 'register-childcare' });
  const interpreting = h(
    'select',
    { id: 'register-interpreting' },
    h('option', { value: '' }, t('event:interpretingNone')),
    ...(event.interpretation.length > 0 ? event.interpretation.filter(isLocale) : SUPPORTED_LOCALES).map((code) => h('option', { value: code, lang: code }, LOCALE_NATIVE_NAMES[code])),
  );
  const accessibility = h('input', { type: 'text', id: 'register-accessibility', maxlength: 500 });
  const consent = h('input', { type: 'checkbox', id: 'register-consent' });
  const problem = h('div', { id: 'register-problem' });
  const submit = h('button', { type: 'submit', class: 'button button--primary', id: 'register-submit' }, t('events:submit'));
  const form = h(
    'form',
    { id: 'register-form', 'aria-labelledby': 'register-heading', novalidate: true },
    h('h2', { id: 'register-heading' }, t('events:registerHeading')),
    field('register-name', t('events:name'), name),
    h('p', { class: 'hint', id: 'register-channel-hint' }, t('events:channelHint')),
    field('register-email', t('common:email'), email),
    field('register-phone', t('common:phone'), phone),
    h(
      'fieldset',
      {},
      h('legend', {}, t('event:needsHeading')),
      h('p', { class: 'choice' }, childcare, h('label', { for: 'register-childcare' }, t('event:childcare'))),
      field('register-interpreting', t('event:interpreting'), interpreting),
      field('register-accessibility', t('event:accessibility'), accessibility),
    ),
    h('p', { class: 'choice' }, consent, h('label', { for: 'register-consent' }, t('event:consent'))),
    problem,
    h('p', {}, submit),
  );
  const say = (message: string, alert: boolean) => problem.replaceChildren(h('p', { role: alert ? 'alert' : 'status' }, message));
  form.addEventListener('submit', async (submitEvent) => {
    submitEvent.preventDefault();
    if (!email.value.trim() && !phone.value.trim()) return say(t('events:channelMissing'), true);
    if (!consent.checked) return say(t('event:consentMissing'), true);
    submit.disabled = true;
    const body = {
      locale,
      consent: true,
      name: name.value.trim() || null,
      email: email.value.trim() || null,
      phone: phone.value.trim() || null,
      needs: { childcare: childcare.checked, interpreting: interpreting.value || null, accessibility: accessibility.value.trim() || null },
    };
    const result = await requestJson<{ code: string; status: string; waitingPosition: number | null }>('POST', `/api/events/public/${encodeURIComponent(event.slug)}/registrations`, { body, locale }).catch(() => null);
    submit.disabled = false;
    if (!result?.ok) return say((result && serverMessage(result.body)) ?? t('event:failed'), true);
    const outcome = result.body;
    const done = h('p', { role: 'status', class: 'success', id: 'register-done' }, outcome.status === 'waiting' ? t('event:waiting', { position: outcome.waitingPosition, code: outcome.code }) : t('event:registered', { code: outcome.code }));
    form.replaceWith(done);
  });
  return form;
}
