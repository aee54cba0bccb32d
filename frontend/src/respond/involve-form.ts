import type { Locale } from '../../../api/src/shared/locales.ts';
import { onLocaleChanged, t, translateDocument } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { requestJson, serverMessage, type ApiAnswer } from '../shared/http.ts';
import { districtName, type PublicDistrict } from './survey-definition.ts';

/** The fields of action and participation formats the contacts API accepts: one list, shared with the server. */
import { FIELDS_OF_ACTION as TOPICS, PARTICIPATION_FORMATS as FORMATS } from '../../../api/src/shared/contact-options.ts';

export { FORMATS, TOPICS };

/** Names the consent text shown (respond:involve.consent in every locale); change it when the text changes. */
export const CONSENT_VERSION = 'contact-2026-11';

// The same rules as the server (api/src/contacts/service.ts), so most mistakes are caught here,
// in the person's language, before anything is sent.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/u;
const PHONE_PATTERN = /^\+?[0-9 ()/.-]+$/;
const LIMITS = { name: 100, email: 254, phone: 32 } as const;

type FieldName = 'reach' | 'email' | 'phone' | 'consent' | 'name' | 'district';

/** What `POST /api/contacts` takes; nothing of a response or an interview. */
export interface ContactBody {
  locale: Locale;
  consent: true;
  consentVersion: string;
  name?: string;
  email?: string;
  phone?: string;
  topics: string[];
  formats: string[];
  district?: string;
  /** The interviewer app's key for this one form: a repeat after a lost answer stores nothing new. */
  idempotencyKey?: string;
}

export type ContactAnswer = ApiAnswer<{ withdrawCode: string; errors?: { field: string; message: string }[] }>;

export interface InvolveFormOptions {
  districts: PublicDistrict[];
  locale: () => Locale;
  /** Called with the withdrawal code once the contact is stored. */
  onStored: (withdrawCode: string) => void;
  /**
   * How the contact leaves the device; default `POST /api/contacts`. The interviewer app passes one
   * that keeps it on the tablet while there is no connection: it answers 202, and `onQueued` runs.
   */
  send?: (body: ContactBody) => Promise<ContactAnswer>;
  onQueued?: () => void;
}

const postContact = (body: ContactBody): Promise<ContactAnswer> => requestJson('POST', '/api/contacts', { locale: body.locale, body });

/**
 * The optional step after the thanks: topics, formats, district, one way to be reached and explicit
 * consent. Sent on its own (`POST /api/contacts`), carrying nothing of the response.
 */
