import { LOCALE_NATIVE_NAMES, RTL_LOCALES, SUPPORTED_LOCALES, type Locale } from '../../../api/src/shared/locales.ts';
import { changeLocale } from '../i18n/index.ts';
import { rememberLocale } from './locale-choice.ts';

/**
 * Every locale by its own name in its own script, each marked with its own `lang` and `dir` so a
 * screen reader pronounces "Türkçe" in Turkish even on a German page (WCAG 3.1.2).
 */
function markLanguage(element: HTMLElement, locale: Locale): void {
  element.lang = locale;
  element.dir = RTL_LOCALES.has(locale) ? 'rtl' : 'ltr';
}

/** A row of buttons, one per locale: readable by someone who does not read the current language. */
export function renderLanguageButtons(
  list: HTMLElement,
  current: Locale,
  locales: readonly Locale[],
  onChoose: (locale: Locale) => void,
): void {
  // Re-rendering replaces the buttons; a keyboard user who just chose keeps the focus on the choice.
  const focused = list.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.locale : undefined;
  list.replaceChildren(
    ...orderedLocales(locales).map((locale) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'language-button';
      button.textContent = LOCALE_NATIVE_NAMES[locale];
      button.dataset.locale = locale;
      markLanguage(button, locale);
      if (locale === current) button.setAttribute('aria-current', 'true');
      button.addEventListener('click', () => onChoose(locale));
      item.append(button);
      return item;
    }),
  );
  if (focused) list.querySelector<HTMLElement>(`[data-locale="${focused}"]`)?.focus();
}

/** A compact select for pages where the button row would push the content down. */
export function renderLanguageSelect(
  select: HTMLSelectElement,
  current: Locale,
  locales: readonly Locale[],
  onChoose: (locale: Locale) => void,
): void {
  select.replaceChildren(
    ...orderedLocales(locales).map((locale) => {
      const option = document.createElement('option');
      option.value = locale;
      option.textContent = LOCALE_NATIVE_NAMES[locale];
      markLanguage(option, locale);
      option.selected = locale === current;
      return option;
    }),
  );
  select.onchange = () => onChoose(select.value as Locale);
}

/** The chooser shows locales in the platform's fixed order, whatever order a survey lists them in. */
function orderedLocales(locales: readonly Locale[]): Locale[] {
  return SUPPORTED_LOCALES.filter((locale) => locales.includes(locale));
}

/**
 * A staff page's language select (dashboard, coordinator page): the choice is remembered for the
 * next visit, the page's strings switch, and the page draws itself again in the new language.
 */
export function mountPageLanguageSelect(
  select: HTMLSelectElement,
  current: Locale,
  locales: readonly Locale[],
  redraw: () => void,
): void {
  const choose = (next: Locale) => {
    rememberLocale(next);
    void changeLocale(next).then((applied) => applied && redraw());
    renderLanguageSelect(select, next, locales, choose);
  };
  renderLanguageSelect(select, current, locales, choose);
}
