import { t, translateDocument } from '../i18n/index.ts';
import { h } from './dom.ts';
import { requestJson, serverMessage } from './http.ts';

/**
 * Withdrawal of consent to be contacted: the code from the thank-you page → `POST
 * /api/contacts/withdraw`, which deletes the contact. On the thank-you page and the start page
 * (`/?withdraw=CODE#withdraw` fills the code in).
 */
export function createWithdrawForm(options: { locale: () => string; prefill?: string | null }): HTMLElement {
  const codeInput = h('input', {
    id: 'withdraw-code',
    name: 'code',
    type: 'text',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    maxlength: '20',
    dir: 'ltr',
    'aria-describedby': 'withdraw-error',
  });
  codeInput.value = options.prefill ?? '';
  const error = h('p', { class: 'field-error', id: 'withdraw-error' });
  const status = h('p', { class: 'submit-status', id: 'withdraw-status', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'button button--secondary', 'data-i18n': 'common:withdraw.submit' });
  const form = h('form', { id: 'withdraw-form', novalidate: true, 'aria-labelledby': 'withdraw-heading' },
    h('div', { class: 'form-field' }, h('label', { for: 'withdraw-code', 'data-i18n': 'common:withdraw.codeLabel' }), codeInput, error),
    status,
    submit,
  );
  const section = h('section', { class: 'withdraw', id: 'withdraw', 'aria-labelledby': 'withdraw-heading' },
    h('h2', { id: 'withdraw-heading', 'data-i18n': 'common:withdraw.heading' }),
    h('p', { 'data-i18n': 'common:withdraw.intro' }),
    form,
  );
  translateDocument(section);

  const setError = (key: string | null) => {
    error.textContent = key ? t(key) : '';
    if (key) {
      error.setAttribute('data-i18n', key);
      codeInput.setAttribute('aria-invalid', 'true');
    } else {
      error.removeAttribute('data-i18n');
      codeInput.removeAttribute('aria-invalid');
    }
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const code = codeInput.value.trim();
    status.textContent = '';
    if (!code) {
      setError('common:withdraw.needCode');
      codeInput.focus();
      return;
    }
    setError(null);
    submit.disabled = true;
    status.textContent = t('common:withdraw.sending');
    try {
      const answer = await requestJson('POST', '/api/contacts/withdraw', { body: { code }, locale: options.locale() });
      status.textContent = '';
      if (answer.status === 204 || answer.ok) {
        status.setAttribute('data-i18n', 'common:withdraw.done');
        status.textContent = t('common:withdraw.done');
        status.className = 'success';
        codeInput.value = '';
      } else if (answer.status === 404) {
        setError('common:withdraw.notFound');
        codeInput.focus();
      } else {
        status.textContent = serverMessage(answer.body) ?? t('common:unexpectedError');
      }
    } catch {
      status.textContent = t('common:networkError');
    } finally {
      submit.disabled = false;
    }
  });
  return section;
}
