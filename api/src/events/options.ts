import type { LocalisedText } from '../db/schema.ts';
import type { Locale } from '../shared/locales.ts';
import { TOWN_TIME_ZONE } from '../shared/town-day.ts';

export { EVENT_FORMATS, EVENT_STATUSES } from '../shared/events.ts';

/** The text in this locale; Leichte Sprache falls back to German, everything else to German too. */
export function localised(text: LocalisedText, locale: Locale): string {
  return text[locale] || (locale === 'de-x-easy' ? text.de : '') || text.de || '';
}

/** The town's clock for dates in messages. */
export const EVENT_TIME_ZONE = TOWN_TIME_ZONE;

const INTL_LOCALE: Record<Locale, string> = { de: 'de-DE', 'de-x-easy': 'de-DE', en: 'en-GB', tr: 'tr-TR', ar: 'ar', ru: 'ru-RU', uk: 'uk-UA', pl: 'pl-PL', fa: 'fa-IR' };

export function formatWhen(iso: string | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], { dateStyle: 'full', timeStyle: 'short', timeZone: EVENT_TIME_ZONE }).format(new Date(iso));
}
