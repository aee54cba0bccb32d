import { createInstance, type TFunction } from 'i18next';
import { SUPPORTED_LOCALES, type Locale } from '../shared/locales.ts';
import ar from './messages/ar.json' with { type: 'json' };
import de from './messages/de.json' with { type: 'json' };
import deEasy from './messages/de-x-easy.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import fa from './messages/fa.json' with { type: 'json' };
import pl from './messages/pl.json' with { type: 'json' };
import ru from './messages/ru.json' with { type: 'json' };
import tr from './messages/tr.json' with { type: 'json' };
import uk from './messages/uk.json' with { type: 'json' };

const resources: Record<Locale, { translation: object }> = {
  de: { translation: de },
  'de-x-easy': { translation: deEasy },
  en: { translation: en },
  tr: { translation: tr },
  ar: { translation: ar },
  ru: { translation: ru },
  uk: { translation: uk },
  pl: { translation: pl },
  fa: { translation: fa },
};

const messages = createInstance();
await messages.init({
  resources,
  supportedLngs: [...SUPPORTED_LOCALES],
  fallbackLng: { 'de-x-easy': ['de'], default: ['de'] },
  // Leichte Sprache is a private-use tag; without this i18next would rewrite it and miss its resources.
  lowerCaseLng: false,
  cleanCode: false,
  load: 'currentOnly',
  interpolation: { escapeValue: false },
  initAsync: false,
});

/** Server-side messages (API errors) in the requester's locale. */
export function messageFor(locale: Locale): TFunction {
  return messages.getFixedT(locale);
}

export { resources as messageResources };
