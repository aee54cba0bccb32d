import type { Locale } from '../i18n/locales.ts';

/** Variables every request carries through the middleware chain. */
export interface AppEnv {
  Variables: {
    /** The locale for messages to this requester (Accept-Language, `?lang=`, or the body's locale). */
    locale: Locale;
  };
}
