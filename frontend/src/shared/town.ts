import type { Locale } from '../../../api/src/i18n/locales.ts';
import { DEMO_TOWN_NAME } from '../../../api/src/demo/demo-town.ts';

/**
 * What the welcome page and consent text say about the town. These are the DEMO town's details
 * (the data-protection address is a reserved example domain). Until the admin area keeps town
 * settings and the API serves them, a real town changes them here and rebuilds.
 */
export const TOWN = {
  name: DEMO_TOWN_NAME,
  dataProtection: {
    email: 'datenschutz@buettelborn.example',
    phone: '+49 6152 0000-0',
  },
  /** The latest day survey answers are kept (the welcome page promises it). */
  answersDeletedBy: '2028-12-31',
  /** The latest day contact details of people who want to get involved are kept. */
  contactsDeletedBy: '2028-12-31',
} as const;

/** A date as people of a locale write it; Leichte Sprache uses German formatting. */
export function formatDate(isoDate: string, locale: Locale): string {
  const date = new Date(`${isoDate}T12:00:00Z`);
  return new Intl.DateTimeFormat(locale === 'de-x-easy' ? 'de' : locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

// First-strong isolate … pop directional isolate: a Latin name with parentheses ("Büttelborn (Demo)")
// inside Arabic or Farsi text otherwise has its brackets reordered by the bidi algorithm.
const isolate = (text: string) => `\u2068${text}\u2069`;

/** Values every UI string may use: `{{town}}`, `{{answersDeletedBy}}`, `{{contactsDeletedBy}}`. */
export function townVariables(locale: Locale): Record<string, string> {
  return {
    town: isolate(TOWN.name),
    answersDeletedBy: formatDate(TOWN.answersDeletedBy, locale),
    contactsDeletedBy: formatDate(TOWN.contactsDeletedBy, locale),
  };
}
