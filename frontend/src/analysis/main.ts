import '../styles/base.css';
import './analysis.css';
import { SUPPORTED_LOCALES } from '../../../api/src/shared/locales.ts';
import { currentLocale, initI18n, t, translateDocument } from '../i18n/index.ts';
import { byId, h } from '../shared/dom.ts';
import { mountPageLanguageSelect } from '../shared/language-chooser.ts';
import { loginForm } from '../shared/login-form.ts';
import { chooseLocaleForThisPage } from '../shared/locale-choice.ts';
import { AnalysisApi, AnalysisRequestError, chartUrl, type Me, type SurveyListEntry } from './api.ts';
import { renderBarChart } from './bar-chart.ts';
import { mountBreakdownGrid } from './breakdown-grid.ts';
import { renderRepresentativeness, renderWeightedTable } from './weighted-view.ts';
import { renderReturns } from './returns-view.ts';
import { adminDownloads } from './admin-downloads.ts';
import { freeTextReader } from './free-text-reader.ts';
import { dashboardNav, dashboardPart } from './network-nav.ts';
import { renderOffersView } from './offers-view.ts';

const DIMENSIONS = ['district', 'target_group', 'mode', 'locale'] as const;

const api = new AnalysisApi(() => currentLocale());

/** The text of a survey title in the UI language (German under `default`, as in survey files). */
function titleOf(title: unknown, slug: string): string {
  if (typeof title === 'string') return title;
  if (title && typeof title === 'object') {
    const texts = title as Record<string, string>;
    const locale = currentLocale();
    return texts[locale === 'de' ? 'default' : locale] ?? texts.default ?? slug;
  }
  return slug;
}

function showError(root: HTMLElement, error: unknown): void {
  const message = error instanceof AnalysisRequestError ? error.message : t('loadFailed');
  root.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, message));
}

function renderLogin(root: HTMLElement, onSignedIn: (me: Me) => void): void {
  const { form, email } = loginForm({
    signIn: async (address, password) => {
      let me: Me;
      try {
        me = await api.login(address, password);
      } catch (failure) {
        return failure instanceof AnalysisRequestError ? failure.message : t('loadFailed');
      }
      if (me.user.role !== 'analyst' && me.user.role !== 'admin') {
        await api.logout().catch(() => {});
        return t('login.wrongRole');
      }
      onSignedIn(me);
      return null;
    },
  });
  root.replaceChildren(h('section', { class: 'login', 'aria-labelledby': 'login-heading' }, h('h2', { id: 'login-heading' }, t('login.heading')), h('p', {}, t('login.intro')), form));
  email.focus();
}

function downloadLink(href: string, label: string): HTMLElement {
  return h('li', {}, h('a', { href, download: '' }, label));
}

