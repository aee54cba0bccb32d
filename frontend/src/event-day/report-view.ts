import { FIELDS_OF_ACTION } from '../../../api/src/shared/contact-options.ts';
import { LOCALE_NATIVE_NAMES, RTL_LOCALES, SUPPORTED_LOCALES, type Locale } from '../../../api/src/shared/locales.ts';
import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { staffJson, type StaffRequestContext } from '../shared/offline/staff-request.ts';
import { queueItem, queuePhoto, unqueueItem, type EventDayDatabase, type StoredDay, type StoredDayItem, type StoredDayPhoto } from './store.ts';

/** The server takes photos up to 15 MiB (MEDIA_UPLOAD_LIMIT_BYTES); a larger one is refused at once. */
const MAX_PHOTO_BYTES = 15 * 1024 * 1024;

const field = (id: string, label: string, input: HTMLElement) => h('div', { class: 'field' }, h('label', { for: id }, label), input);

function stateLine(state: StoredDayItem['state'], rejection: string | null): HTMLElement {
  return h('span', { class: `day-state day-state--${state}` }, state === 'rejected' ? `${t('event-day:state.rejected')}: ${rejection ?? ''}` : t(`event-day:state.${state}`));
}

function undoButton(db: EventDayDatabase, item: StoredDayItem, label: string, changed: () => void): HTMLElement | null {
  if (item.state === 'synced') return null;
  const button = h('button', { type: 'button', class: 'secondary' }, label);
  button.addEventListener('click', async () => {
    await unqueueItem(db, item.id);
    changed();
  });
  return button;
}

/**
 * Result cards from the pin boards: the statement (German; translations come later, online), its
 * field of action, the phase or table it came from, and its dot votes (Überpunkte).
 */
export function renderCards(db: EventDayDatabase, day: StoredDay, items: StoredDayItem[], changed: () => void): HTMLElement {
  const statement = h('textarea', { id: 'card-statement', rows: 2, maxlength: 1000, required: true });
  const fieldOfAction = h('select', { id: 'card-field' }, h('option', { value: '' }, t('event-day:fieldNone')), ...FIELDS_OF_ACTION.map((code) => h('option', { value: code }, t(`events:fields.${code}`))));
  const origin = h('input', { id: 'card-origin', type: 'text', maxlength: 200 });
  const dots = h('input', { id: 'card-dots', type: 'number', min: '0', max: '100000', value: '0', inputmode: 'numeric' });
  const problem = h('p', { class: 'form-error', role: 'alert', id: 'card-problem' });
  const form = h(
    'form',
    { id: 'card-form', 'aria-labelledby': 'cards-heading', novalidate: true },
    field('card-statement', t('event-day:cardStatement'), statement),
    field('card-field', t('event-day:cardField'), fieldOfAction),
    field('card-origin', t('event-day:cardOrigin'), origin),
    field('card-dots', t('event-day:cardDots'), dots),
    problem,
    h('button', { type: 'submit', class: 'primary' }, t('event-day:cardAdd')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const dotCount = Number(dots.value || '0');
    if (!statement.value.trim()) return void (problem.textContent = t('event-day:cardStatementMissing'));
    if (!Number.isInteger(dotCount) || dotCount < 0) return void (problem.textContent = t('event-day:cardDotsInvalid'));
    await queueItem(db, day.eventId, {
      kind: 'card',
      id: crypto.randomUUID(),
      statement: { de: statement.value.trim() },
      fieldOfAction: fieldOfAction.value || null,
      origin: origin.value.trim() || null,
      dots: dotCount,
    });
    form.reset();
    changed();
  });
  const cards = items.filter((item) => item.payload.kind === 'card');
  const list = cards.map((item) => {
    const card = item.payload as Extract<StoredDayItem['payload'], { kind: 'card' }>;
    const facts = [card.fieldOfAction && t(`events:fields.${card.fieldOfAction}`), card.origin, t('events:dots', { count: card.dots })].filter(Boolean).join(' · ');
    return h('li', { class: 'day-card' }, h('span', {}, card.statement.de), ' ', h('span', { class: 'hint' }, facts), ' ', stateLine(item.state, item.rejection), ' ', undoButton(db, item, t('event-day:remove'), changed));
  });
  return h(
    'section',
    { 'aria-labelledby': 'cards-heading', id: 'cards' },
    h('h2', { id: 'cards-heading' }, t('event-day:cardsHeading')),
    form,
    cards.length > 0 ? h('ul', { id: 'card-list' }, ...list) : null,
  );
}

