import { t } from '../../i18n/index.ts';
import { NoConnectionError, ServerRefusalError } from '../api-client.ts';
import type { View } from '../app-context.ts';
import { downloadCatalogue } from '../catalogue-download.ts';
import { requestPersistentStorage } from '../../shared/offline/storage-persistence.ts';
import { loginForm } from '../../shared/login-form.ts';
import { el, focusHeading } from './dom.ts';

/**
 * Login with email and password. Afterwards the app downloads the instruments while it still has
 * a connection, asks for persistent storage, and starts uploading what waits.
 */
export const loginView: View = async (context, root) => {
  const expired = context.session.current?.expired === true;
  const { form } = loginForm({
    email: context.session.current?.user.email,
    submittingText: t('login.submitting'),
    signIn: async (address, password) => {
      let session;
      try {
        session = await context.api.login(address, password);
      } catch (failure) {
        if (failure instanceof NoConnectionError) return t('login.needsConnection');
        if (failure instanceof ServerRefusalError) return failure.message;
        throw failure;
      }
      // The server lets interviewers and admins (who try the app out) upload interviews.
      if (session.user.role !== 'interviewer' && session.user.role !== 'admin') {
        await context.api.logout().catch(() => {});
        return t('login.wrongRole');
      }
      await context.session.save(session);
      // Asked right after the interviewer acted: some browsers grant persistence only then.
      await requestPersistentStorage();
      try {
        await downloadCatalogue(context.db, context.api);
      } catch {
        context.announce(t('catalogue.failed'));
      }
      context.navigate({ view: 'list' });
      void context.sync.run();
      return null;
    },
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
