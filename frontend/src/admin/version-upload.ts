import type { UploadCheck, VersionDiff } from '../../../api/src/shared/contract.ts';
import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { AdminRequestError, type AdminApi, type AdminSurvey } from './api.ts';
import { chosenFile } from './form-fields.ts';

/** "title (en, tr)": which wording changed in which languages. */
const wordingLine = (property: string, locales: string[]) => `${property} (${locales.join(', ')})`;

export function diffView(diff: VersionDiff): HTMLElement {
  const nothing = diff.added.length + diff.removed.length + diff.changed.length + diff.surveyTexts.length === 0;
  if (nothing) return h('p', {}, t('admin:versions.noChanges'));
  const list = (heading: string, items: (string | Node)[], kind: string) =>
    items.length === 0 ? null : h('div', { class: 'version-diff-group', 'data-kind': kind }, h('h5', {}, heading), h('ul', {}, ...items.map((item) => h('li', {}, item))));
  return h('div', { class: 'version-diff' },
    list(t('admin:versions.added', { count: diff.added.length }), diff.added.map((q) => h('span', {}, h('code', {}, q.name), ` ${q.title}`)), 'added'),
    list(t('admin:versions.removed', { count: diff.removed.length }), diff.removed.map((q) => h('span', {}, h('code', {}, q.name), ` ${q.title}`)), 'removed'),
    list(t('admin:versions.changed', { count: diff.changed.length }), diff.changed.map((q) => h('span', {},
      h('code', {}, q.name), ` ${q.title}`,
      h('ul', {},
        ...q.wording.map((w) => h('li', {}, t('admin:versions.wording', { what: wordingLine(w.property, w.locales) }))),
        ...q.choicesAdded.map((c) => h('li', {}, t('admin:versions.choiceAdded', { list: c.list, value: c.value }))),
        ...q.choicesRemoved.map((c) => h('li', {}, t('admin:versions.choiceRemoved', { list: c.list, value: c.value }))),
        q.otherProperties.length > 0 ? h('li', {}, t('admin:versions.other', { properties: q.otherProperties.join(', ') })) : null))), 'changed'),
    list(t('admin:versions.surveyTexts'), diff.surveyTexts.map((w) => wordingLine(w.property, w.locales)), 'texts'));
}

export function problemTable(problems: UploadCheck['problems']): HTMLElement | null {
  if (problems.length === 0) return null;
  return h('table', { class: 'data-table version-problems' },
    h('caption', {}, t('admin:versions.problemsCaption', { count: problems.length })),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('admin:versions.col.severity')), h('th', { scope: 'col' }, t('admin:versions.col.where')), h('th', { scope: 'col' }, t('admin:versions.col.message')))),
    h('tbody', {}, ...problems.map((p) => h('tr', { 'data-severity': p.severity },
      h('td', {}, p.severity === 'error' ? t('admin:versions.error') : t('admin:versions.warning')),
      h('td', {}, p.locale ? `${p.where} [${p.locale}]` : p.where),
      h('td', { class: 'text', lang: 'en' }, p.message)))));
}

/**
 * A new version of one instrument: choose the SurveyJS file, see the checks and the diff against
 * the current version, then publish. Nothing is stored before "Publish".
 */
export function versionUploadForm(api: AdminApi, survey: AdminSurvey, title: string, onPublished: (message: string) => void): HTMLElement {
  const id = `version-${survey.slug}`;
  const file = h('input', { type: 'file', id: `${id}-file`, accept: '.json,application/json' });
  const fileError = h('p', { class: 'field-error', id: `${id}-file-error` });
  file.setAttribute('aria-describedby', `${id}-file-error`);
  const result = h('div', { class: 'version-preview', 'aria-live': 'polite' });
  const previewButton = h('button', { type: 'submit', class: 'button button--secondary', 'data-action': 'preview-version' }, t('admin:versions.preview'));
  const form = h('form', { class: 'version-form', novalidate: true, 'aria-label': t('admin:versions.formOf', { title }) },
    h('div', { class: 'form-field' }, h('label', { for: file.id }, t('admin:versions.file')), file, fileError),
    previewButton,
    result);
  const refusal = (error: unknown) => {
    // A refused publish carries the checker's problems in the same place an import's go.
    const problems = (error instanceof AdminRequestError ? error.problems : []) as unknown as UploadCheck['problems'];
    result.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, error instanceof Error ? error.message : t('admin:loadFailed')), problemTable(problems) ?? '');
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fileError.textContent = '';
    file.removeAttribute('aria-invalid');
    result.replaceChildren();
    const chosen = chosenFile(file, fileError, t('admin:versions.chooseFile'));
    if (!chosen) return;
    const bytes = await chosen.arrayBuffer();
    previewButton.disabled = true;
    try {
      const check = await api.previewVersion(survey.slug, bytes);
      const summary = !check.publishable ? h('p', { class: 'field-error', role: 'alert' }, t('admin:versions.notPublishable'))
        : check.sameAsVersion === check.currentVersion ? h('p', { class: 'notice' }, t('admin:versions.sameAsCurrent', { version: check.currentVersion }))
        : h('p', {}, check.nextVersion ? t('admin:versions.willBe', { version: check.nextVersion, current: check.currentVersion }) : t('admin:versions.willRestore', { version: check.sameAsVersion }));
      const canPublish = check.publishable && check.sameAsVersion !== check.currentVersion;
      const publish = canPublish ? h('button', { type: 'button', class: 'button button--primary', 'data-action': 'publish-version' }, t('admin:versions.publish', { version: check.nextVersion ?? check.sameAsVersion })) : null;
      publish?.addEventListener('click', async () => {
        publish.disabled = true;
        try {
          const published = await api.publishVersion(survey.slug, bytes, chosen.name);
          onPublished(t('admin:versions.published', { title, version: published.version }));
        } catch (error) {
          publish.disabled = false;
          refusal(error);
        }
      });
      result.replaceChildren(summary, check.diff ? h('div', {}, h('h4', {}, t('admin:versions.diffHeading', { current: check.currentVersion })), diffView(check.diff)) : '', problemTable(check.problems) ?? '', publish ?? '');
    } catch (error) {
      refusal(error);
    } finally {
      previewButton.disabled = false;
    }
  });
  return form;
}