/** The hosts' notes per table or dialogue room: for the report's authors, never shown publicly. */
export function renderNotes(db: EventDayDatabase, day: StoredDay, items: StoredDayItem[], changed: () => void): HTMLElement {
  const room = h('input', { id: 'note-room', type: 'text', maxlength: 200, required: true });
  const text = h('textarea', { id: 'note-text', rows: 3, maxlength: 20000, required: true });
  const problem = h('p', { class: 'form-error', role: 'alert', id: 'note-problem' });
  const form = h(
    'form',
    { id: 'note-form', 'aria-labelledby': 'notes-heading', novalidate: true },
    h('p', { class: 'hint' }, t('event-day:notesHint')),
    field('note-room', t('event-day:noteRoom'), room),
    field('note-text', t('event-day:noteText'), text),
    problem,
    h('button', { type: 'submit', class: 'primary' }, t('event-day:noteAdd')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!room.value.trim() || !text.value.trim()) return void (problem.textContent = t('event-day:noteMissing'));
    await queueItem(db, day.eventId, { kind: 'note', id: crypto.randomUUID(), room: room.value.trim(), note: text.value.trim() });
    text.value = '';
    changed();
  });
  const notes = items.filter((item) => item.payload.kind === 'note');
  return h(
    'section',
    { 'aria-labelledby': 'notes-heading', id: 'notes' },
    h('h2', { id: 'notes-heading' }, t('event-day:notesHeading')),
    form,
    notes.length > 0
      ? h(
          'ul',
          { id: 'note-list' },
          ...notes.map((item) => {
            const note = item.payload as Extract<StoredDayItem['payload'], { kind: 'note' }>;
            return h('li', {}, h('strong', {}, note.room), `: ${note.note} `, stateLine(item.state, item.rejection), ' ', undoButton(db, item, t('event-day:remove'), changed));
          }),
        )
      : null,
  );
}

/** Photos of pin boards and flip charts, kept as Blobs until the server holds them. Returns a clean-up for the previews. */
export function renderPhotos(db: EventDayDatabase, day: StoredDay, photos: StoredDayPhoto[], changed: () => void): { section: HTMLElement; release: () => void } {
  const urls: string[] = [];
  const input = h('input', { type: 'file', id: 'photo-input', accept: 'image/*', capture: 'environment', multiple: true });
  const message = h('p', { role: 'status', id: 'photo-message' });
  input.addEventListener('change', async () => {
    const files = [...(input.files ?? [])];
    const tooLarge = files.filter((file) => file.size > MAX_PHOTO_BYTES);
    for (const file of files.filter((file) => file.size <= MAX_PHOTO_BYTES)) await queuePhoto(db, day.eventId, file);
    input.value = '';
    changed();
    if (tooLarge.length > 0) message.textContent = t('event-day:photoTooLarge');
  });
  const items = photos.map((photo, index) => {
    const number = index + 1;
    let preview: HTMLElement;
    if (photo.blob) {
      const url = URL.createObjectURL(photo.blob);
      urls.push(url);
      preview = h('img', { src: url, alt: t('event-day:photoAlt', { number }), width: 160, height: 120 });
    } else {
      preview = h('span', {}, t('event-day:photoAlt', { number }));
    }
    let remove: HTMLElement | null = null;
    if (photo.state !== 'synced') {
      remove = h('button', { type: 'button', class: 'secondary' }, t('event-day:photoRemove', { number }));
      remove.addEventListener('click', async () => {
        await db.delete('photos', photo.id);
        changed();
      });
    }
    return h('li', { class: 'day-photo', 'data-state': photo.state }, preview, ' ', stateLine(photo.state, photo.rejection), ' ', remove);
  });
  const section = h(
    'section',
    { 'aria-labelledby': 'photos-heading', id: 'photos' },
    h('h2', { id: 'photos-heading' }, t('event-day:photosHeading')),
    h('p', { class: 'hint' }, t('event-day:photosHint')),
    h('div', { class: 'field' }, h('label', { for: 'photo-input' }, t('event-day:photoTake')), input),
    message,
    photos.length > 0 ? h('ul', { id: 'photo-list', class: 'photo-gallery' }, ...items) : null,
  );
  return { section, release: () => urls.forEach((url) => URL.revokeObjectURL(url)) };
}

