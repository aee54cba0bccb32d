import { LOCALE_NATIVE_NAMES, RTL_LOCALES, type Locale } from '../../../api/src/shared/locales.ts';
import { currentLocale, t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { AdminRequestError, type AdminApi, type AdminSurvey, type TranslationImportProblem, type TranslationStatusReport } from './api.ts';
import { languageLabel, statusLine, chosenFile } from './form-fields.ts';

const titleOf = (survey: AdminSurvey) => {
  const title = survey.title;
  if (typeof title === 'string') return title;
  const byLocale = (title ?? {}) as Record<string, string | undefined>;
  return byLocale[currentLocale() === 'de' ? 'default' : currentLocale()] ?? byLocale.default ?? survey.slug;
};
const csvPath = (slug: string, locale: string) => `/api/admin/surveys/${encodeURIComponent(slug)}/translations.csv?locale=${encodeURIComponent(locale)}&dialect=excel-de`;
const formatDay = (iso: string) => new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium' }).format(new Date(iso));

/** "reviewed by erika@… on 3 Dec 2026": who set the status in force, and when. */
function markedLine(entry: TranslationStatusReport['locales'][number]): HTMLElement | null {
  if (!entry.marked) return null;
  const date = formatDay(entry.marked.at);
  const who = entry.marked.by ? entry.marked.by.displayName || entry.marked.by.email : null;
  const text = who ? t(`admin:translations.marked.${entry.status}By`, { who, date }) : t('admin:translations.marked.fromFile', { date });
  return h('span', { class: 'translation-marked' }, text);
}
const xlsxPath = (slug: string, locale?: string) => `/api/admin/surveys/${encodeURIComponent(slug)}/translations.xlsx${locale ? `?locale=${encodeURIComponent(locale)}` : ''}`;

function problemList(problems: TranslationImportProblem[]): HTMLElement {
  return h('table', { class: 'data-table translation-problems' },
    h('caption', {}, t('admin:translations.problemsCaption', { count: problems.length })),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('admin:translations.col.row')), h('th', { scope: 'col' }, t('admin:translations.col.problem')))),
    h('tbody', {}, ...problems.map((problem) => h('tr', {}, h('td', {}, problem.row === 0 ? t('admin:import.wholeFile') : `${problem.sheet} ${problem.row}`), h('td', { class: 'text' }, problem.message)))));
}

