import { LOCALE_NATIVE_NAMES, RTL_LOCALES, type Locale } from '../../../../api/src/shared/locales.ts';
import { t } from '../../i18n/index.ts';
import type { View } from '../app-context.ts';
import { createConversation } from '../store/conversations.ts';
import { listCurrentInstruments, listDistricts } from '../store/instruments.ts';
import { districtLabel, functionChoices, initialAnswers, instrumentTitle } from '../survey-model.ts';
import { el, focusHeading } from './dom.ts';

/** Starts a conversation: which guide, where, with whom (their function), in which language. */
export const startView: View = async (context, root) => {
  const session = context.session.current;
  if (!session) {
    context.navigate({ view: 'login' });
    return;
  }
  const uiLocale = context.uiLocale();
  const [instruments, districts] = await Promise.all([listCurrentInstruments(context.db), listDistricts(context.db)]);
  if (instruments.length === 0) {
    root.replaceChildren(
      el(
        'section',
        { 'aria-labelledby': 'start-heading' },
        el('h2', { id: 'start-heading' }, t('start.heading')),
        el('p', {}, t('catalogue.none')),
        el('p', {}, el('a', { href: '#/', class: 'button' }, t('conversation.back'))),
      ),
    );
    focusHeading(root);
    return;
  }

  const placeholder = () => el('option', { value: '' }, t('start.choose'));
  const instrumentSelect = el(
    'select',
    { id: 'start-instrument', name: 'instrument', required: true },
    ...instruments.map((instrument) => el('option', { value: instrument.slug }, instrumentTitle(instrument, uiLocale))),
  );
  const districtSelect = el(
    'select',
    { id: 'start-district', name: 'district', required: true },
    placeholder(),
    ...districts.map((district) => el('option', { value: district.code }, districtLabel(district, district.code, uiLocale))),
  );
  const functionSelect = el('select', { id: 'start-function', name: 'function', required: true });
  const functionField = el('div', { class: 'field' }, el('label', { for: 'start-function' }, t('start.function')), functionSelect);
  const languageSelect = el('select', { id: 'start-language', name: 'language', required: true });

  const selectedInstrument = () => instruments.find((instrument) => instrument.slug === instrumentSelect.value) ?? instruments[0]!;
  const refreshInstrumentFields = () => {
    const instrument = selectedInstrument();
    const choices = functionChoices(instrument, uiLocale);
    functionSelect.replaceChildren(placeholder(), ...choices.map((choice) => el('option', { value: choice.value }, choice.text)));
    functionField.hidden = choices.length === 0;
    functionSelect.required = choices.length > 0;
    const previous = languageSelect.value;
    languageSelect.replaceChildren(
      ...instrument.locales.map((locale) =>
        // Each language by its own name, marked up so a screen reader pronounces it right.
        el('option', { value: locale, lang: locale, dir: RTL_LOCALES.has(locale) ? 'rtl' : 'ltr' }, LOCALE_NATIVE_NAMES[locale]),
      ),
    );
    const preferred = [previous, uiLocale, 'de'].find((locale) => instrument.locales.includes(locale as Locale));
    if (preferred) languageSelect.value = preferred;
  };
  instrumentSelect.addEventListener('change', refreshInstrumentFields);
  refreshInstrumentFields();

  const error = el('p', { class: 'form-error', role: 'alert', id: 'start-error' });
  const form = el(
    'form',
    { class: 'start-form', novalidate: true, 'aria-describedby': 'start-error' },
    el('div', { class: 'field' }, el('label', { for: 'start-instrument' }, t('start.instrument')), instrumentSelect),
    el('div', { class: 'field' }, el('label', { for: 'start-district' }, t('start.district')), districtSelect),
    functionField,
    el('div', { class: 'field' }, el('label', { for: 'start-language' }, t('start.language')), languageSelect),
    error,
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'submit', class: 'primary' }, t('start.submit')),
      el('a', { href: '#/', class: 'button' }, t('start.cancel')),
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const instrument = selectedInstrument();
    const missing = [districtSelect, functionSelect, languageSelect].find((select) => select.required && !select.value);
    if (missing) {
      error.textContent = t('start.required');
      missing.focus();
      return;
    }
    const choice = {
      district: districtSelect.value,
      intervieweeFunction: functionSelect.value || null,
      locale: languageSelect.value as Locale,
    };
    const conversation = await createConversation(context.db, {
      id: crypto.randomUUID(),
      userId: session.user.id,
      userEmail: session.user.email,
      slug: instrument.slug,
      version: instrument.version,
      ...choice,
      answers: initialAnswers(instrument, choice),
    });
    context.navigate({ view: 'conversation', id: conversation.id });
  });

  root.replaceChildren(
    el('section', { class: 'start', 'aria-labelledby': 'start-heading' }, el('h2', { id: 'start-heading' }, t('start.heading')), form),
  );
  focusHeading(root);
};
