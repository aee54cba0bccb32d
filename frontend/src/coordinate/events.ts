import { FIELDS_OF_ACTION, PARTICIPATION_FORMATS } from '../../../api/src/shared/contact-options.ts';
import { EVENT_FORMATS, EVENT_STATUSES, type PublicEvent } from '../../../api/src/shared/events.ts';
import { SUPPORTED_LOCALES } from '../../../api/src/shared/locales.ts';
import { currentLocale, t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { eventDayLink } from './event-day-link.ts';

/** The coordinator's event work: list, create/edit, invite, registrations with waiting list, closing report. */

/** An event as the staff's list and editor receive it: the public event with its counts. */
type StaffEvent = PublicEvent & { confirmed?: number; waiting?: number; invited?: number };

interface Report {
  attendeesCount: number;
  /** The count is the check-in's (the event day), not a number someone entered. */
  attendeesFromCheckIn: boolean;
  organisations: string[];
  results: Record<string, string>;
  published: boolean;
}

class RequestError extends Error {}

function client(csrfToken: string) {
  const request = async <T>(method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': currentLocale() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
    const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin', cache: 'no-store' });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : null;
    if (!response.ok) throw new RequestError((parsed as { error?: { message?: string } } | null)?.error?.message ?? t('loadFailed'));
    return parsed as T;
  };
  // The token too, for the requests whose answer is a file rather than JSON (the letters).
  return Object.assign(request, { csrfToken });
}

/** `YYYY-MM-DDTHH:mm` in the browser's time zone for a datetime-local field, and back. */
const toLocalInput = (iso: string | null) => {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : null);
const when = (iso: string) => new Intl.DateTimeFormat(currentLocale() === 'en' ? 'en-GB' : 'de-DE', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

const field = (id: string, label: string, control: HTMLElement, inline = false) => h('div', { class: inline ? 'field inline' : 'field' }, h('label', { for: id }, label), control);
const alert = (message: string) => h('p', { class: 'form-error', role: 'alert' }, message);
const statusLine = (message: string) => h('p', { role: 'status' }, message);

function checkboxes(name: string, legend: string, values: readonly string[], checked: readonly string[], labelOf: (value: string) => string = (v) => v) {
  const boxes = values.map((value) => h('input', { type: 'checkbox', id: `${name}-${value}`, name, value, checked: checked.includes(value) }));
  const fieldset = h('fieldset', { class: 'breakdown' }, h('legend', {}, legend), ...boxes.map((box, i) => h('span', { class: 'choice' }, box, h('label', { for: box.id }, labelOf(values[i]!)))));
  return { fieldset, checked: () => boxes.filter((box) => box.checked).map((box) => box.value) };
}

export function renderEvents(root: HTMLElement, csrfToken: string): void {
  const request = client(csrfToken);
  const showList = async () => {
    const create = h('button', { type: 'button', class: 'primary', id: 'event-new' }, t('events.new'));
    create.addEventListener('click', () => renderEditor(root, request, null, showList));
    const holder = h('div', {});
    root.replaceChildren(h('section', { 'aria-labelledby': 'events-heading' }, h('h2', { id: 'events-heading' }, t('events.heading')), create, holder));
    try {
      const { events } = await request<{ events: StaffEvent[] }>('GET', '/api/events');
      if (events.length === 0) {
        holder.replaceChildren(h('p', {}, t('events.none')));
        return;
      }
      const head = ['title', 'format', 'start', 'status', 'registered', 'waiting', 'invited', 'actions'].map((key) => h('th', { scope: 'col' }, t(`events.${key}`)));
      const rows = events.map((event) => {
        const open = h('button', { type: 'button', class: 'secondary' }, t('events.open'));
        open.addEventListener('click', () => renderEditor(root, request, event, showList));
        const seats = event.capacity === null ? String(event.confirmed) : `${event.confirmed} / ${event.capacity}`;
        return h(
          'tr',
          {},
          h('td', {}, event.title.de ?? event.slug),
          h('td', {}, t(`events.formats.${event.format}`)),
          h('td', {}, when(event.startsAt)),
          h('td', {}, t(`events.statuses.${event.status}`)),
          h('td', {}, seats),
          h('td', {}, String(event.waiting)),
          h('td', {}, String(event.invited)),
          h('td', {}, open),
        );
      });
      holder.replaceChildren(h('table', { class: 'data-table', id: 'event-list' }, h('caption', {}, t('events.heading')), h('thead', {}, h('tr', {}, ...head)), h('tbody', {}, ...rows)));
    } catch (error) {
      holder.replaceChildren(alert(error instanceof Error ? error.message : t('loadFailed')));
    }
  };
  void showList();
}

type Request = ReturnType<typeof client>;

function renderEditor(root: HTMLElement, request: Request, event: StaffEvent | null, back: () => void): void {
  const backButton = h('button', { type: 'button', class: 'secondary', id: 'event-back' }, t('events.back'));
  backButton.addEventListener('click', back);
  const input = (id: string, value: string, attributes: Record<string, string | boolean> = {}) => h('input', { id, name: id, value, ...attributes });
  const slug = input('event-slug', event?.slug ?? '', { required: true, pattern: '[a-z0-9][a-z0-9-]+[a-z0-9]' });
  const format = h('select', { id: 'event-format' }, ...EVENT_FORMATS.map((value) => h('option', { value, selected: event?.format === value }, t(`events.formats.${value}`))));
  const status = h('select', { id: 'event-status' }, ...EVENT_STATUSES.map((value) => h('option', { value, selected: (event?.status ?? 'draft') === value }, t(`events.statuses.${value}`))));
  // Title and description per locale; German is required, the others are optional (and drafts).
  const texts = SUPPORTED_LOCALES.map((locale) => ({
    locale,
    title: input(`event-title-${locale}`, event?.title[locale] ?? '', locale === 'de' ? { required: true } : {}),
    description: h('textarea', { id: `event-description-${locale}`, rows: 3 }, event?.description[locale] ?? ''),
  }));
  const textFields = texts.map(({ locale, title, description }) =>
    h('fieldset', { lang: locale, dir: locale === 'ar' || locale === 'fa' ? 'rtl' : 'ltr' }, h('legend', {}, t('events.textsIn', { locale })), field(title.id, t('events.titleField'), title), field(description.id, t('events.description'), description)),
  );
  const place = input('event-place', event?.placeName ?? '', { required: true });
  const address = input('event-address', event?.placeAddress ?? '');
  const access = checkboxes('event-access', t('events.access'), ['stepFree', 'hearingLoop', 'accessibleToilet'], event ? (['stepFree', 'hearingLoop', 'accessibleToilet'] as const).filter((key) => event[key]) : [], (key) => t(`events.${key}`));
  const notes = h('textarea', { id: 'event-access-notes', rows: 2 }, event?.accessibilityNotes.de ?? '');
  const starts = input('event-starts', toLocalInput(event?.startsAt ?? null), { type: 'datetime-local', required: true });
  const ends = input('event-ends', toLocalInput(event?.endsAt ?? null), { type: 'datetime-local', required: true });
  const deadline = input('event-deadline', toLocalInput(event?.registrationDeadline ?? null), { type: 'datetime-local' });
  const capacity = input('event-capacity', event?.capacity === null || event === null ? '' : String(event.capacity), { type: 'number', min: '1' });
  const languages = checkboxes('event-languages', t('events.languages'), SUPPORTED_LOCALES, event?.languages ?? ['de']);
  const interpretation = checkboxes('event-interpretation', t('events.interpretation'), SUPPORTED_LOCALES, event?.interpretation ?? []);
  const message = h('div', {});
  const form = h(
    'form',
    { id: 'event-form', 'aria-labelledby': 'event-form-heading' },
    h('h2', { id: 'event-form-heading' }, event ? t('events.edit') : t('events.new')),
    field('event-slug', t('events.slug'), slug),
    field('event-format', t('events.format'), format, true),
    field('event-status', t('events.status'), status, true),
    ...textFields,
    field('event-place', t('events.place'), place),
    field('event-address', t('events.address'), address),
    access.fieldset,
    field('event-access-notes', t('events.accessNotes'), notes),
    field('event-starts', t('events.start'), starts, true),
    field('event-ends', t('events.end'), ends, true),
    field('event-deadline', t('events.deadline'), deadline, true),
    field('event-capacity', t('events.capacity'), capacity, true),
    languages.fieldset,
    interpretation.fieldset,
    h('button', { type: 'submit', class: 'primary' }, t('events.save')),
    message,
  );
  form.addEventListener('submit', (submitEvent) => {
    submitEvent.preventDefault();
    const keep = (pairs: [string, string][]) => Object.fromEntries(pairs.map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));
    const body = {
      slug: slug.value.trim(),
      format: format.value,
      status: status.value,
      title: keep(texts.map((text) => [text.locale, text.title.value])),
      description: keep(texts.map((text) => [text.locale, text.description.value])),
      placeName: place.value,
      placeAddress: address.value || null,
      stepFree: access.checked().includes('stepFree'),
      hearingLoop: access.checked().includes('hearingLoop'),
      accessibleToilet: access.checked().includes('accessibleToilet'),
      // The form edits the German notes; notes in other locales (entered through the API) are kept.
      accessibilityNotes: { ...Object.fromEntries(Object.entries(event?.accessibilityNotes ?? {}).filter(([locale]) => locale !== 'de')), ...keep([['de', notes.value]]) },
      startsAt: fromLocalInput(starts.value) ?? '',
      endsAt: fromLocalInput(ends.value) ?? '',
      registrationDeadline: fromLocalInput(deadline.value),
      capacity: capacity.value ? Number(capacity.value) : null,
      languages: languages.checked(),
      interpretation: interpretation.checked(),
    };
    void (async () => {
      try {
        const saved = event
          ? await request<{ event: StaffEvent }>('PUT', `/api/events/${event.id}`, body)
          : await request<{ event: StaffEvent }>('POST', '/api/events', body);
        renderEditor(root, request, saved.event, back);
        document.getElementById('event-saved')?.focus();
      } catch (error) {
        message.replaceChildren(alert(error instanceof Error ? error.message : t('loadFailed')));
      }
    })();
  });
  const sections: HTMLElement[] = [backButton, form];
  if (event) sections.push(h('p', { id: 'event-saved', tabindex: '-1', role: 'status' }, t('events.saved')), invitePanel(request, event), registrationsPanel(request, event), eventDayLink(event.id), reportPanel(request, event));
  root.replaceChildren(...sections);
}

function invitePanel(request: Request, event: StaffEvent): HTMLElement {
  const topics = checkboxes('invite-topics', t('topics'), FIELDS_OF_ACTION, []);
  const formats = checkboxes('invite-formats', t('formats'), PARTICIPATION_FORMATS, []);
  const district = h('input', { id: 'invite-district', type: 'text' });
  const language = h('select', { id: 'invite-locale' }, h('option', { value: '' }, t('any')), ...SUPPORTED_LOCALES.map((code) => h('option', { value: code }, code)));
  const outcome = h('div', {});
  const previewLocale = h('select', { id: 'preview-locale' }, ...SUPPORTED_LOCALES.map((code) => h('option', { value: code }, code)));
  const preview = h('pre', { id: 'invite-preview', class: 'mail-preview' });
  const previewButton = h('button', { type: 'button', class: 'secondary' }, t('events.preview'));
  previewButton.addEventListener('click', () => {
    void request<{ preview: { subject: string; text: string } }>('GET', `/api/events/${event.id}/invitations/preview?locale=${previewLocale.value}`)
      .then(({ preview: mail }) => {
        preview.setAttribute('lang', previewLocale.value);
        preview.setAttribute('dir', previewLocale.value === 'ar' || previewLocale.value === 'fa' ? 'rtl' : 'ltr');
        preview.textContent = `${mail.subject}\n\n${mail.text}`;
      })
      .catch((error: Error) => outcome.replaceChildren(alert(error.message)));
  });
  const list = h('div', {});
  const loadInvitations = async () => {
    const { invitations } = await request<{ invitations: { name: string | null; email: string | null; locale: string; status: string }[] }>('GET', `/api/events/${event.id}/invitations`);
    const head = ['name', 'email', 'language'].map((key) => h('th', { scope: 'col' }, t(key)));
    list.replaceChildren(
      h(
        'table',
        { class: 'data-table', id: 'invitation-list' },
        h('caption', {}, t('events.invitations', { count: invitations.length })),
        h('thead', {}, h('tr', {}, ...head, h('th', { scope: 'col' }, t('events.status')))),
        h('tbody', {}, ...invitations.map((row) => h('tr', {}, h('td', {}, row.name ?? ''), h('td', {}, row.email ?? ''), h('td', {}, row.locale), h('td', {}, t(`events.invitationStatus.${row.status}`))))),
      ),
    );
  };
  const form = h(
    'form',
    { id: 'invite-form', 'aria-labelledby': 'invite-heading' },
    h('h2', { id: 'invite-heading' }, t('events.invite')),
    h('p', {}, t('events.inviteHelp')),
    topics.fieldset,
    formats.fieldset,
    field('invite-district', t('district'), district, true),
    field('invite-locale', t('language'), language, true),
    h('button', { type: 'submit', class: 'primary' }, t('events.sendInvitations')),
    outcome,
    field('preview-locale', t('events.previewIn'), previewLocale, true),
    previewButton,
    preview,
  );
  // The contact list's own filter, for the e-mail invitations and the letters alike.
  const filterParams = () => {
    const params = new URLSearchParams();
    if (topics.checked().length) params.set('topics', topics.checked().join(','));
    if (formats.checked().length) params.set('formats', formats.checked().join(','));
    if (district.value.trim()) params.set('district', district.value.trim());
    if (language.value) params.set('locale', language.value);
    return params;
  };
  form.addEventListener('submit', (submitEvent) => {
    submitEvent.preventDefault();
    const params = filterParams();
    void request<{ invited: number; alreadyInvited: number; notMailable: number }>('POST', `/api/events/${event.id}/invitations?${params}`)
      .then((result) => {
        outcome.replaceChildren(statusLine(t('events.invited', result)));
        return loadInvitations();
      })
      .catch((error: Error) => outcome.replaceChildren(alert(error.message)));
  });
  void loadInvitations().catch((error: Error) => list.replaceChildren(alert(error.message)));
  const letters = lettersPanel(request, event, filterParams, loadInvitations);
  return h('section', { 'aria-labelledby': 'invite-heading' }, form, letters, list);
}

/**
 * Letters for the contacts mail cannot reach (phone only; without SMTP every confirmed contact):
 * a printable PDF or a mail-merge CSV. A POST, because making the file invites the people in it;
 * the file arrives as a download and is the only place their personal links exist.
 */
function lettersPanel(request: Request, event: StaffEvent, filterParams: () => URLSearchParams, afterwards: () => Promise<void>): HTMLElement {
  const outcome = h('div', {});
  const note = h('p', { id: 'letters-no-smtp', hidden: true }, t('events.lettersNoSmtp'));
  void request<{ mailConfigured: boolean }>('GET', '/api/events')
    .then((answer) => (note.hidden = answer.mailConfigured))
    .catch(() => {});
  const button = (format: 'pdf' | 'csv') => {
    const element = h('button', { type: 'button', class: 'secondary', id: `letters-${format}` }, t(format === 'pdf' ? 'events.lettersPdf' : 'events.lettersCsv'));
    element.addEventListener('click', () => {
      element.disabled = true;
      void downloadLetters(request.csrfToken, event, format, filterParams())
        .then((count) => {
          outcome.replaceChildren(statusLine(t('events.lettersMade', { count })));
          return afterwards();
        })
        .catch((error: Error) => outcome.replaceChildren(alert(error.message)))
        .finally(() => (element.disabled = false));
    });
    return element;
  };
  return h('section', { 'aria-labelledby': 'letters-heading', id: 'letters' }, h('h3', { id: 'letters-heading' }, t('events.lettersHeading')), h('p', {}, t('events.lettersHelp')), note, button('pdf'), ' ', button('csv'), outcome);
}

async function downloadLetters(csrfToken: string, event: StaffEvent, format: 'pdf' | 'csv', params: URLSearchParams): Promise<number> {
  if (format === 'csv') params.set('dialect', 'excel-de');
  const response = await fetch(`/api/events/${event.id}/invitations/letters.${format}?${params}`, {
    method: 'POST',
    headers: { 'x-csrf-token': csrfToken, 'accept-language': currentLocale() },
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (!response.ok) {
    const answer = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new RequestError(answer?.error?.message ?? t('loadFailed'));
  }
  const blob = await response.blob();
  const count = Number(response.headers.get('x-letter-count') ?? 0);
  const link = h('a', { href: URL.createObjectURL(blob), download: `${event.slug}-letters.${format}` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  return count;
}

function registrationsPanel(request: Request, event: StaffEvent): HTMLElement {
  const holder = h('div', {});
  void request<{
    registrations: { name: string | null; email: string | null; phone: string | null; locale: string; status: string; waitingPosition: number | null; needs: { childcare?: boolean; interpreting?: string | null; accessibility?: string | null } }[];
  }>('GET', `/api/events/${event.id}/registrations`)
    .then(({ registrations }) => {
      const table = (caption: string, id: string, rows: typeof registrations) =>
        h(
          'table',
          { class: 'data-table', id },
          h('caption', {}, caption),
          h('thead', {}, h('tr', {}, ...['position', 'name', 'email', 'phone', 'language', 'needs'].map((key) => h('th', { scope: 'col' }, key === 'position' || key === 'needs' ? t(`events.${key}`) : t(key))))),
          h(
            'tbody',
            {},
            ...rows.map((row, index) => {
              const needs = [row.needs.childcare && t('events.childcare'), row.needs.interpreting && t('events.interpretingInto', { locale: row.needs.interpreting }), row.needs.accessibility].filter(Boolean).join('; ');
              return h('tr', {}, h('td', {}, String(row.waitingPosition ?? index + 1)), h('td', {}, row.name ?? ''), h('td', {}, row.email ?? ''), h('td', {}, row.phone ?? ''), h('td', {}, row.locale), h('td', {}, needs));
            }),
          ),
        );
      const confirmed = registrations.filter((row) => row.status === 'confirmed');
      const waiting = registrations.filter((row) => row.status === 'waiting');
      holder.replaceChildren(table(t('events.confirmedList', { count: confirmed.length }), 'registration-list', confirmed), table(t('events.waitingList', { count: waiting.length }), 'waiting-list', waiting));
    })
    .catch((error: Error) => holder.replaceChildren(alert(error.message)));
  return h('section', { 'aria-labelledby': 'registrations-heading' }, h('h2', { id: 'registrations-heading' }, t('events.registrations')), holder);
}

function reportPanel(request: Request, event: StaffEvent): HTMLElement {
  const attendees = h('input', { id: 'report-attendees', type: 'number', min: '0', required: true });
  const organisations = h('textarea', { id: 'report-organisations', rows: 3 });
  const results = SUPPORTED_LOCALES.map((locale) => ({ locale, area: h('textarea', { id: `report-results-${locale}`, rows: 4, lang: locale, dir: locale === 'ar' || locale === 'fa' ? 'rtl' : 'ltr' }) }));
  const published = h('input', { id: 'report-published', type: 'checkbox' });
  const message = h('div', {});
  // Left as the check-in counted, the number keeps following the check-in (later syncs included).
  let fromCheckIn: string | null = null;
  void request<{ report: Report | null }>('GET', `/api/events/${event.id}`)
    .then(({ report }) => {
      if (!report) return;
      attendees.value = String(report.attendeesCount);
      fromCheckIn = report.attendeesFromCheckIn ? attendees.value : null;
      organisations.value = report.organisations.join('\n');
      for (const { locale, area } of results) area.value = report.results[locale] ?? '';
      published.checked = report.published;
    })
    .catch(() => {});
  const form = h(
    'form',
    { id: 'report-form', 'aria-labelledby': 'report-heading' },
    h('h2', { id: 'report-heading' }, t('events.report')),
    field('report-attendees', t('events.attendees'), attendees, true),
    field('report-organisations', t('events.organisations'), organisations),
    ...results.map(({ locale, area }) => field(area.id, t('events.resultsIn', { locale }), area)),
    h('div', { class: 'field inline' }, published, h('label', { for: 'report-published' }, t('events.publish'))),
    h('button', { type: 'submit', class: 'primary' }, t('events.saveReport')),
    message,
  );
  form.addEventListener('submit', (submitEvent) => {
    submitEvent.preventDefault();
    const body = {
      attendeesCount: fromCheckIn !== null && attendees.value === fromCheckIn ? null : Number(attendees.value),
      organisations: organisations.value.split('\n'),
      results: Object.fromEntries(results.map(({ locale, area }) => [locale, area.value.trim()]).filter(([, v]) => v)),
      published: published.checked,
    };
    void request<{ report: Report }>('PUT', `/api/events/${event.id}/report`, body)
      .then(() => message.replaceChildren(statusLine(t('events.reportSaved'))))
      .catch((error: Error) => message.replaceChildren(alert(error.message)));
  });
  return h('section', { 'aria-labelledby': 'report-heading' }, form);
}