interface ServerCard {
  id: string;
  statement: Record<string, string>;
  fieldOfAction: string | null;
  origin: string | null;
  dots: number;
}

/**
 * Translations of the synced cards (online, after the day): German stays as written, each other
 * language is a draft until a native speaker has reviewed it.
 */
export function renderTranslations(day: StoredDay, request: () => StaffRequestContext | null): HTMLElement {
  const locales = SUPPORTED_LOCALES.filter((locale) => locale !== 'de');
  const localeSelect = h('select', { id: 'translation-locale' }, ...locales.map((code) => h('option', { value: code, lang: code }, LOCALE_NATIVE_NAMES[code])));
  const area = h('div', { id: 'translation-cards' });
  const message = h('p', { role: 'status', id: 'translation-message' });
  let cards: ServerCard[] = [];
  const load = h('button', { type: 'button', class: 'secondary', id: 'translation-load' }, t('event-day:translationsLoad'));
  const save = h('button', { type: 'button', class: 'primary', id: 'translation-save', hidden: true }, t('event-day:translationsSave'));
  const draw = () => {
    const locale = localeSelect.value as Locale;
    area.replaceChildren(
      ...cards.map((card, index) =>
        h(
          'div',
          { class: 'field' },
          h('label', { for: `translation-${card.id}` }, `${index + 1}. ${card.statement.de}`),
          h('input', { type: 'text', id: `translation-${card.id}`, class: 'card-translation', 'data-card': card.id, lang: locale, dir: RTL_LOCALES.has(locale) ? 'rtl' : 'ltr', value: card.statement[locale] ?? '', maxlength: 1000 }),
        ),
      ),
    );
  };
  localeSelect.addEventListener('change', draw);
  load.addEventListener('click', async () => {
    const context = request();
    if (!context) return void (message.textContent = t('event-day:loginNeeded'));
    try {
      const { report } = await staffJson<{ report: { cards: ServerCard[] } | null }>(context, 'GET', `/api/events/${day.eventId}`, undefined, 20_000);
      cards = report?.cards ?? [];
      message.textContent = cards.length > 0 ? '' : t('event-day:translationsNone');
      save.hidden = cards.length === 0;
      draw();
    } catch (error) {
      message.textContent = error instanceof Error ? error.message : t('event-day:offline');
    }
  });
  save.addEventListener('click', async () => {
    const context = request();
    if (!context) return void (message.textContent = t('event-day:loginNeeded'));
    const locale = localeSelect.value as Locale;
    try {
      for (const card of cards) {
        const input = area.querySelector<HTMLInputElement>(`input[data-card="${card.id}"]`);
        const value = input?.value.trim() ?? '';
        const statement = { ...card.statement };
        if (value) statement[locale] = value;
        else delete statement[locale];
        if ((statement[locale] ?? '') === (card.statement[locale] ?? '')) continue;
        const { card: saved } = await staffJson<{ card: ServerCard }>(context, 'PUT', `/api/events/${day.eventId}/report/cards/${card.id}`, { statement, fieldOfAction: card.fieldOfAction, origin: card.origin, dots: card.dots }, 20_000);
        Object.assign(card, saved);
      }
      message.textContent = t('event-day:translationsSaved');
    } catch (error) {
      message.textContent = error instanceof Error ? error.message : t('event-day:offline');
    }
  });
  return h(
    'section',
    { 'aria-labelledby': 'translations-heading', id: 'card-translations' },
    h('h2', { id: 'translations-heading' }, t('event-day:translationsHeading')),
    h('p', { class: 'hint' }, t('event-day:translationsHint')),
    h('div', { class: 'field inline' }, h('label', { for: 'translation-locale' }, t('event-day:translationsLocale')), localeSelect),
    h('p', {}, load),
    area,
    message,
    h('p', {}, save),
  );
}
