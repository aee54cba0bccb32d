import '../styles/base.css';
import '../analysis/analysis.css';
import { FIELDS_OF_ACTION, PARTICIPATION_FORMATS } from '../../../api/src/shared/contact-options.ts';
import type { Locale } from '../../../api/src/shared/locales.ts';
import { AnalysisApi, AnalysisRequestError, type Me } from '../analysis/api.ts';
import { currentLocale, initI18n, t, translateDocument } from '../i18n/index.ts';
import { byId, h } from '../shared/dom.ts';
import { mountPageLanguageSelect } from '../shared/language-chooser.ts';
import { chooseLocaleForThisPage } from '../shared/locale-choice.ts';
import { loginForm } from '../shared/login-form.ts';
import { renderEvents } from './events.ts';

/** Staff pages are German and English (the contact list is office work). */
const UI_LOCALES: readonly Locale[] = ['de', 'en'];
const CONTENT_LOCALES = ['de', 'de-x-easy', 'en', 'tr', 'ar', 'ru', 'uk', 'pl', 'fa'] as const;

interface ListedContact {
  name: string | null;
  email: string | null;
  phone: string | null;
  topics: string[];
  formats: string[];
  district: string | null;
  locale: string;
  confirmed: boolean;
}

// The sign-in, session and CSRF handling of the analysis dashboard: the same staff session.
const api = new AnalysisApi(() => currentLocale());

