import '../styles/base.css';
import '../analysis/analysis.css';
import '../admin/admin.css';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../../api/src/shared/password-rules.ts';
import type { Locale } from '../../../api/src/shared/locales.ts';
import { currentLocale, initI18n, t, translateDocument } from '../i18n/index.ts';
import { byId, h } from '../shared/dom.ts';
import { requestJson, serverMessage } from '../shared/http.ts';
import { mountPageLanguageSelect } from '../shared/language-chooser.ts';
import { chooseLocaleForThisPage } from '../shared/locale-choice.ts';

const UI_LOCALES: readonly Locale[] = ['de', 'en'];

/**
 * The one-time link's page (`/admin/set-password#token=…`). The token is in the fragment, which no
 * server or proxy log sees; it is taken out of the address bar at once, so it is not left in the
 * history or shown over someone's shoulder.
 */
const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
if (token) history.replaceState(null, '', location.pathname + location.search);

function render(root: HTMLElement): void {
  if (!token) {
    root.replaceChildren(h('h2', {}, t('setPassword.heading')), h('p', { class: 'notice', 'data-kind': 'error', role: 'alert' }, t('setPassword.noToken')));
    return;
  }
  const password = h('input', { type: 'password', id: 'new-password', autocomplete: 'new-password', required: true, 'aria-describedby': 'password-rules new-password-error', maxlength: MAX_PASSWORD_LENGTH });
  const repeat = h('input', { type: 'password', id: 'repeat-password', autocomplete: 'new-password', required: true, 'aria-describedby': 'repeat-password-error' });
  const passwordError = h('p', { class: 'field-error', id: 'new-password-error' });
  const repeatError = h('p', { class: 'field-error', id: 'repeat-password-error' });
  const formError = h('p', { class: 'field-error', role: 'alert', id: 'set-password-error' });
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, t('setPassword.submit'));
  const form = h('form', { id: 'set-password-form', novalidate: true, 'aria-labelledby': 'set-password-heading' },
    h('h2', { id: 'set-password-heading' }, t('setPassword.heading')),
    h('p', { id: 'password-rules' }, t('setPassword.rules', { min: MIN_PASSWORD_LENGTH })),
    h('div', { class: 'form-field' }, h('label', { for: 'new-password' }, t('setPassword.password')), password, passwordError),
    h('div', { class: 'form-field' }, h('label', { for: 'repeat-password' }, t('setPassword.repeat')), repeat, repeatError),
    formError,
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const line of [passwordError, repeatError, formError]) line.textContent = '';
    password.removeAttribute('aria-invalid');
    repeat.removeAttribute('aria-invalid');
    if (password.value.length < MIN_PASSWORD_LENGTH) {
      passwordError.textContent = t('setPassword.tooShort', { min: MIN_PASSWORD_LENGTH });
      password.setAttribute('aria-invalid', 'true');
      password.focus();
      return;
    }
    if (password.value !== repeat.value) {
      repeatError.textContent = t('setPassword.mismatch');
      repeat.setAttribute('aria-invalid', 'true');
      repeat.focus();
      return;
    }
    submit.disabled = true;
    try {
      const answer = await requestJson('POST', '/api/auth/set-password', { body: { token, password: password.value }, locale: currentLocale() });
      if (answer.ok) {
        root.replaceChildren(h('h2', {}, t('setPassword.heading')), h('p', { class: 'success', role: 'status', id: 'set-password-done' }, t('setPassword.done')),
          h('ul', {}, ...(['analysis', 'interview', 'coordinate', 'admin'] as const).map((page) => h('li', {}, h('a', { href: `/${page}` }, t(`setPassword.signIn.${page}`))))));
        return;
      }
      formError.textContent = serverMessage(answer.body) ?? t('loadFailed');
    } catch {
      formError.textContent = t('common:networkError');
    } finally {
      submit.disabled = false;
    }
  });
  root.replaceChildren(form);
  password.focus();
}

async function start(): Promise<void> {
  const chosen = chooseLocaleForThisPage();
  const locale = UI_LOCALES.includes(chosen) ? chosen : 'de';
  await initI18n(locale, ['admin', 'common']);
  translateDocument();
  const root = byId('view');
  mountPageLanguageSelect(byId<HTMLSelectElement>('ui-language'), locale, UI_LOCALES, () => render(root));
  render(root);
}

void start().catch((error: unknown) => {
  console.error(error);
  const main = document.getElementById('view');
  if (main) main.textContent = t('common:unexpectedError');
});
