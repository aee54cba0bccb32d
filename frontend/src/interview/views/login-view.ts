import { t } from '../../i18n/index.ts';
import { NoConnectionError, ServerRefusalError } from '../api-client.ts';
import type { View } from '../app-context.ts';
import { downloadCatalogue } from '../catalogue-download.ts';
import { requestPersistentStorage } from '../storage-persistence.ts';
import { el, focusHeading } from './dom.ts';

/**
 * Login with email and password. Afterwards the app downloads the instruments while it still has
 * a connection, asks for persistent storage, and starts uploading what waits.
 */
export const loginView: View = async (context, root) => {
  const expired = context.session.current?.expired === true;
  const email = el('input', {
    type: 'email',
    id: 'login-email',
    name: 'email',
    autocomplete: 'username',
    required: true,
    value: context.session.current?.user.email ?? '',
  });
  const password = el('input', { type: 'password', id: 'login-password', name: 'password', autocomplete: 'current-password', required: true });
  const error = el('p', { class: 'form-error', role: 'alert', id: 'login-error' });
  const submit = el('button', { type: 'submit', class: 'primary' }, t('login.submit'));
  const form = el(
    'form',
    { class: 'login-form', novalidate: true, 'aria-describedby': 'login-error' },
    el('div', { class: 'field' }, el('label', { for: 'login-email' }, t('login.email')), email),
    el('div', { class: 'field' }, el('label', { for: 'login-password' }, t('login.password')), password),
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
    submit.textContent = t('login.submitting');
    try {
      const session = await context.api.login(email.value.trim(), password.value);
      // The server lets interviewers and admins (who try the app out) upload interviews.
      if (session.user.role !== 'interviewer' && session.user.role !== 'admin') {
        error.textContent = t('login.wrongRole');
        await context.api.logout().catch(() => {});
        return;
      }
      await context.session.save(session);
      password.value = '';
      // Asked right after the interviewer acted: some browsers grant persistence only then.
      await requestPersistentStorage();
      try {
        await downloadCatalogue(context.db, context.api);
      } catch {
        context.announce(t('catalogue.failed'));
      }
      context.navigate({ view: 'list' });
      void context.sync.run();
    } catch (failure) {
      if (failure instanceof NoConnectionError) error.textContent = t('login.needsConnection');
      else if (failure instanceof ServerRefusalError) error.textContent = failure.message;
      else throw failure;
    } finally {
      submit.disabled = false;
      submit.textContent = t('login.submit');
    }
  });

  root.replaceChildren(
    el(
      'section',
      { class: 'login', 'aria-labelledby': 'login-heading' },
      el('h2', { id: 'login-heading' }, t('login.heading')),
      el('p', {}, expired ? t('login.expired') : t('login.intro')),
      form,
    ),
  );
  focusHeading(root);
};