async function fetchContacts(query: string): Promise<ListedContact[]> {
  const response = await fetch(`/api/contacts${query ? `?${query}` : ''}`, {
    headers: { accept: 'application/json', 'accept-language': currentLocale() },
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const body = (await response.json()) as { contacts?: ListedContact[]; error?: { message?: string } };
  if (!response.ok) throw new AnalysisRequestError(response.status, body.error?.message ?? t('loadFailed'));
  return body.contacts ?? [];
}

function renderLogin(root: HTMLElement, onSignedIn: () => void): void {
  const { form, email } = loginForm({
    signIn: async (address, password) => {
      let me: Me;
      try {
        me = await api.login(address, password);
      } catch (failure) {
        return failure instanceof AnalysisRequestError ? failure.message : t('loadFailed');
      }
      if (me.user.role !== 'coordinator' && me.user.role !== 'admin') {
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

const checkboxGroup = (name: string, legend: string, values: readonly string[]) => {
  const boxes = values.map((value) => h('input', { type: 'checkbox', id: `${name}-${value}`, name, value }));
  const fieldset = h('fieldset', { class: 'breakdown' }, h('legend', {}, legend), ...boxes.flatMap((box, i) => [h('span', { class: 'choice' }, box, h('label', { for: box.id }, values[i]!))]));
  return { fieldset, checked: () => boxes.filter((box) => box.checked).map((box) => box.value) };
};

function renderAccount(me: Me, onSignedOut: () => void): void {
  const logout = h('button', { type: 'button', class: 'secondary' }, t('logout'));
  logout.addEventListener('click', () => void api.logout().finally(onSignedOut));
  byId('account').replaceChildren(h('span', {}, t('signedInAs', { email: me.user.email })), ' ', logout);
}

/** Two parts of the coordinator's work: the contact list and the events. */
function renderSignedIn(root: HTMLElement, me: Me, onSignedOut: () => void): void {
  renderAccount(me, onSignedOut);
  const content = h('div', { id: 'coordinate-content' });
  const tabs = (['contacts', 'events'] as const).map((part) => h('button', { type: 'button', class: 'secondary', id: `show-${part}`, 'aria-pressed': 'false' }, t(`sections.${part}`)));
  const show = (part: 'contacts' | 'events') => {
    tabs.forEach((tab) => tab.setAttribute('aria-pressed', String(tab.id === `show-${part}`)));
    if (part === 'contacts') renderList(content);
    else renderEvents(content, me.csrfToken);
  };
  tabs[0]!.addEventListener('click', () => show('contacts'));
  tabs[1]!.addEventListener('click', () => show('events'));
  root.replaceChildren(h('nav', { 'aria-label': t('sections.label'), class: 'section-tabs' }, ...tabs), content);
  show('contacts');
}

function renderList(root: HTMLElement): void {

  const search = h('input', { type: 'search', id: 'filter-q', name: 'q' });
  const district = h('input', { type: 'text', id: 'filter-district', name: 'district' });
  const language = h('select', { id: 'filter-locale', name: 'locale' }, h('option', { value: '' }, t('any')), ...CONTENT_LOCALES.map((code) => h('option', { value: code }, code)));
  const confirmed = h('select', { id: 'filter-confirmed', name: 'confirmed' }, h('option', { value: '' }, t('any')), h('option', { value: 'true' }, t('yes')), h('option', { value: 'false' }, t('no')));
  const topics = checkboxGroup('topics', t('topics'), FIELDS_OF_ACTION);
  const formats = checkboxGroup('formats', t('formats'), PARTICIPATION_FORMATS);
  const status = h('p', { role: 'status', id: 'contact-count' });
  const table = h('div', { class: 'contact-table' });
  const csvLink = h('a', { href: '/api/contacts/export.csv', download: '', id: 'export-csv' }, t('exportCsv'));
  const xlsxLink = h('a', { href: '/api/contacts/export.xlsx', download: '', id: 'export-xlsx' }, t('exportXlsx'));

  const query = () => {
    const params = new URLSearchParams();
    if (search.value.trim()) params.set('q', search.value.trim());
    if (district.value.trim()) params.set('district', district.value.trim());
    if (language.value) params.set('locale', language.value);
    if (confirmed.value) params.set('confirmed', confirmed.value);
    if (topics.checked().length) params.set('topics', topics.checked().join(','));
    if (formats.checked().length) params.set('formats', formats.checked().join(','));
    return params.toString();
  };
  const load = async () => {
    const q = query();
    csvLink.href = `/api/contacts/export.csv${q ? `?${q}` : ''}`;
    xlsxLink.href = `/api/contacts/export.xlsx${q ? `?${q}` : ''}`;
    try {
      const contacts = await fetchContacts(q);
      status.textContent = t('count', { count: contacts.length });
      const head = ['name', 'email', 'phone', 'language', 'district', 'topics', 'confirmed'].map((key) => h('th', { scope: 'col' }, t(key)));
      const rows = contacts.map((contact) =>
        h('tr', {}, ...[contact.name, contact.email, contact.phone, contact.locale, contact.district, contact.topics.join(', '), contact.confirmed ? t('yes') : t('no')].map((value) => h('td', {}, value ?? ''))),
      );
      table.replaceChildren(h('table', { class: 'data-table' }, h('caption', {}, t('appTitle')), h('thead', {}, h('tr', {}, ...head)), h('tbody', {}, ...rows)));
    } catch (error) {
      table.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, error instanceof Error ? error.message : t('loadFailed')));
    }
  };
  const form = h(
    'form',
    { id: 'contact-filters', 'aria-labelledby': 'filters-heading' },
    h('h2', { id: 'filters-heading' }, t('filters')),
    h('div', { class: 'field' }, h('label', { for: 'filter-q' }, t('search')), search),
    h('div', { class: 'field inline' }, h('label', { for: 'filter-district' }, t('district')), district),
    h('div', { class: 'field inline' }, h('label', { for: 'filter-locale' }, t('language')), language),
    h('div', { class: 'field inline' }, h('label', { for: 'filter-confirmed' }, t('confirmed')), confirmed),
    topics.fieldset,
    formats.fieldset,
    h('button', { type: 'submit', class: 'primary' }, t('apply')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load();
  });
  root.replaceChildren(form, h('section', { 'aria-label': t('appTitle') }, status, h('ul', {}, h('li', {}, csvLink), h('li', {}, xlsxLink)), table));
  void load();
}

async function start(): Promise<void> {
  const chosen = chooseLocaleForThisPage();
  const locale = UI_LOCALES.includes(chosen) ? chosen : 'de';
  await initI18n(locale, ['coordinate', 'common']);
  translateDocument();
  const root = byId('view');
  const show = async () => {
    const me = await api.me();
    if (!me || (me.user.role !== 'coordinator' && me.user.role !== 'admin')) {
      byId('account').replaceChildren();
      renderLogin(root, () => void show());
      return;
    }
    renderSignedIn(root, me, () => void show());
  };
  mountPageLanguageSelect(byId<HTMLSelectElement>('ui-language'), locale, UI_LOCALES, () => void show());
  await show();
}

void start().catch((error: unknown) => {
  console.error(error);
  const main = document.getElementById('view');
  if (main) main.textContent = t('common:unexpectedError');
});