/** The dashboard for one survey: returns, question explorer, downloads. */
async function renderSurvey(root: HTMLElement, slug: string, role: string): Promise<void> {
  const locale = currentLocale();
  const returnsBox = h('div', { 'aria-live': 'polite' }, t('common:loading'));
  const target = h('input', { type: 'number', id: 'returns-target', min: '1', step: '1', inputmode: 'numeric' });
  target.value = localStorage.getItem(`vielstimmig.analysis.target.${slug}`) ?? '';
  const loadReturns = async () => {
    const planned = Number(target.value) > 0 ? Math.round(Number(target.value)) : null;
    try {
      localStorage.setItem(`vielstimmig.analysis.target.${slug}`, planned ? String(planned) : '');
    } catch {
      // storage blocked: the target is just not remembered
    }
    try {
      returnsBox.replaceChildren(renderReturns(await api.returns(slug, planned), locale));
    } catch (error) {
      showError(returnsBox, error);
    }
  };
  target.addEventListener('change', () => void loadReturns());

  const breakdown = DIMENSIONS.map((dim) => {
    const box = h('input', { type: 'checkbox', id: `by-${dim}`, value: dim, checked: dim === 'district' });
    return { dim, box, label: h('label', { for: `by-${dim}` }, t(`dimensions.${dim}`)) };
  });
  const selectedBy = () => breakdown.filter((entry) => entry.box.checked).map((entry) => entry.dim);
  const questionSelect = h('select', { id: 'explorer-question' });
  const weightedBox = h('input', { type: 'checkbox', id: 'explorer-weighted' });
  const representativenessBox = h('div', { 'aria-live': 'polite' }, t('common:loading'));
  const chartBox = h('div', { class: 'chart-box', 'aria-live': 'polite' });
  const chartLinks = h('ul', { class: 'download-list' });
  const showChart = async () => {
    const item = questionSelect.value;
    if (!item) return;
    const by = selectedBy();
    chartBox.replaceChildren(t('common:loading'));
    try {
      if (weightedBox.checked) {
        const texts = { option: t('explorer.option'), withheld: t('explorer.withheld'), interval: t('explorer.interval'), base: t('explorer.base') };
        chartBox.replaceChildren(renderWeightedTable(await api.weighted(slug, item, by), texts, locale));
        chartLinks.replaceChildren();
        return;
      }
      chartBox.replaceChildren(renderBarChart(await api.chart(slug, item, by), locale));
      chartLinks.replaceChildren(
        downloadLink(chartUrl(slug, item, by, 'svg', locale), t('downloads.chartSvg')),
        downloadLink(chartUrl(slug, item, by, 'png', locale), t('downloads.chartPng')),
      );
    } catch (error) {
      showError(chartBox, error);
    }
  };
  // The breakdown grid (two dimensions crossed) follows the question and the weighted switch.
  const grid = mountBreakdownGrid(api, slug, locale);
  const showGrid = () => (questionSelect.value ? grid.update(questionSelect.value, weightedBox.checked) : Promise.resolve());
  questionSelect.addEventListener('change', () => void showChart());
  weightedBox.addEventListener('change', () => void showChart());
  questionSelect.addEventListener('change', () => void showGrid());
  weightedBox.addEventListener('change', () => void showGrid());
  for (const entry of breakdown) entry.box.addEventListener('change', () => void showChart());

  const dialect = h(
    'select',
    { id: 'download-dialect' },
    h('option', { value: 'excel-de' }, t('downloads.dialectExcel')),
    h('option', { value: 'rfc4180' }, t('downloads.dialectRfc')),
    h('option', { value: 'stats' }, t('downloads.dialectStats')),
  );
  // Free text only on an explicit choice, which the export writes to the audit log (`text: include`).
  const includeText = h('input', { type: 'checkbox', id: 'download-text' });
  const admin = role === 'admin' ? adminDownloads(slug, locale, () => dialect.value) : null;
  const labels = h(
    'select',
    { id: 'download-labels' },
    h('option', { value: 'codes' }, t('downloads.labelsCodes')),
    h('option', { value: 'de' }, t('downloads.labelsDe')),
    h('option', { value: 'en' }, t('downloads.labelsEn')),
  );
  const csvLinks = h('ul', { class: 'download-list' });
  const updateLinks = () => {
    const base = `/api/analysis/${encodeURIComponent(slug)}`;
    const by = selectedBy().join(',');
    const common = `dialect=${dialect.value}&lang=${encodeURIComponent(locale)}`;
    const weights = weightedBox.checked ? '&weights=raked' : '';
    const text = includeText.checked ? '&text=include' : '';
    csvLinks.replaceChildren(
      downloadLink(`${base}/aggregate.csv?by=${by}${weights}&${common}`, t('downloads.aggregate')),
      downloadLink(`${base}/crosstab.csv?by=${by}${weights}&${common}`, t('downloads.crosstab')),
      downloadLink(`${base}/responses.csv?labels=${labels.value}${text}&${common}`, t('downloads.responses')),
      downloadLink(`${base}/responses.xlsx?labels=${labels.value}${text}&lang=${encodeURIComponent(locale)}`, t('downloads.responsesXlsx')),
      downloadLink(`${base}/codebook.csv?${common}${text}`, t('downloads.codebook')),
    );
    admin?.update();
  };
  for (const control of [dialect, labels, includeText, weightedBox, ...breakdown.map((entry) => entry.box)]) control.addEventListener('change', updateLinks);
  updateLinks();

  root.replaceChildren(
    h(
      'section',
      { 'aria-labelledby': 'returns-heading' },
      h('h2', { id: 'returns-heading' }, t('returns.heading')),
      h('div', { class: 'field inline' }, h('label', { for: 'returns-target' }, t('returns.targetLabel')), target),
      h('p', { class: 'hint' }, t('returns.targetHint')),
      returnsBox,
    ),
    h(
      'section',
      { 'aria-labelledby': 'explorer-heading' },
      h('h2', { id: 'explorer-heading' }, t('explorer.heading')),
      h('div', { class: 'field' }, h('label', { for: 'explorer-question' }, t('explorer.question')), questionSelect),
      h('div', { class: 'field inline' }, h('span', { class: 'choice' }, weightedBox, h('label', { for: 'explorer-weighted' }, t('explorer.weighted')))),
      h('p', { class: 'hint' }, t('explorer.weightedHint')),
      grid.element,
      h('h3', { class: 'explorer-bars-heading' }, t('explorer.bars')),
      h('fieldset', { class: 'breakdown' }, h('legend', {}, t('explorer.breakdown')), ...breakdown.flatMap((entry) => [h('span', { class: 'choice' }, entry.box, entry.label)])),
      chartBox,
      chartLinks,
    ),
    h(
      'section',
      { 'aria-labelledby': 'representativeness-heading' },
      h('h2', { id: 'representativeness-heading' }, t('representativeness.heading')),
      h('p', { class: 'hint' }, t('representativeness.intro')),
      representativenessBox,
    ),
    h(
      'section',
      { 'aria-labelledby': 'downloads-heading' },
      h('h2', { id: 'downloads-heading' }, t('downloads.heading')),
      h('div', { class: 'field inline' }, h('label', { for: 'download-dialect' }, t('downloads.dialect')), dialect),
      h('div', { class: 'field inline' }, h('label', { for: 'download-labels' }, t('downloads.labels')), labels),
      h('div', { class: 'field inline' }, h('span', { class: 'choice' }, includeText, h('label', { for: 'download-text' }, t('downloads.includeText')))),
      csvLinks,
      admin?.element,
      h('p', { class: 'hint' }, t('downloads.auditNote')),
    ),
    freeTextReader(slug, locale),
  );

  await loadReturns();
  try {
    const texts = {
      town: t('representativeness.town'),
      category: t('representativeness.category'),
      sample: t('representativeness.sample'),
      population: t('representativeness.population'),
      dimension: (code: string) => t(`representativeness.dimension.${code}`, { defaultValue: code }),
      none: t('representativeness.none'),
    };
    representativenessBox.replaceChildren(renderRepresentativeness(await api.representativeness(slug), texts, locale));
  } catch (error) {
    showError(representativenessBox, error);
  }
  try {
    const questions = await api.questions(slug);
    questionSelect.replaceChildren(...questions.items.map((item) => h('option', { value: item.key }, item.label)));
    await Promise.all([showGrid(), showChart()]);
  } catch (error) {
    showError(chartBox, error);
  }
}

