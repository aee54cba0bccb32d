import { t, currentLocale } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { AdminRequestError, type AdminApi, type AdminSurvey, type PublicTown } from './api.ts';
import { FieldSet, statusLine, textInput } from './form-fields.ts';
import { newInstrumentForm, versionUploadForm } from './version-upload.ts';

const titleOf = (survey: AdminSurvey, locale: string) => {
  const title = survey.title;
  if (typeof title === 'string') return title;
  const byLocale = (title ?? {}) as Record<string, string | undefined>;
  return byLocale[locale === 'de' ? 'default' : locale] ?? byLocale.default ?? survey.slug;
};

/** `datetime-local` wants local time without an offset; the server wants ISO with one. */
const toLocalInput = (iso: string | null) => {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : null);
const formatDay = (day: string) => new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
const formatMoment = (iso: string) => new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

function stateText(survey: AdminSurvey): string {
  if (survey.status === 'closed') return t('admin:surveys.stateClosed');
  if (survey.accepting) return survey.closesAt ? t('admin:surveys.stateOpenUntil', { date: formatMoment(survey.closesAt) }) : t('admin:surveys.stateOpen');
  if (survey.opensAt && new Date(survey.opensAt) > new Date()) return t('admin:surveys.stateScheduled', { date: formatMoment(survey.opensAt) });
  return t('admin:surveys.stateEnded');
}