export function createInvolveForm({ districts, locale, onStored, send = postContact, onQueued }: InvolveFormOptions): HTMLElement {
  const checkbox = (group: 'topics' | 'formats', value: string) => {
    const id = `involve-${group}-${value}`;
    return h('div', { class: 'choice' }, h('input', { type: 'checkbox', id, name: group, value }), h('label', { for: id, 'data-i18n': `respond:involve.${group}.${value}` }));
  };
  const errorLine = (field: FieldName) => h('p', { class: 'field-error', id: `involve-${field}-error` });

  const districtSelect = h('select', { id: 'involve-district', name: 'district', 'aria-describedby': 'involve-district-error' });
  const fillDistricts = () => {
    const chosen = districtSelect.value;
    districtSelect.replaceChildren(
      h('option', { value: '', 'data-i18n': 'respond:involve.districtNone' }, t('respond:involve.districtNone')),
      ...districts.map((district) => h('option', { value: district.code }, districtName(district, locale()))),
    );
    districtSelect.value = chosen;
  };
  fillDistricts();
  onLocaleChanged(fillDistricts);

  const input = (field: 'name' | 'email' | 'phone', type: string, autocomplete: string, extra: Record<string, string> = {}) =>
    h('div', { class: 'form-field' },
      h('label', { for: `involve-${field}`, 'data-i18n': `respond:involve.${field}` }),
      h('input', { id: `involve-${field}`, name: field, type, autocomplete, maxlength: String(LIMITS[field]), dir: 'auto', 'aria-describedby': `involve-${field}-error`, ...extra }),
      errorLine(field as FieldName),
    );

  const summaryList = h('ul');
  const summary = h('div', { class: 'error-summary', id: 'involve-errors', tabindex: '-1', hidden: true },
    h('p', { 'data-i18n': 'respond:involve.errorSummary' }), summaryList);
  const status = h('p', { class: 'submit-status', id: 'involve-status', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'button button--primary', 'data-i18n': 'respond:involve.submit' });

  const form = h('form', { id: 'involve-form', novalidate: true, 'aria-labelledby': 'involve-heading' },
    summary,
    h('fieldset', {}, h('legend', { 'data-i18n': 'respond:involve.topicsLegend' }), ...TOPICS.map((topic) => checkbox('topics', topic))),
    h('fieldset', {}, h('legend', { 'data-i18n': 'respond:involve.formatsLegend' }), ...FORMATS.map((format) => checkbox('formats', format))),
    h('div', { class: 'form-field' }, h('label', { for: 'involve-district', 'data-i18n': 'respond:involve.districtLabel' }), districtSelect, errorLine('district')),
    h('fieldset', { 'aria-describedby': 'involve-reach-hint involve-reach-error' },
      h('legend', { 'data-i18n': 'respond:involve.reachLegend' }),
      h('p', { class: 'hint', id: 'involve-reach-hint', 'data-i18n': 'respond:involve.reachHint' }),
      errorLine('reach'),
      input('name', 'text', 'name'),
      input('email', 'email', 'email', { inputmode: 'email' }),
      input('phone', 'tel', 'tel', { inputmode: 'tel' }),
    ),
    h('div', { class: 'choice' },
      h('input', { type: 'checkbox', id: 'involve-consent', name: 'consent', 'aria-describedby': 'involve-consent-error', 'aria-required': 'true' }),
      h('label', { for: 'involve-consent', 'data-i18n': 'respond:involve.consent' }),
    ),
    errorLine('consent'),
    status,
    submit,
  );

  const done = h('div', { class: 'success', id: 'involve-done', tabindex: '-1', hidden: true });
  const section = h('section', { class: 'involve', 'aria-labelledby': 'involve-heading' },
    h('h2', { id: 'involve-heading', 'data-i18n': 'respond:involve.heading' }),
    h('p', { 'data-i18n': 'respond:involve.intro' }),
    h('p', { 'data-i18n': 'respond:involve.separate' }),
    form,
    done,
  );
  translateDocument(section);

  const field = (name: string) => form.querySelector<HTMLInputElement>(`#involve-${name}`)!;
  const showErrors = (errors: { field: FieldName; key?: string; text?: string }[]) => {
    for (const name of ['reach', 'email', 'phone', 'consent', 'name', 'district'] as FieldName[]) {
      const line = form.querySelector<HTMLElement>(`#involve-${name}-error`)!;
      line.textContent = '';
      line.removeAttribute('data-i18n');
      form.querySelector(`#involve-${name}`)?.removeAttribute('aria-invalid');
    }
    summaryList.replaceChildren();
    for (const error of errors) {
      const line = form.querySelector<HTMLElement>(`#involve-${error.field}-error`)!;
      if (error.key) line.setAttribute('data-i18n', error.key);
      line.textContent = error.key ? t(error.key) : (error.text ?? '');
      const target = error.field === 'reach' ? field('email') : field(error.field);
      target?.setAttribute('aria-invalid', 'true');
      const link = h('a', { href: `#${target?.id ?? 'involve-form'}` }, line.textContent);
      if (error.key) link.setAttribute('data-i18n', error.key);
      summaryList.append(h('li', {}, link));
    }
    summary.hidden = errors.length === 0;
    if (errors.length > 0) summary.focus();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = {
      name: field('name').value.trim(),
      email: field('email').value.trim(),
      phone: field('phone').value.trim(),
      consent: field('consent').checked,
      district: districtSelect.value,
      topics: [...form.querySelectorAll<HTMLInputElement>('input[name="topics"]:checked')].map((box) => box.value),
      formats: [...form.querySelectorAll<HTMLInputElement>('input[name="formats"]:checked')].map((box) => box.value),
    };
    const errors: { field: FieldName; key: string }[] = [];
    if (!values.email && !values.phone) errors.push({ field: 'reach', key: 'respond:involve.needReach' });
    if (values.email && !EMAIL_PATTERN.test(values.email)) errors.push({ field: 'email', key: 'respond:involve.invalidEmail' });
    if (values.phone && (!PHONE_PATTERN.test(values.phone) || values.phone.replace(/\D/g, '').length < 5)) {
      errors.push({ field: 'phone', key: 'respond:involve.invalidPhone' });
    }
    if (!values.consent) errors.push({ field: 'consent', key: 'respond:involve.needConsent' });
    showErrors(errors);
    if (errors.length > 0) return;

    submit.disabled = true;
    status.dataset.kind = 'info';
    status.textContent = t('respond:involve.sending');
    try {
      const answer = await send({
        locale: locale(),
        consent: true,
        consentVersion: CONSENT_VERSION,
        ...(values.name ? { name: values.name } : {}),
        ...(values.email ? { email: values.email } : {}),
        ...(values.phone ? { phone: values.phone } : {}),
        topics: values.topics,
        formats: values.formats,
        ...(values.district ? { district: values.district } : {}),
      });
      if (answer.status === 202) {
        form.hidden = true;
        status.textContent = '';
        onQueued?.();
        return;
      }
      if (answer.status === 201 || answer.status === 200) {
        form.hidden = true;
        status.textContent = '';
        onStored(answer.body.withdrawCode);
        return;
      }
      const fieldErrors = (answer.body.errors ?? []).filter((e) => ['name', 'email', 'phone', 'district'].includes(e.field));
      if (fieldErrors.length > 0) showErrors(fieldErrors.map((e) => ({ field: e.field as FieldName, text: e.message })));
      status.dataset.kind = 'error';
      status.textContent = t('respond:involve.failed', { message: serverMessage(answer.body) ?? t('common:unexpectedError') });
    } catch {
      status.dataset.kind = 'error';
      status.textContent = t('respond:involve.failed', { message: t('common:networkError') });
    } finally {
      submit.disabled = false;
    }
  });

  return section;
}