async function renderDashboard(root: HTMLElement, me: Me, onLogout: () => void): Promise<void> {
  const account = byId('account');
  const logout = h('button', { type: 'button' }, t('logout'));
  logout.addEventListener('click', () => void api.logout().finally(onLogout));
  account.replaceChildren(h('span', {}, t('signedInAs', { email: me.user.email })), ' ', logout);

  // The network of actors (`#network`) is a part of its own, reached through the nav.
  if (dashboardPart() === 'network') {
    const part = h('div', {});
    root.replaceChildren(dashboardNav('network'), part);
    const { renderNetworkView } = await import('./network-map.ts');
    await renderNetworkView(part, api, currentLocale());
    return;
  }
  // The registry of actors (`#actors`): staff add, edit, retire and merge actors.
  if (dashboardPart() === 'actors') {
    const part = h('div', {});
    root.replaceChildren(dashboardNav('actors'), part);
    const { renderActorsView } = await import('./actors-view.ts');
    await renderActorsView(part, api, currentLocale());
    return;
  }

  const { surveys } = await api.surveys();
  if (surveys.length === 0) {
    root.replaceChildren(dashboardNav('surveys'), h('p', {}, t('noSurveys')));
    return;
  }
  const label = (survey: SurveyListEntry) => {
    const title = titleOf(survey.title, survey.slug);
    return survey.status === 'closed' ? t('surveyClosed', { title }) : title;
  };
  const select = h('select', { id: 'survey' }, ...surveys.map((survey) => h('option', { value: survey.slug }, label(survey))));
  const content = h('div', { class: 'survey-content' });
  // The resident baseline is what the dashboard is mostly for; the list comes sorted by slug, which
  // put the interview guide first. An open resident survey first, then any resident survey.
  const preferred =
    surveys.find((survey) => survey.kind === 'resident' && survey.status === 'open') ?? surveys.find((survey) => survey.kind === 'resident');
  if (preferred) select.value = preferred.slug;
  select.addEventListener('change', () => void renderSurvey(content, select.value, me.user.role));
  root.replaceChildren(dashboardNav('surveys'), h('div', { class: 'field inline' }, h('label', { for: 'survey' }, t('survey')), select), content);
  // The inventory of offers belongs to no one survey: below the survey's views, for every survey chosen.
  root.append(renderOffersView(currentLocale()));
  await renderSurvey(content, select.value, me.user.role);
}

async function start(): Promise<void> {
  const locale = chooseLocaleForThisPage();
  await initI18n(locale, ['analysis', 'common', 'freetext']);
  translateDocument();
  const root = byId('view');

  const show = async () => {
    const me = await api.me();
    if (!me || (me.user.role !== 'analyst' && me.user.role !== 'admin')) {
      byId('account').replaceChildren();
      renderLogin(root, () => void show());
      return;
    }
    await renderDashboard(root, me, () => void show());
  };

  mountPageLanguageSelect(byId<HTMLSelectElement>('ui-language'), locale, SUPPORTED_LOCALES, () => void show());
  // Only a move between the dashboard's parts redraws (the skip link changes the hash too).
  let part = dashboardPart();
  window.addEventListener('hashchange', () => {
    if (dashboardPart() === part) return;
    part = dashboardPart();
    void show();
  });
  await show();
}

void start().catch((error: unknown) => {
  console.error(error);
  const main = document.getElementById('view');
  if (main) main.textContent = t('common:unexpectedError');
});
