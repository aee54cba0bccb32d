import { t } from '../i18n/index.ts';
import { h } from './dom.ts';

export interface LoginFormOptions {
  /** Prefilled address (an interviewer whose session expired signs in again as themselves). */
  email?: string;
  /** Shown on the button while signing in; the button is disabled meanwhile either way. */
  submittingText?: string;
  /**
   * Signs in with the trimmed address and the password: resolves to a message to show under the
   * form (wrong password, wrong role, no connection), or null when signed in.
   */
  signIn(email: string, password: string): Promise<string | null>;
}

/**
 * The staff sign-in form of the interviewer app and the analysis dashboard: labelled fields, one
 * error line announced to screen readers and tied to the form, both fields required, no double
 * submission. Texts come from each app's `login.*` strings.
 */
export function loginForm(options: LoginFormOptions): { form: HTMLFormElement; email: HTMLInputElement } {
  const email = h('input', { type: 'email', id: 'login-email', name: 'email', autocomplete: 'username', required: true, value: options.email });
  const password = h('input', { type: 'password', id: 'login-password', name: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'form-error', role: 'alert', id: 'login-error' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('login.submit'));
  const form = h(
    'form',
    { class: 'login-form', novalidate: true, 'aria-describedby': 'login-error' },
    h('div', { class: 'field' }, h('label', { for: 'login-email' }, t('login.email')), email),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, t('login.password')), password),
    error,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    if (!email.value.trim() || !password.value) {
      error.textContent = t('login.required');
      return;
    }
    submit.disabled = true;
    if (options.submittingText) submit.textContent = options.submittingText;
    try {
      const problem = await options.signIn(email.value.trim(), password.value);
      if (problem === null) password.value = '';
      else error.textContent = problem;
    } finally {
      submit.disabled = false;
      submit.textContent = t('login.submit');
    }
  });
  return { form, email };
}
