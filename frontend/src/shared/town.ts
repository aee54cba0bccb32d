import { intlLocale } from './intl-locale.ts';
import type { Locale } from '../../../api/src/shared/locales.ts';
import type { PublicTown, TownSettings } from '../../../api/src/shared/contract.ts';
import { requestJson } from './http.ts';

/**
 * What the pages say about the town comes from the server at run time (`GET /api/town`, kept by the
 * admin at /admin); nothing about a town is compiled in. `loadTown()` once per page, before i18n.
 */
let town: PublicTown = { configured: false, suppressionK: 5 };

/** Fetches the town's settings; a failed request leaves the page with "not set up" (it then says so). */
export async function loadTown(): Promise<PublicTown> {
  try {
    const answer = await requestJson<PublicTown>('GET', '/api/town');
    if (answer.ok) town = answer.body;
  } catch {
    // Offline or the server is down: the page's own error handling takes over.
  }
  return town;
}

export function currentTown(): PublicTown {
  return town;
}

/** The settings, or null while the town has not saved them. */
export function townSettings(): TownSettings | null {
  return town.configured ? town : null;
}

/**
 * Puts the town's logo (if the admin uploaded one) at the start of the page header. It sits next to
 * the town's name, which says the same, so it is decorative for a screen reader (`alt=""`).
 */
export function showTownLogo(): void {
  const header = document.querySelector('.site-header');
  if (!town.logoUrl || !header || header.querySelector('.site-header__logo')) return;
  const logo = document.createElement('img');
  logo.className = 'site-header__logo';
  logo.src = town.logoUrl;
  logo.alt = '';
  const name = header.querySelector('.site-header__town');
  const brand = document.createElement('div');
  brand.className = 'site-header__brand';
  header.insertBefore(brand, header.firstChild);
  brand.append(logo);
  if (name) brand.append(name);
}

/** The town's name in a locale (its own, else the default one); empty while not set up. */
export function townName(locale: Locale): string {
  const settings = townSettings();
  if (!settings) return '';
  const names = settings.name as Record<string, string | undefined>;
  return names[locale === 'de' ? 'default' : locale] || settings.name.default || '';
}

/**
 * A date as people of a locale write it. The legal date is a German (Gregorian) one, so Farsi gets the
 * Gregorian calendar with Persian digits and month names, not the Solar Hijri calendar Intl defaults
 * to. Ukrainian's long form ends in "р." ("2028 р."), which doubled the full stop at the end of a
 * sentence; "року" says the same without one. Leichte Sprache uses German formatting.
 */
export function formatDate(isoDate: string, locale: Locale): string {
  const date = new Date(`${isoDate}T12:00:00Z`);
  const formatter = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'long', timeZone: 'UTC' });
  if (locale !== 'uk') return formatter.format(date);
  return formatter
    .formatToParts(date)
    .map((part) => (part.type === 'literal' && /р\.\s*$/.test(part.value) ? part.value.replace(/р\.\s*$/, 'року') : part.value))
    .join('');
}

// First-strong isolate … pop directional isolate: a Latin name with parentheses ("Büttelborn (Demo)")
// inside Arabic or Farsi text otherwise has its brackets reordered by the bidi algorithm.
const isolate = (text: string) => `\u2068${text}\u2069`;

/** Values every UI string may use: `{{town}}`, `{{answersDeletedBy}}`, `{{contactsDeletedBy}}`. */
export function townVariables(locale: Locale): Record<string, string> {
  const settings = townSettings();
  return {
    town: isolate(townName(locale)),
    answersDeletedBy: settings ? formatDate(settings.answersDeletedBy, locale) : '',
    contactsDeletedBy: settings ? formatDate(settings.contactsDeletedBy, locale) : '',
  };
}
