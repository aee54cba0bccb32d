import '../styles/base.css';
import './report.css';
import { SUPPORTED_LOCALES, type Locale } from '../../../api/src/shared/locales.ts';
import { changeLocale, initI18n, onLocaleChanged, t, translateDocument } from '../i18n/index.ts';
import { byId, h } from '../shared/dom.ts';
import { requestJson } from '../shared/http.ts';
import { renderLanguageButtons } from '../shared/language-chooser.ts';
import { chooseLocaleForThisPage, rememberLocale } from '../shared/locale-choice.ts';
import { loadTown, townVariables } from '../shared/town.ts';
import { renderEventDetail, renderEventList, type ListedEvent, type PublicReport } from './render.ts';

/**
 * The public event pages: `/events` lists upcoming events (and earlier ones whose results are
 * published); `/events/<slug>` shows one event, its registration form and its published closing
 * report. Nothing here needs an account, and nothing about a person is shown: seats are a word
 * ("few places"), the report has counts and organisations only.
 */
let locale: Locale = chooseLocaleForThisPage();
const slug = decodeURIComponent(location.pathname.match(/^\/events\/([^/]+)\/?$/)?.[1] ?? '');
const townLoad = loadTown();
const dataRequest = slug
  ? requestJson<{ event: ListedEvent; report: PublicReport | null }>('GET', `/api/events/public/${encodeURIComponent(slug)}`).catch(() => null)
  : requestJson<{ events: ListedEvent[] }>('GET', '/api/events/public').catch(() => null);

await townLoad;
await initI18n(locale, ['events', 'event', 'common'], townVariables(locale));
translateDocument();
for (const element of document.querySelectorAll<HTMLElement>('.skip-link, .site-header, main')) element.hidden = false;
renderChooser();
const answer = await dataRequest;
render();
onLocaleChanged(render);

function renderChooser(): void {
  renderLanguageButtons(byId('language-buttons'), locale, SUPPORTED_LOCALES, async (next) => {
    locale = next;
    rememberLocale(next);
    if (await changeLocale(next, townVariables(next))) renderChooser();
  });
}

function render(): void {
  const view = byId('events-view');
  if (!answer || (!answer.ok && answer.status !== 404)) {
    view.replaceChildren(h('h1', {}, t('events:heading')), h('p', { role: 'alert' }, t('events:loadFailed')));
    document.title = t('events:heading');
    return;
  }
  if (!answer.ok) {
    view.replaceChildren(h('h1', {}, t('events:heading')), h('p', { role: 'alert' }, t('events:notFound')), h('p', {}, h('a', { href: '/events' }, t('events:back'))));
    document.title = t('events:heading');
    return;
  }
  if ('events' in answer.body) {
    view.replaceChildren(...renderEventList(answer.body.events, locale, new Date()));
    document.title = t('events:heading');
  } else {
    const { event, report } = answer.body;
    view.replaceChildren(...renderEventDetail(event, report, locale));
    document.title = `${event.title[locale] || event.title.de || ''} – ${t('events:heading')}`;
  }
}
