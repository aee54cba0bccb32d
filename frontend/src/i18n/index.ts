import i18next, { type TFunction } from 'i18next';
import { RTL_LOCALES, type Locale } from '../../../api/src/shared/locales.ts';

/**
 * UI strings: one JSON file per namespace and locale (`./<namespace>/<locale>.json`). Each page
 * names the namespaces it needs; only the chosen locale's files are fetched (Vite turns every
 * template-literal import below into its own small chunk). To add a namespace, add a folder with
 * nine files (two for a staff-only page that offers German and English) and a line here.
 */
const bundleLoaders = {
  common: (locale: Locale) => import(`./common/${locale}.json`),
  respond: (locale: Locale) => import(`./respond/${locale}.json`),
  landing: (locale: Locale) => import(`./landing/${locale}.json`),
  interview: (locale: Locale) => import(`./interview/${locale}.json`),
  analysis: (locale: Locale) => import(`./analysis/${locale}.json`),
  freetext: (locale: Locale) => import(`./freetext/${locale}.json`),
  coordinate: (locale: Locale) => import(`./coordinate/${locale}.json`),
  contact: (locale: Locale) => import(`./contact/${locale}.json`),
  // German and English only (STAFF_ONLY_NAMESPACES in bundles.test.ts): the admin pages offer no other.
  admin: (locale: Locale) => import(`./admin/${locale}.json`),
  'admin-results': (locale: Locale) => import(`./admin-results/${locale}.json`),
  event: (locale: Locale) => import(`./event/${locale}.json`),
  events: (locale: Locale) => import(`./events/${locale}.json`),
  // German and English only (STAFF_ONLY_NAMESPACES): the coordinator's tablet on the event day.
  'event-day': (locale: Locale) => import(`./event-day/${locale}.json`),
  // German and English only (STAFF_ONLY_NAMESPACES): the network workshop on a tablet or projector.
  workshop: (locale: Locale) => import(`./workshop/${locale}.json`),
} satisfies Record<string, (locale: Locale) => Promise<{ default: object }>>;

export type Namespace = keyof typeof bundleLoaders;
export const NAMESPACES = Object.keys(bundleLoaders) as Namespace[];

/** Leichte Sprache may leave a string to plain German; every other locale is complete (tested). */
const FALLBACKS: Partial<Record<Locale, Locale[]>> = { 'de-x-easy': ['de'] };

let pageNamespaces: Namespace[] = [];

async function loadBundles(locale: Locale, namespaces: Namespace[]): Promise<void> {
  const locales = [locale, ...(FALLBACKS[locale] ?? [])];
  await Promise.all(
    locales.flatMap((lng) =>
      namespaces
        .filter((ns) => !i18next.hasResourceBundle(lng, ns))
        .map(async (ns) => {
          const bundle = await bundleLoaders[ns](lng);
          i18next.addResourceBundle(lng, ns, bundle.default, true, true);
        }),
    ),
  );
}

/**
 * Starts i18next for a page in one locale. `variables` are available to every string (the town's
 * name, dates), so the HTML can carry plain `data-i18n` keys.
 */
export async function initI18n(
  locale: Locale,
  namespaces: Namespace[],
  variables: Record<string, string> = {},
): Promise<TFunction> {
  pageNamespaces = namespaces;
  await i18next.init({
    lng: locale,
    fallbackLng: { 'de-x-easy': ['de'], default: ['de'] },
    // `de-x-easy` is a private-use tag: without these i18next rewrites it and misses its strings.
    lowerCaseLng: false,
    cleanCode: false,
    load: 'currentOnly',
    ns: namespaces,
    defaultNS: namespaces[0],
    resources: {},
    partialBundledLanguages: true,
    interpolation: { escapeValue: false, defaultVariables: variables },
    returnNull: false,
  });
  await loadBundles(locale, namespaces);
  await i18next.changeLanguage(locale);
  applyDocumentLocale(locale);
  return i18next.t;
}

let latestLocaleRequest: Locale | null = null;
let localeChanges: Promise<unknown> = Promise.resolve();

/**
 * Switches the page to another locale: loads its strings, then re-translates the document.
 * Choices made in quick succession (arrow keys through the language select) are applied in order,
 * and a choice that a later one superseded is dropped: otherwise a slow bundle could land last and
 * leave the page in a language nobody chose. Resolves to whether this choice was applied.
 */
export function changeLocale(locale: Locale, variables?: Record<string, string>): Promise<boolean> {
  latestLocaleRequest = locale;
  const change = localeChanges.then(async () => {
    if (latestLocaleRequest !== locale) return false;
    await loadBundles(locale, pageNamespaces);
    if (latestLocaleRequest !== locale) return false;
    if (variables) i18next.options.interpolation = { ...i18next.options.interpolation, defaultVariables: variables };
    await i18next.changeLanguage(locale);
    applyDocumentLocale(locale);
    translateDocument();
    return true;
  });
  localeChanges = change.catch(() => undefined);
  return change;
}

export function t(key: string, options?: Record<string, unknown>): string {
  return String(i18next.t(key, options as never));
}

export function currentLocale(): Locale {
  return i18next.language as Locale;
}

/** `<html lang dir>` and the Leichte Sprache class (larger type, more spacing) for a locale. */
export function applyDocumentLocale(locale: Locale, root: HTMLElement = document.documentElement): void {
  root.lang = locale;
  root.dir = RTL_LOCALES.has(locale) ? 'rtl' : 'ltr';
  root.classList.toggle('easy-language', locale === 'de-x-easy');
}

/**
 * Fills every element carrying `data-i18n="ns:key"` with its text, and `data-i18n-attr="attr:ns:key"`
 * (several separated by `;`) with attribute values. Text only, never HTML: strings are not markup.
 */
export function translateDocument(root: ParentNode = document): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n!);
  }
  for (const element of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of element.dataset.i18nAttr!.split(';')) {
      const separator = pair.indexOf(':');
      if (separator > 0) element.setAttribute(pair.slice(0, separator).trim(), t(pair.slice(separator + 1).trim()));
    }
  }
}

/** Replaces the values every string may use, once the page knows more (e.g. its survey); the caller re-translates what uses them. */
export function setPageVariables(variables: Record<string, string>): void {
  i18next.options.interpolation = { ...i18next.options.interpolation, defaultVariables: variables };
}

/** Re-translates the document whenever the language changes, plus page-specific work. */
export function onLocaleChanged(listener: (locale: Locale) => void): void {
  i18next.on('languageChanged', (lng) => listener(lng as Locale));
}
