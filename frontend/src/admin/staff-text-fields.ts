import { LOCALE_NATIVE_NAMES, RTL_LOCALES, SUPPORTED_LOCALES, type Locale } from '../../../api/src/shared/locales.ts';
import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { languageLabel, type FieldSet } from './form-fields.ts';

export interface StaffTextFields {
  element: HTMLElement;
  /** The German text and every non-empty translation, trimmed. */
  read(): Record<string, string>;
  set(text: Partial<Record<string, string>>): void;
  german: HTMLInputElement | HTMLTextAreaElement;
}

/**
 * A text staff write for residents: German (required, the reviewed original) and, folded away,
 * the other eight locales including Leichte Sprache, each labelled in its own language and marked
 * as a draft — residents see those marked as draft translations until someone has reviewed them.
 * `path` is the server's field path (`title`), so its problems land at `title.de`.
 */
export function staffTextFields(fields: FieldSet, path: string, label: string, options: { multiline?: boolean; optional?: boolean } = {}): StaffTextFields {
  const input = (locale: Locale) => {
    const element = options.multiline ? h('textarea', { rows: 3 }) : h('input', { type: 'text' });
    element.lang = locale;
    element.dir = RTL_LOCALES.has(locale) ? 'rtl' : 'ltr';
    return element;
  };
  const inputs = new Map<Locale, HTMLInputElement | HTMLTextAreaElement>(SUPPORTED_LOCALES.map((locale) => [locale, input(locale)]));
  const german = inputs.get('de')!;
  german.required = !options.optional;
  const drafts = SUPPORTED_LOCALES.filter((locale) => locale !== 'de');
  const draftCount = h('span', { class: 'draft-count' });
  const countDrafts = () => {
    const n = drafts.filter((locale) => inputs.get(locale)!.value.trim()).length;
    draftCount.textContent = n > 0 ? ` (${t('admin-results:text.draftCount', { count: n })})` : '';
  };
  for (const locale of drafts) inputs.get(locale)!.addEventListener('input', countDrafts);
  const element = h(
    'div',
    { class: 'staff-text' },
    fields.field(`${path}.de`, t(options.optional ? 'admin-results:text.germanOptional' : 'admin-results:text.german', { label }), german, { hint: t('admin-results:text.germanHint') }),
    h(
      'details',
      { class: 'staff-text__drafts' },
      h('summary', {}, t('admin-results:text.drafts', { label }), draftCount),
      h('p', { class: 'hint' }, t('admin-results:text.draftsHint')),
      ...drafts.map((locale) =>
        fields.field(`${path}.${locale}`, languageLabel(locale, LOCALE_NATIVE_NAMES[locale], RTL_LOCALES.has(locale) ? 'rtl' : 'ltr', t('admin-results:text.draft')), inputs.get(locale)!),
      ),
    ),
  );
  return {
    element,
    german,
    read: () => Object.fromEntries([...inputs].map(([locale, field]) => [locale, field.value.trim()]).filter(([, value]) => value !== '')),
    set: (text) => {
      for (const [locale, field] of inputs) field.value = text[locale] ?? '';
      countDrafts();
    },
  };
}

/** The locales (besides German) a staff text has drafts in, named in their own language. */
export function draftLocalesOf(text: Partial<Record<string, string>>): HTMLElement | null {
  const locales = SUPPORTED_LOCALES.filter((locale) => locale !== 'de' && text[locale]);
  if (locales.length === 0) return null;
  return h(
    'p',
    { class: 'hint' },
    `${t('admin-results:text.draftsIn')} `,
    ...locales.flatMap((locale, index) => [index > 0 ? ', ' : '', h('span', { lang: locale, dir: RTL_LOCALES.has(locale) ? 'rtl' : 'ltr' }, LOCALE_NATIVE_NAMES[locale])]),
    ' ',
    h('span', { class: 'draft-badge' }, t('admin-results:text.draft')),
  );
}