/** Surveys: open or close now, or on a schedule the server enforces. */
export function renderSurveysSection(root: HTMLElement, api: AdminApi, town: PublicTown): void {
  const status = statusLine('surveys-status');
  const errorSlot = h('div', {});
  const listSlot = h('div', { id: 'survey-admin-list' });
  const problem = (error: unknown) => {
    status.textContent = '';
    errorSlot.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, error instanceof Error ? error.message : t('admin:loadFailed')));
  };
  const load = async () => {
    try {
      renderList((await api.surveys()).surveys);
    } catch (error) {
      problem(error);
    }
  };

  function renderList(surveys: AdminSurvey[]): void {
    const locale = currentLocale();
    listSlot.replaceChildren(...surveys.map((survey) => {
      const title = titleOf(survey, locale);
      const fields = new FieldSet(`schedule-${survey.slug}`);
      const opensAt = textInput(toLocalInput(survey.opensAt), 'datetime-local');
      const closesAt = textInput(toLocalInput(survey.closesAt), 'datetime-local');
      // "Open now" whenever it does not take answers (closed, or outside its window: it drops the
      // window); "Close now" whenever its status is open, scheduled or not.
      const statusButton = (next: 'open' | 'closed') => {
        const button = h('button', { type: 'button', class: `button ${next === 'open' ? 'button--primary' : 'button--secondary'}`, 'data-action': next === 'open' ? 'open' : 'close' },
          next === 'open' ? t('admin:surveys.openNow') : t('admin:surveys.closeNow'));
        button.addEventListener('click', async () => {
          errorSlot.replaceChildren();
          try {
            if (next === 'closed' && !confirm(t('admin:surveys.confirmClose', { title }))) return;
            await api.setSurveyStatus(survey.slug, next);
            status.textContent = next === 'open' ? t('admin:surveys.opened', { title }) : t('admin:surveys.closed', { title });
            await load();
          } catch (error) {
            problem(error);
          }
        });
        return button;
      };
      // Opening needs the town's settings (the server refuses it otherwise); closing never does.
      const buttons = h('div', { class: 'button-row' }, survey.accepting || !town.configured ? null : statusButton('open'), survey.status === 'open' ? statusButton('closed') : null);
      const scheduleForm = h('form', { class: 'schedule-form', novalidate: true, 'aria-label': t('admin:surveys.scheduleOf', { title }) },
        fields.summary,
        fields.field('opensAt', t('admin:surveys.opensAt'), opensAt, { hint: t('admin:surveys.emptyMeansNow') }),
        fields.field('closesAt', t('admin:surveys.closesAt'), closesAt, { hint: t('admin:surveys.emptyMeansOpenEnded') }),
        h('button', { type: 'submit', class: 'button button--secondary' }, t('admin:surveys.schedule')));
      scheduleForm.addEventListener('submit', async (event) => {
        event.preventDefault();
        fields.clear();
        errorSlot.replaceChildren();
        try {
          await api.scheduleSurvey(survey.slug, { opensAt: fromLocalInput(opensAt.value), closesAt: fromLocalInput(closesAt.value) });
          status.textContent = t('admin:surveys.scheduled', { title });
          await load();
        } catch (error) {
          if (error instanceof AdminRequestError) fields.show(error.fieldErrors, error.message);
          else fields.show([], t('admin:loadFailed'));
        }
      });
      // The survey's own answers deletion date: never after the town's (the server says so at the field).
      const dateFields = new FieldSet(`deletion-${survey.slug}`);
      const deletedBy = textInput(survey.answersDeletedBy ?? '', 'date');
      if (town.configured) deletedBy.max = town.answersDeletedBy;
      const deletionForm = h('form', { class: 'deletion-date-form', novalidate: true, 'aria-label': t('admin:surveys.deletionOf', { title }) },
        dateFields.summary,
        dateFields.field('answersDeletedBy', t('admin:surveys.answersDeletedBy'), deletedBy,
          { hint: town.configured ? t('admin:surveys.emptyMeansTownDate', { date: formatDay(town.answersDeletedBy) }) : undefined }),
        h('button', { type: 'submit', class: 'button button--secondary' }, t('admin:surveys.saveDeletionDate')));
      deletionForm.addEventListener('submit', async (event) => {
        event.preventDefault();
        dateFields.clear();
        errorSlot.replaceChildren();
        try {
          await api.setSurveyDeletionDate(survey.slug, deletedBy.value || null);
          status.textContent = t('admin:surveys.deletionDateSaved', { title });
          await load();
        } catch (error) {
          if (error instanceof AdminRequestError) dateFields.show(error.fieldErrors, error.message);
          else dateFields.show([], t('admin:loadFailed'));
        }
      });
      return h('article', { class: 'survey-admin', 'data-slug': survey.slug, 'aria-labelledby': `survey-${survey.slug}-title` },
        h('h3', { id: `survey-${survey.slug}-title` }, title),
        h('p', {}, h('span', { class: 'survey-state', 'data-state': survey.accepting ? 'accepting' : survey.status }, stateText(survey)), ' · ',
          t(`admin:surveys.kind.${survey.kind}`), ' · ', t('admin:surveys.version', { version: survey.version }), ' · ', h('code', {}, survey.slug)),
        buttons,
        town.configured ? h('details', { class: 'schedule' }, h('summary', {}, t('admin:surveys.scheduleHeading')), scheduleForm) : null,
        town.configured ? h('details', { class: 'deletion-date', open: survey.answersDeletedBy ? true : undefined },
          h('summary', {}, survey.answersDeletedBy ? t('admin:surveys.deletionHeadingSet', { date: formatDay(survey.answersDeletedBy) }) : t('admin:surveys.deletionHeading')), deletionForm) : null,
        h('details', { class: 'version-upload' }, h('summary', {}, t('admin:versions.heading')),
          versionUploadForm(api, survey, title, (message) => {
            status.textContent = message;
            void load();
          })));
    }));
  }

  root.replaceChildren(h('section', { 'aria-labelledby': 'surveys-heading' },
    h('h2', { id: 'surveys-heading' }, t('admin:surveys.heading')),
    town.configured ? h('p', { class: 'hint' }, t('admin:surveys.intro')) : h('p', { class: 'notice', 'data-kind': 'error' }, t('admin:notSetUp.surveys')),
    status,
    errorSlot,
    listSlot,
    h('details', { class: 'new-instrument' }, h('summary', {}, t('admin:newInstrument.heading')),
      newInstrumentForm(api, (message) => {
        status.textContent = message;
        void load();
      }))));
  void load();
}
