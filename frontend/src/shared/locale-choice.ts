import { DEFAULT_LOCALE, isLocale, localeFromAcceptLanguage, type Locale } from '../../../api/src/shared/locales.ts';

const STORAGE_KEY = 'vielstimmig.locale';

export interface LocaleSources {
  /** `?lang=` of the address (a flyer's QR code can carry it). */
  query: string | null;
  /** What the person chose here before. */
  stored: string | null;
  /** The browser's languages, most preferred first. */
  browser: readonly string[];
}

/**
 * The locale to show: an explicit `?lang=` first, then the person's earlier choice, then the
 * browser's languages, then German. Leichte Sprache is never guessed from the browser: nobody's
 * browser asks for it, and plain German is the honest default.
 */
export function chooseLocale({ query, stored, browser }: LocaleSources): Locale {
  if (isLocale(query)) return query;
  if (isLocale(stored)) return stored;
  if (browser.length > 0) return localeFromAcceptLanguage(browser.join(','));
  return DEFAULT_LOCALE;
}

export function chooseLocaleForThisPage(): Locale {
  return chooseLocale({
    query: new URLSearchParams(location.search).get('lang'),
    stored: readStoredLocale(),
    browser: navigator.languages ?? [navigator.language],
  });
}

function readStoredLocale(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage blocked (private mode in some browsers): just not remembered
  }
}

export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered; the choice still applies to this page.
  }
}
