import './results-admin.css';
import { FIELDS_OF_ACTION } from '../../../api/src/shared/contact-options.ts';
import type { Locale } from '../../../api/src/shared/locales.ts';
import { dayInTown } from '../../../api/src/shared/town-day.ts';
import { currentLocale, t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { formatDate } from '../shared/town.ts';
import type { AdminSurvey } from './api.ts';
import { FieldSet, statusLine } from './form-fields.ts';
import { MEASURE_STATUSES, ResultsAdminApi, type ListedEvent, type MeasureInput, type MeasureRow, type MeasureStatus } from './results-api.ts';
import { surveyTitle } from './results-section.ts';
import { draftLocalesOf, staffTextFields } from './staff-text-fields.ts';

const errorText = (error: unknown) => (error instanceof Error ? error.message : t('admin:loadFailed'));
const textOf = (text: Record<string, string> | undefined, locale: string) => text?.[locale] ?? text?.de ?? text?.default ?? Object.values(text ?? {})[0] ?? '';
// The town's day (German time), not UTC's, which is still yesterday for an hour after midnight.
const today = () => dayInTown();

function select(options: { value: string; label: string }[], value = ''): HTMLSelectElement {
  const element = h('select', {}, ...options.map((option) => h('option', { value: option.value }, option.label)));
  element.value = value;
  return element;
}

/** A list of checkboxes (result tables, event reports) that remembers what was ticked. */
function checkList(id: string, legend: string, empty: string) {
  const list = h('ul', { class: 'snapshot-items', id });
  const fieldset = h('fieldset', {}, h('legend', {}, legend), list);
  let checks: HTMLInputElement[] = [];
  return {
    fieldset,
    fill(items: { value: string; label: string }[], ticked: string[], why = empty) {
      checks = items.map((item, i) => {
        const check = h('input', { type: 'checkbox', id: `${id}-${i}`, value: item.value });
        check.checked = ticked.includes(item.value);
        return check;
      });
      list.replaceChildren(...(items.length === 0 ? [h('li', { class: 'hint' }, why)] : items.map((item, i) => h('li', {}, h('div', { class: 'check-line' }, checks[i]!, h('label', { for: checks[i]!.id }, item.label))))));
    },
    values: () => checks.filter((check) => check.checked).map((check) => check.value),
  };
}

/**
 * Measures ("what happened with your input"): per field of action, with a status, dated updates,
 * and what gave rise to them — the tables of a published result and event reports. Residents read
 * them on the results page and the survey's start page; titles and texts are German first, the other
 * locales drafts.
 */
export function renderMeasuresSection(root: HTMLElement, api: ResultsAdminApi): void {
  const locale = currentLocale() as Locale;
  const status = statusLine('measures-status');
  const listSlot = h('div', { id: 'measure-list' });
  let surveys: AdminSurvey[] = [];
  let events: ListedEvent[] = [];
  let editing: MeasureRow | null = null;

  // The measure form (create, or edit the one chosen in the list).
  const fields = new FieldSet('measure');
  const fieldOfAction = select(FIELDS_OF_ACTION.map((field) => ({ value: field, label: t(`admin-results:field.${field}`) })));
  const title = staffTextFields(fields, 'title', t('admin-results:measures.title'));
  const description = staffTextFields(fields, 'description', t('admin-results:measures.description'), { multiline: true, optional: true });
  const measureStatus = select(MEASURE_STATUSES.map((value) => ({ value, label: t(`admin-results:status.${value}`) })), 'proposed');
  const surveySelect = select([]);
  const resultKeys = checkList('measure-results', t('admin-results:measures.resultKeys'), t('admin-results:measures.noResults'));
  const eventSlugs = checkList('measure-events', t('admin-results:measures.events'), t('admin-results:measures.noEvents'));
  const formHeading = h('h3', { id: 'measure-form-heading' }, t('admin-results:measures.new'));
  const submit = h('button', { type: 'submit', class: 'button button--primary', id: 'measure-save' }, t('admin-results:measures.save'));
  const cancel = h('button', { type: 'button', class: 'button button--secondary', id: 'measure-cancel', hidden: true }, t('admin-results:measures.cancel'));

  const fillResults = async (ticked: string[]) => {
    const slug = surveySelect.value;
    if (!slug) return resultKeys.fill([], [], t('admin-results:measures.chooseSurvey'));
    try {
      const results = await api.publishedResults(slug);
      resultKeys.fill(results ? results.snapshot.content.items.map((item) => ({ value: item.key, label: item.label[locale] })) : [], ticked);
    } catch {
      resultKeys.fill([], []);
    }
  };
  surveySelect.addEventListener('change', () => void fillResults(resultKeys.values()));

  const form = h(
    'form',
    { id: 'measure-form', novalidate: true, 'aria-labelledby': 'measure-form-heading' },
    formHeading,
    fields.summary,
    fields.field('fieldOfAction', t('admin-results:measures.fieldOfAction'), fieldOfAction),
    title.element,
    description.element,
    fields.field('status', t('admin-results:measures.status'), measureStatus, { hint: t('admin-results:measures.statusHint') }),
    fields.field('surveySlug', t('admin-results:measures.survey'), surveySelect),
    resultKeys.fieldset,
    eventSlugs.fieldset,
    h('div', { class: 'button-row' }, submit, cancel),
  );

  const resetForm = () => {
    editing = null;
    fields.clear();
    formHeading.textContent = t('admin-results:measures.new');
    cancel.hidden = true;
    fieldOfAction.value = FIELDS_OF_ACTION[0];
    title.set({});
    description.set({});
    measureStatus.value = 'proposed';
    measureStatus.disabled = false;
    surveySelect.value = '';
    void fillResults([]);
    eventSlugs.fill(events.map((event) => ({ value: event.slug, label: eventLabel(event) })), []);
  };
  const eventLabel = (event: ListedEvent) => `${textOf(event.title, locale)} (${formatDate(event.startsAt.slice(0, 10), locale)})${event.reportPublished ? ` – ${t('admin-results:measures.reportPublished')}` : ''}`;

  const edit = (measure: MeasureRow) => {
    resetForm();
    editing = measure;
    formHeading.textContent = t('admin-results:measures.editing', { title: measure.title.de });
    cancel.hidden = false;
    fieldOfAction.value = measure.fieldOfAction;
    title.set(measure.title);
    description.set(measure.description);
    measureStatus.value = measure.status;
    surveySelect.value = measure.surveySlug ?? '';
    void fillResults(measure.resultKeys);
    const known = new Set(events.map((event) => event.slug));
    eventSlugs.fill(
      [...events.map((event) => ({ value: event.slug, label: eventLabel(event) })), ...measure.eventSlugs.filter((slug) => !known.has(slug)).map((slug) => ({ value: slug, label: slug }))],
      measure.eventSlugs,
    );
    title.german.focus();
  };
  cancel.addEventListener('click', resetForm);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fields.clear();
    const input: MeasureInput = {
      fieldOfAction: fieldOfAction.value,
      title: title.read(),
      status: measureStatus.value as MeasureStatus,
      surveySlug: surveySelect.value || null,
      resultKeys: surveySelect.value ? resultKeys.values() : [],
      eventSlugs: eventSlugs.values(),
    };
    const text = description.read();
    if (Object.keys(text).length > 0) input.description = text;
    const problems = [];
    if (!input.title.de) problems.push({ field: 'title.de', code: 'field_required', message: t('admin-results:text.germanRequired') });
    if (Object.keys(text).length > 0 && !text.de) problems.push({ field: 'description.de', code: 'field_required', message: t('admin-results:text.germanRequired') });
    if (problems.length > 0) return fields.show(problems);
    submit.disabled = true;
    try {
      if (editing) await api.updateMeasure(editing.id, input);
      else await api.createMeasure(input);
      status.textContent = t('admin-results:measures.saved', { title: input.title.de });
      resetForm();
      await load();
    } catch (error) {
      fields.show([], errorText(error));
    } finally {
      submit.disabled = false;
    }
  });

  // A dated update of one measure (its status moves with it).
  const updateFields = new FieldSet('measure-update');
  const updateDate = h('input', { type: 'date' });
  const updateStatus = select(MEASURE_STATUSES.map((value) => ({ value, label: t(`admin-results:status.${value}`) })));
  const updateText = staffTextFields(updateFields, 'text', t('admin-results:updates.text'), { multiline: true });
  const updateHeading = h('h3', { id: 'measure-update-heading', tabindex: '-1' });
  const updateSubmit = h('button', { type: 'submit', class: 'button button--primary', id: 'measure-update-save' }, t('admin-results:updates.save'));
  const updateCancel = h('button', { type: 'button', class: 'button button--secondary' }, t('admin-results:measures.cancel'));
  let updating: MeasureRow | null = null;
  const updateForm = h(
    'form',
    { id: 'measure-update-form', novalidate: true, 'aria-labelledby': 'measure-update-heading', hidden: true },
    updateHeading,
    updateFields.summary,
    updateFields.field('date', t('admin-results:updates.date'), updateDate),
    updateFields.field('status', t('admin-results:updates.status'), updateStatus),
    updateText.element,
    h('div', { class: 'button-row' }, updateSubmit, updateCancel),
  );
  const openUpdate = (measure: MeasureRow) => {
    updating = measure;
    updateFields.clear();
    updateHeading.textContent = t('admin-results:updates.heading', { title: measure.title.de });
    updateDate.value = today();
    updateStatus.value = measure.status;
    updateText.set({});
    updateForm.hidden = false;
    updateHeading.focus();
  };
  updateCancel.addEventListener('click', () => {
    updating = null;
    updateForm.hidden = true;
  });
  updateForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!updating) return;
    updateFields.clear();
    const text = updateText.read();
    const problems = [];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(updateDate.value)) problems.push({ field: 'date', code: 'field_invalid_date', message: t('admin-results:updates.dateRequired') });
    if (!text.de) problems.push({ field: 'text.de', code: 'field_required', message: t('admin-results:text.germanRequired') });
    if (problems.length > 0) return updateFields.show(problems);
    updateSubmit.disabled = true;
    try {
      await api.addMeasureUpdate(updating.id, { date: updateDate.value, status: updateStatus.value as MeasureStatus, text });
      status.textContent = t('admin-results:updates.saved', { title: updating.title.de });
      updating = null;
      updateForm.hidden = true;
      await load();
    } catch (error) {
      updateFields.show([], errorText(error));
    } finally {
      updateSubmit.disabled = false;
    }
  });

  const surveyName = (slug: string | null) => {
    if (!slug) return '–';
    const survey = surveys.find((candidate) => candidate.slug === slug);
    return survey ? surveyTitle(survey, locale) : slug;
  };

  const load = async () => {
    try {
      const { measures } = await api.measures();
      if (measures.length === 0) return listSlot.replaceChildren(h('p', {}, t('admin-results:measures.none')));
      const byField = FIELDS_OF_ACTION.filter((field) => measures.some((measure) => measure.fieldOfAction === field));
      listSlot.replaceChildren(
        ...byField.map((field) =>
          h(
            'section',
            { class: 'measure-field', 'aria-labelledby': `measures-${field}` },
            h('h3', { id: `measures-${field}` }, t(`admin-results:field.${field}`)),
            h(
              'table',
              { class: 'data-table' },
              h('caption', { class: 'visually-hidden' }, t('admin-results:measures.caption', { field: t(`admin-results:field.${field}`) })),
              h('thead', {}, h('tr', {}, ...['title', 'status', 'survey', 'history', 'actions'].map((col) => h('th', { scope: 'col' }, t(`admin-results:measures.col.${col}`))))),
              h(
                'tbody',
                {},
                ...measures
                  .filter((measure) => measure.fieldOfAction === field)
                  .map((measure) => {
                    const editButton = h('button', { type: 'button', class: 'button button--secondary small', 'data-action': 'edit' }, t('admin-results:measures.edit'));
                    const updateButton = h('button', { type: 'button', class: 'button button--secondary small', 'data-action': 'update' }, t('admin-results:measures.addUpdate'));
                    editButton.addEventListener('click', () => edit(measure));
                    updateButton.addEventListener('click', () => openUpdate(measure));
                    return h(
                      'tr',
                      { 'data-id': measure.id },
                      h('th', { scope: 'row' }, h('span', { lang: 'de' }, measure.title.de), draftLocalesOf(measure.title)),
                      h('td', {}, t(`admin-results:status.${measure.status}`)),
                      h('td', {}, surveyName(measure.surveySlug), measure.resultKeys.length ? h('span', { class: 'hint' }, ` (${t('admin-results:measures.resultCount', { count: measure.resultKeys.length })})`) : null),
                      h(
                        'td',
                        {},
                        measure.updates.length === 0
                          ? '–'
                          : h('ol', { class: 'measure-history' }, ...measure.updates.map((update) => h('li', {}, `${formatDate(update.date, locale)} – ${t(`admin-results:status.${update.status}`)}: `, h('span', { lang: 'de' }, update.text.de)))),
                      ),
                      h('td', { class: 'actions' }, h('div', { class: 'button-row' }, editButton, updateButton)),
                    );
                  }),
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      listSlot.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, errorText(error)));
    }
  };

  root.replaceChildren(
    h(
      'section',
      { 'aria-labelledby': 'measures-heading', class: 'results-admin' },
      h('h2', { id: 'measures-heading' }, t('admin-results:measures.heading')),
      h('p', { class: 'hint' }, t('admin-results:measures.intro')),
      status,
      listSlot,
      updateForm,
      form,
    ),
  );

  void (async () => {
    const [surveyList, eventList] = await Promise.allSettled([api.surveys(), api.publicEvents()]);
    surveys = surveyList.status === 'fulfilled' ? surveyList.value.surveys : [];
    events = eventList.status === 'fulfilled' ? eventList.value.events : [];
    surveySelect.replaceChildren(h('option', { value: '' }, t('admin-results:measures.noSurvey')), ...surveys.map((survey) => h('option', { value: survey.slug }, surveyTitle(survey, locale))));
    resetForm();
    await load();
  })();
}
