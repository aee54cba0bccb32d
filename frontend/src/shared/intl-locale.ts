import type { Locale } from '../../../api/src/shared/locales.ts';

/**
 * The tag to give Intl for one of our locales. Intl knows no Leichte Sprache: it is written with
 * German conventions. Farsi gets the Gregorian calendar (with Persian digits and month names): the
 * dates we show are German legal and working dates, and Intl's default for `fa` is the Solar Hijri
 * calendar.
 */
export function intlLocale(locale: Locale): string {
  if (locale === 'de-x-easy') return 'de';
  if (locale === 'fa') return 'fa-u-ca-gregory';
  return locale;
}
