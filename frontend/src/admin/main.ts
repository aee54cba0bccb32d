import '../styles/base.css';
import '../analysis/analysis.css';
import './admin.css';
import type { Locale } from '../../../api/src/shared/locales.ts';
import { currentLocale, initI18n, t, translateDocument } from '../i18n/index.ts';
import { byId, h } from '../shared/dom.ts';
import { mountPageLanguageSelect } from '../shared/language-chooser.ts';
import { chooseLocaleForThisPage } from '../shared/locale-choice.ts';
import { loginForm } from '../shared/login-form.ts';
import { formatDate } from '../shared/town.ts';
import { renderAccountsSection } from './accounts-section.ts';
import { renderAuditSection } from './audit-section.ts';
import { AdminRequestError, type Me, type PublicTown } from './api.ts';
import { renderDistrictsSection } from './districts-section.ts';
import { renderMeasuresSection } from './measures-section.ts';
import { ResultsAdminApi } from './results-api.ts';
import { renderResultsSection } from './results-section.ts';
import { renderSurveysSection } from './surveys-section.ts';
import { renderTargetGroupsSection } from './target-groups-section.ts';
import { renderTownSection } from './town-section.ts';
import { renderTranslationsSection } from './translations-section.ts';

/** Staff pages are German and English; the admin's work is office work like the contact list's. */
const UI_LOCALES: readonly Locale[] = ['de', 'en'];
const SECTIONS = ['town', 'districts', 'accounts', 'surveys', 'translations', 'targetGroups', 'results', 'measures', 'audit'] as const;
/** Sections whose strings live in their own namespace (`admin-results`). */
const RESULTS_SECTIONS: readonly string[] = ['results', 'measures'];
type Section = (typeof SECTIONS)[number];

const api = new ResultsAdminApi(() => currentLocale());

function renderLogin(root: HTMLElement, onSignedIn: () => void): void {
  const { form, email } = loginForm({
    signIn: async (address, password) => {
      let me: Me;
      try {
        me = await api.login(address, password);
      } catch (failure) {
        return failure instanceof AdminRequestError ? failure.message : t('admin:loadFailed');
      }
      if (me.user.role !== 'admin') {
        await api.logout().catch(() => {});
        return t('login.wrongRole');
      }
      onSignedIn();
      return null;
    },
  });
  root.replaceChildren(h('section', { class: 'login', 'aria-labelledby': 'login-heading' }, h('h2', { id: 'login-heading' }, t('login.heading')), h('p', {}, t('login.intro')), form));
  email.focus();
}

/** The section in the address (`/admin#districts`), so a reload or a bookmark lands where the admin was. */
function sectionFromHash(): Section {
  const name = location.hash.slice(1);
  return (SECTIONS as readonly string[]).includes(name) ? (name as Section) : 'town';
}

async function renderAdmin(root: HTMLElement, me: Me, onSignedOut: () => void): Promise<void> {
  const logout = h('button', { type: 'button', class: 'button button--secondary' }, t('logout'));
  logout.addEventListener('click', () => void api.logout().finally(onSignedOut));
  byId('account').replaceChildren(h('span', {}, t('signedInAs', { email: me.user.email })), ' ', logout);

  let town: PublicTown = await api.town();
  const banner = h('div', { id: 'admin-banners' });
  const nav = h('nav', { 'aria-label': t('nav.label'), class: 'admin-nav' });
  const content = h('div', { id: 'admin-section' });

  const renderBanners = async () => {
    const items: HTMLElement[] = [];
    if (!town.configured) items.push(h('p', { class: 'notice', 'data-kind': 'error', id: 'not-set-up' }, t('notSetUp.banner')));
    try {
      const { warnings } = await api.retention();
      // Only 30 days ahead and nearer: a date two years off is in the town form, not a warning.
      for (const warning of warnings.filter((candidate) => candidate.level !== null)) {
        items.push(h('p', { class: 'notice', 'data-kind': warning.level === 'week' ? 'error' : undefined }, t(`retention.${warning.kind}`, { date: formatDate(warning.date, currentLocale()), count: warning.daysLeft, survey: warning.survey ?? '' })));
      }
    } catch {
      // A warning that cannot be loaded is not worth blocking the page for; the form still works.
    }
    banner.replaceChildren(...items);
  };

  const show = (section: Section) => {
    nav.replaceChildren(h('ul', {}, ...SECTIONS.map((name) => h('li', {}, h('a', { href: `#${name}`, 'aria-current': name === section ? 'page' : undefined }, RESULTS_SECTIONS.includes(name) ? t(`admin-results:nav.${name}`) : t(`nav.${name}`))))));
    if (section === 'town') {
      renderTownSection(content, api, town, (saved) => {
        town = saved;
        void renderBanners();
      });
    } else if (section === 'districts') renderDistrictsSection(content, api);
    else if (section === 'accounts') renderAccountsSection(content, api, me.user.id);
    else if (section === 'translations') renderTranslationsSection(content, api);
    else if (section === 'audit') renderAuditSection(content, api);
    else if (section === 'targetGroups') renderTargetGroupsSection(content, api);
    else if (section === 'results') renderResultsSection(content, api);
    else if (section === 'measures') renderMeasuresSection(content, api);
    else renderSurveysSection(content, api, town);
  };
  window.onhashchange = () => show(sectionFromHash());
  root.replaceChildren(banner, nav, content);
  void renderBanners();
  show(sectionFromHash());
}

async function start(): Promise<void> {
  const chosen = chooseLocaleForThisPage();
  const locale = UI_LOCALES.includes(chosen) ? chosen : 'de';
  await initI18n(locale, ['admin', 'common', 'admin-results']);
  translateDocument();
  const root = byId('view');
  const show = async () => {
    const me = await api.me();
    if (!me || me.user.role !== 'admin') {
      byId('account').replaceChildren();
      window.onhashchange = null;
      renderLogin(root, () => void show());
      return;
    }
    await renderAdmin(root, me, () => void show());
  };
  mountPageLanguageSelect(byId<HTMLSelectElement>('ui-language'), locale, UI_LOCALES, () => void show());
  await show();
}

void start().catch((error: unknown) => {
  console.error(error);
  const main = document.getElementById('view');
  if (main) main.textContent = t('common:unexpectedError');
});
