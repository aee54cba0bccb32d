import 'survey-core/survey-core.fontless.css';
import '../styles/base.css';
import './interview.css';
import { SUPPORTED_LOCALES, type Locale } from '../../../api/src/shared/locales.ts';
import { changeLocale, currentLocale, initI18n, t, translateDocument } from '../i18n/index.ts';
import { renderLanguageSelect } from '../shared/language-chooser.ts';
import { chooseLocaleForThisPage, rememberLocale } from '../shared/locale-choice.ts';
import { ApiClient, NoConnectionError, SessionExpiredError } from './api-client.ts';
import { hashOf, routeFromHash, type AppContext, type Route, type View } from './app-context.ts';
import { downloadCatalogue } from './catalogue-download.ts';
import { registerServiceWorker } from '../shared/offline/service-worker-registration.ts';
import { requestPersistentStorage } from '../shared/offline/storage-persistence.ts';
import { openInterviewDatabase } from './store/database.ts';
import { hasCatalogue } from './store/instruments.ts';
import { SessionKeeper } from './store/session.ts';
import { SyncEngine } from './sync/sync-engine.ts';
import { scheduleKeptContacts } from './handover/kept-contacts.ts';
import { scheduleSync } from '../shared/offline/sync-scheduler.ts';
import { conversationView } from './views/conversation-view.ts';
import { listView } from './views/list-view.ts';
import { loginView } from './views/login-view.ts';
import { startView } from './views/start-view.ts';
import { StatusPanel } from './views/status-panel.ts';

const VIEWS: Record<Route['view'], View> = {
  list: listView,
  login: loginView,
  new: startView,
  conversation: conversationView,
};

async function start(): Promise<void> {
  const locale = chooseLocaleForThisPage();
  // `respond` for the contact form the interviewer hands over (handover/contact-handover.ts).
  await initI18n(locale, ['interview', 'common', 'respond']);
  translateDocument();

  const db = await openInterviewDatabase({ onReplaced: () => location.reload() });
  const session = new SessionKeeper(db);
  await session.load();
  const api = new ApiClient(
    () => currentLocale(),
    () => session.current?.csrfToken ?? null,
  );
  const sync = new SyncEngine({
    db,
    api,
    session,
    isOnline: () => navigator.onLine,
    unexplainedRejection: () => t('sync.unexplainedRejection'),
  });

  const main = document.getElementById('view')!;
  let cleanUp: (() => void) | void = undefined;
  let rendering = Promise.resolve();
  const context: AppContext = {
    db,
    api,
    session,
    sync,
    uiLocale: () => currentLocale(),
    navigate: (route) => {
      if (location.hash === hashOf(route)) void show();
      else location.hash = hashOf(route);
    },
    announce: (message) => status.say(message),
  };
  const status = new StatusPanel(context, document.getElementById('status')!, async () => {
    const waiting = await sync.waitingCount();
    if (waiting > 0 && !window.confirm(t('login.logoutWithQueue', { count: waiting }))) return;
    await api.logout().catch(() => {}); // offline: the server session simply expires
    await session.clear();
    context.navigate({ view: 'login' });
  });

  const show = () => {
    // One view at a time, in order: a quick second navigation waits for the first to finish.
    rendering = rendering.then(async () => {
      cleanUp?.();
      cleanUp = undefined;
      let route = routeFromHash(location.hash);
      if (!session.current && route.view !== 'login') route = { view: 'login' };
      cleanUp = await VIEWS[route.view](context, main, route);
      await status.refresh();
    });
    return rendering;
  };
  window.addEventListener('hashchange', () => void show());

  const languageSelect = document.getElementById('ui-language') as HTMLSelectElement;
  const chooseLanguage = (next: Locale) => {
    rememberLocale(next);
    void changeLocale(next).then((applied) => (applied ? show() : undefined));
    renderLanguageSelect(languageSelect, next, SUPPORTED_LOCALES, chooseLanguage);
  };
  renderLanguageSelect(languageSelect, locale, SUPPORTED_LOCALES, chooseLanguage);

  void registerServiceWorker({ url: '/interview-sw.js', scope: '/interview' }, (activate) => status.showUpdate(activate));
  await show();
  if (session.current) void requestPersistentStorage().then(() => status.refresh());
  await refreshSessionAndCatalogue(context);
  scheduleSync(sync);
  scheduleKeptContacts(db);
}

/**
 * With a connection at start: confirm the session (a fresh CSRF token, or "log in again") and fetch
 * the instruments if the tablet has none yet. Offline, the app works from what it has.
 */
async function refreshSessionAndCatalogue(context: AppContext): Promise<void> {
  if (!context.session.current || !navigator.onLine) return;
  try {
    await context.session.save(await context.api.me());
    if (!(await hasCatalogue(context.db))) await downloadCatalogue(context.db, context.api);
  } catch (error) {
    if (error instanceof SessionExpiredError) await context.session.markExpired();
    else if (!(error instanceof NoConnectionError)) console.warn('session check failed', error);
  }
}

void start().catch((error: unknown) => {
  console.error(error);
  const main = document.getElementById('view');
  if (main) main.textContent = t('common:unexpectedError');
});