/** One instrument: its locales' status at a glance, the workbook to send out and its import. */
function instrumentBlock(api: AdminApi, survey: AdminSurvey, report: TranslationStatusReport, reload: (message: string) => void): HTMLElement {
  const title = titleOf(survey);
  const id = `translations-${survey.slug}`;
  const table = h('table', { class: 'data-table translation-status' },
    h('caption', {}, t('admin:translations.caption', { title, version: report.version })),
    h('thead', {}, h('tr', {}, ...['locale', 'status', 'complete', 'missing', 'export'].map((col) => h('th', { scope: 'col' }, t(`admin:translations.col.${col}`))))),
    h('tbody', {}, ...report.locales.map((entry) => h('tr', { 'data-locale': entry.locale, 'data-status': entry.status },
      h('th', { scope: 'row' }, languageLabel(entry.locale, LOCALE_NATIVE_NAMES[entry.locale as Locale], RTL_LOCALES.has(entry.locale as Locale) ? 'rtl' : 'ltr', entry.locale)),
      h('td', {}, h('span', { class: 'translation-state', 'data-state': entry.status }, t(`admin:translations.status.${entry.status}`)), markedLine(entry)),
      h('td', {}, `${entry.translated}/${entry.total}`),
      h('td', {}, entry.missing.length === 0 ? '–' : h('details', {}, h('summary', {}, t('admin:translations.missingCount', { count: entry.missing.length })), h('ul', {}, ...entry.missing.map((key) => h('li', {}, h('code', {}, key)))))),
      h('td', {}, h('a', { href: xlsxPath(survey.slug, entry.locale), download: '', 'data-format': 'xlsx' }, t('admin:translations.exportOne', { locale: entry.locale })), ' · ',
        h('a', { href: csvPath(survey.slug, entry.locale), download: '', 'data-format': 'csv' }, t('admin:translations.exportCsv', { locale: entry.locale })))))));

  const file = h('input', { type: 'file', id: `${id}-file`, accept: '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv' });
  const fileError = h('p', { class: 'field-error', id: `${id}-file-error` });
  file.setAttribute('aria-describedby', `${id}-file-error`);
  const result = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'translation-import', novalidate: true, 'aria-label': t('admin:translations.importOf', { title }) },
    h('div', { class: 'form-field' }, h('label', { for: file.id }, t('admin:translations.file')), file, fileError),
    h('button', { type: 'submit', class: 'button button--secondary', 'data-action': 'preview-translations' }, t('admin:translations.preview')),
    result);
  const refusal = (error: unknown) => {
    const problems = (error instanceof AdminRequestError ? error.problems : []) as unknown as TranslationImportProblem[];
    result.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, error instanceof Error ? error.message : t('admin:loadFailed')), problems.length > 0 ? problemList(problems) : '');
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fileError.textContent = '';
    file.removeAttribute('aria-invalid');
    result.replaceChildren();
    const chosen = chosenFile(file, fileError, t('admin:translations.chooseFile'));
    if (!chosen) return;
    const bytes = await chosen.arrayBuffer();
    try {
      const preview = await api.previewTranslations(survey.slug, bytes);
      if (preview.problems.length > 0 || !preview.check) {
        result.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, t('admin:translations.refused')), problemList(preview.problems));
        return;
      }
      const check = preview.check;
      if (!check.publishable) {
        result.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, t('admin:versions.notPublishable')),
          h('ul', {}, ...check.problems.filter((p) => p.severity === 'error').map((p) => h('li', {}, `${p.where}: `, h('span', { lang: 'en' }, p.message)))));
        return;
      }
      if (check.sameAsVersion === check.currentVersion) {
        result.replaceChildren(h('p', { class: 'notice' }, t('admin:translations.nothingNew')));
        return;
      }
      const confirm = h('button', { type: 'button', class: 'button button--primary', 'data-action': 'import-translations' }, t('admin:translations.import', { count: preview.changedTexts, version: check.nextVersion ?? check.sameAsVersion }));
      confirm.addEventListener('click', async () => {
        confirm.disabled = true;
        try {
          const done = await api.importTranslations(survey.slug, bytes, chosen.name);
          reload(t('admin:translations.imported', { title, version: done.version }));
        } catch (error) {
          confirm.disabled = false;
          refusal(error);
        }
      });
      result.replaceChildren(h('p', {}, t('admin:translations.willImport', { count: preview.changedTexts, version: check.nextVersion ?? check.sameAsVersion })), confirm);
    } catch (error) {
      refusal(error);
    }
  });
  return h('article', { class: 'translation-admin', 'data-slug': survey.slug, 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, title),
    table,
    h('p', {}, h('a', { href: xlsxPath(survey.slug), download: '', class: 'button button--secondary' }, t('admin:translations.exportAll'))),
    form);
}

/** Translations: which locale of which instrument is still a draft, and the round trip to a native speaker. */
export function renderTranslationsSection(root: HTMLElement, api: AdminApi): void {
  const status = statusLine('translations-status');
  const listSlot = h('div', { id: 'translation-list' });
  const load = async (message?: string) => {
    try {
      const { surveys } = await api.surveys();
      const reports = await Promise.all(surveys.map((survey) => api.translations(survey.slug)));
      listSlot.replaceChildren(...surveys.map((survey, index) => instrumentBlock(api, survey, reports[index]!, (done) => void load(done))));
      if (message) status.textContent = message;
    } catch (error) {
      listSlot.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, error instanceof Error ? error.message : t('admin:loadFailed')));
    }
  };
  root.replaceChildren(h('section', { 'aria-labelledby': 'translations-heading' },
    h('h2', { id: 'translations-heading' }, t('admin:translations.heading')),
    h('p', { class: 'hint' }, t('admin:translations.intro')),
    status,
    listSlot));
  void load();
}
