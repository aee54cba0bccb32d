import { LOCALE_NATIVE_NAMES, RTL_LOCALES, SUPPORTED_LOCALES } from '../../../api/src/shared/locales.ts';
import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { AdminRequestError, type AdminApi, type PublicTown } from './api.ts';
import { FieldSet, languageLabel, statusLine, textInput } from './form-fields.ts';
import { logoForm } from './logo-form.ts';

/** Names of the town in other locales are keyed by locale; German is `default`. */
const NAME_KEYS = SUPPORTED_LOCALES.map((locale) => (locale === 'de' ? 'default' : locale));

/** Leaves out empty optional fields: "not given" rather than an empty string the pages would show. */
const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());

/** Town settings: the facts every page shows (name, data-protection contact, deletion dates) and k. */
export function renderTownSection(root: HTMLElement, api: AdminApi, town: PublicTown, onSaved: (town: PublicTown) => void): void {
  const fields = new FieldSet('town');
  const settings = town.configured ? town : null;
  const names = Object.fromEntries(
    NAME_KEYS.map((key) => [key, textInput((settings?.name as Record<string, string | undefined> | undefined)?.[key] ?? '')]),
  ) as Record<string, HTMLInputElement>;
  const dpoName = textInput(settings?.dataProtection.name ?? '');
  const dpoEmail = textInput(settings?.dataProtection.email ?? '', 'email');
  const dpoPhone = textInput(settings?.dataProtection.phone ?? '', 'tel');
  const dpoAddress = h('textarea', { rows: 3 }, settings?.dataProtection.address ?? '');
  const imprint = textInput(settings?.imprintUrl ?? '', 'url');
  const answersBy = textInput(settings?.answersDeletedBy ?? '', 'date');
  const contactsBy = textInput(settings?.contactsDeletedBy ?? '', 'date');
  const k = textInput(String(town.suppressionK), 'number');
  k.min = '3';
  k.max = '100';
  k.step = '1';
  const status = statusLine('town-status');
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, t('admin:town.save'));

  const form = h(
    'form',
    { id: 'town-form', novalidate: true, 'aria-labelledby': 'town-heading' },
    h('h2', { id: 'town-heading' }, t('admin:town.heading')),
    h('p', { class: 'hint' }, t('admin:town.intro')),
    fields.summary,
    h(
      'fieldset',
      {},
      h('legend', {}, t('admin:town.names')),
      ...SUPPORTED_LOCALES.map((locale, index) =>
        fields.field(`name.${NAME_KEYS[index]}`, languageLabel(locale, LOCALE_NATIVE_NAMES[locale], RTL_LOCALES.has(locale) ? 'rtl' : 'ltr', locale === 'de' ? t('admin:required') : undefined), names[NAME_KEYS[index]!]!, { lang: locale }),
      ),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, t('admin:town.dataProtection')),
      fields.field('dataProtection.name', `${t('admin:town.dpoName')} (${t('admin:required')})`, dpoName),
      fields.field('dataProtection.email', `${t('admin:town.dpoEmail')} (${t('admin:required')})`, dpoEmail),
      fields.field('dataProtection.phone', t('admin:town.dpoPhone'), dpoPhone),
      fields.field('dataProtection.address', t('admin:town.dpoAddress'), dpoAddress),
    ),
    fields.field('imprintUrl', t('admin:town.imprintUrl'), imprint, { hint: t('admin:town.imprintHint') }),
    h(
      'fieldset',
      {},
      h('legend', {}, t('admin:town.deletion')),
      h('p', { class: 'hint' }, t('admin:town.deletionHint')),
      fields.field('answersDeletedBy', `${t('admin:town.answersDeletedBy')} (${t('admin:required')})`, answersBy),
      fields.field('contactsDeletedBy', `${t('admin:town.contactsDeletedBy')} (${t('admin:required')})`, contactsBy),
    ),
    fields.field('suppressionK', t('admin:town.suppressionK'), k, { hint: t('admin:town.suppressionKHint') }),
    submit,
    status,
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.textContent = '';
    fields.clear();
    const name: Record<string, string | undefined> = {};
    for (const key of NAME_KEYS) name[key] = key === 'default' ? names[key]!.value.trim() : optional(names[key]!.value);
    const body = {
      name,
      dataProtection: {
        name: dpoName.value.trim(),
        email: dpoEmail.value.trim(),
        phone: optional(dpoPhone.value),
        address: optional(dpoAddress.value),
      },
      imprintUrl: optional(imprint.value),
      answersDeletedBy: answersBy.value,
      contactsDeletedBy: contactsBy.value,
      suppressionK: k.value.trim() === '' ? undefined : Number(k.value),
    };
    submit.disabled = true;
    try {
      const saved = await api.saveTown(body);
      status.textContent = t('admin:town.saved');
      onSaved(saved);
    } catch (error) {
      if (error instanceof AdminRequestError) fields.show(error.fieldErrors, error.message);
      else fields.show([], t('admin:loadFailed'));
    } finally {
      submit.disabled = false;
    }
  });
  root.replaceChildren(form, logoForm(api, town, onSaved));
}