/** `Stadtteil-Befragung 2027.json` → `stadtteil-befragung-2027`: a proposal the admin can change. */
export const slugFromFileName = (name: string): string =>
  name
    .replace(/\.json$/i, '')
    .toLowerCase()
    .replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);

/**
 * A new instrument: choose its file and its name (the slug in every link, proposed from the file
 * name), see the checks, then publish it as version 1. It starts closed; nothing is stored before
 * "Publish".
 */
export function newInstrumentForm(api: AdminApi, onPublished: (message: string) => void): HTMLElement {
  const id = 'new-instrument';
  const file = h('input', { type: 'file', id: `${id}-file`, accept: '.json,application/json' });
  const fileError = h('p', { class: 'field-error', id: `${id}-file-error` });
  file.setAttribute('aria-describedby', `${id}-file-error`);
  const slug = h('input', { type: 'text', id: `${id}-slug`, autocomplete: 'off', spellcheck: 'false', pattern: '[a-z0-9][a-z0-9-]*', maxlength: '60' });
  const slugHint = h('p', { class: 'hint', id: `${id}-slug-hint` }, t('admin:newInstrument.slugHint'));
  const slugError = h('p', { class: 'field-error', id: `${id}-slug-error` });
  slug.setAttribute('aria-describedby', `${id}-slug-hint ${id}-slug-error`);
  file.addEventListener('change', () => {
    const chosen = file.files?.[0];
    if (chosen && slug.value === '') slug.value = slugFromFileName(chosen.name);
  });
  const result = h('div', { class: 'version-preview', 'aria-live': 'polite' });
  const previewButton = h('button', { type: 'submit', class: 'button button--secondary', 'data-action': 'preview-instrument' }, t('admin:newInstrument.preview'));
  const form = h('form', { class: 'new-instrument-form', novalidate: true, 'aria-label': t('admin:newInstrument.heading') },
    h('p', { class: 'hint' }, t('admin:newInstrument.intro')),
    h('div', { class: 'form-field' }, h('label', { for: file.id }, t('admin:versions.file')), file, fileError),
    h('div', { class: 'form-field' }, h('label', { for: slug.id }, t('admin:newInstrument.slug')), slug, slugHint, slugError),
    previewButton,
    result);
  const refusal = (error: unknown) => {
    const problems = (error instanceof AdminRequestError ? error.problems : []) as unknown as UploadCheck['problems'];
    result.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, error instanceof Error ? error.message : t('admin:loadFailed')), problemTable(problems) ?? '');
  };
  const markSlug = (problems: UploadCheck['problems']) => {
    const atSlug = problems.filter((problem) => problem.where === 'slug');
    slugError.replaceChildren(...atSlug.map((problem) => h('span', { lang: 'en' }, problem.message)));
    if (atSlug.length > 0) slug.setAttribute('aria-invalid', 'true');
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const [input, error] of [[file, fileError], [slug, slugError]] as const) {
      error.textContent = '';
      input.removeAttribute('aria-invalid');
    }
    result.replaceChildren();
    const chosen = chosenFile(file, fileError, t('admin:versions.chooseFile'));
    if (!chosen) return;
    const name = slug.value.trim();
    const bytes = await chosen.arrayBuffer();
    previewButton.disabled = true;
    try {
      const check = await api.previewNewInstrument(name, bytes);
      markSlug(check.problems);
      const summary = check.publishable
        ? h('p', {}, t('admin:newInstrument.willBe', { slug: name }))
        : h('p', { class: 'field-error', role: 'alert' }, t('admin:versions.notPublishable'));
      const publish = check.publishable ? h('button', { type: 'button', class: 'button button--primary', 'data-action': 'publish-instrument' }, t('admin:newInstrument.publish', { slug: name })) : null;
      publish?.addEventListener('click', async () => {
        publish.disabled = true;
        try {
          await api.createInstrument(name, bytes, chosen.name);
          form.reset();
          result.replaceChildren();
          onPublished(t('admin:newInstrument.published', { slug: name }));
        } catch (error) {
          publish.disabled = false;
          refusal(error);
        }
      });
      const questions = check.diff ? h('p', {}, t('admin:newInstrument.questions', { count: check.diff.added.length })) : '';
      result.replaceChildren(summary, questions, problemTable(check.problems) ?? '', publish ?? '');
    } catch (error) {
      refusal(error);
    } finally {
      previewButton.disabled = false;
    }
  });
  return form;
}
