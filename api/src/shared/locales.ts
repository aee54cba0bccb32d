/** The locales the platform supports, in the order a language chooser shows them. */
export const SUPPORTED_LOCALES = ['de', 'de-x-easy', 'en', 'tr', 'ar', 'ru', 'uk', 'pl', 'fa'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'de';

/** A locale code → text map, e.g. `{"default": "Worfelden", "ar": "…"}`. */
export type LocalisedText = Record<string, string>;

/** Each locale's name in its own language and script, for the language chooser. */
export const LOCALE_NATIVE_NAMES: Record<Locale, string> = {
  de: 'Deutsch',
  'de-x-easy': 'Leichte Sprache',
  en: 'English',
  tr: 'Türkçe',
  ar: 'العربية',
  ru: 'Русский',
  uk: 'Українська',
  pl: 'Polski',
  fa: 'فارسی',
};

export const RTL_LOCALES: ReadonlySet<Locale> = new Set<Locale>(['ar', 'fa']);

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/**
 * SurveyJS keeps German, the default language, under the key `default`; every other locale under
 * its own code. This maps a locale to the key its text has in a survey JSON string object.
 */
export function surveyTextKey(locale: Locale): string {
  return locale === DEFAULT_LOCALE ? 'default' : locale;
}

/** Picks the best supported locale from an Accept-Language header (q-values respected). */
export function localeFromAcceptLanguage(header: string | undefined | null): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const exact = SUPPORTED_LOCALES.find((locale) => locale.toLowerCase() === tag);
    if (exact) return exact;
    const primary = tag.split('-')[0];
    const byLanguage = SUPPORTED_LOCALES.find((locale) => locale === primary);
    if (byLanguage) return byLanguage;
  }
  return DEFAULT_LOCALE;
}
