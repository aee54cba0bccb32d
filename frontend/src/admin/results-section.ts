import './results-admin.css';
import type { Locale } from '../../../api/src/shared/locales.ts';
import { currentLocale, t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import type { AdminSurvey } from './api.ts';
import { FieldSet, statusLine } from './form-fields.ts';
import { ResultsAdminApi, SnapshotRefused, type CandidateSection, type SnapshotContent, type SnapshotSummary } from './results-api.ts';
import { draftLocalesOf, staffTextFields, type StaffTextFields } from './staff-text-fields.ts';

export const surveyTitle = (survey: AdminSurvey, locale: string): string => {
  const title = survey.title;
  if (typeof title === 'string') return title;
  const byLocale = (title ?? {}) as Record<string, string | undefined>;
  return byLocale[locale === 'de' ? 'default' : locale] ?? byLocale.default ?? survey.slug;
};

const dateTime = (iso: string) => new Intl.DateTimeFormat(currentLocale() === 'en' ? 'en-GB' : 'de-DE', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
const errorText = (error: unknown) => (error instanceof Error ? error.message : t('admin:loadFailed'));

/** The draft as residents would read it, in the admin's language: every cell, small ones in words. */
function previewTables(content: SnapshotContent, locale: Locale): HTMLElement {
  const percent = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'de-DE', { style: 'percent', maximumFractionDigits: 0 });
  return h(
    'div',
    { class: 'snapshot-preview__tables' },
    ...content.items.map((item) =>
      h(
        'section',
        { class: 'snapshot-preview__item', 'data-key': item.key },
        h('h4', {}, item.label[locale]),
        h('p', { lang: 'de' }, item.text.de),
        draftLocalesOf(item.text),
        h(
          'div',
          { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': item.label[locale] },
          h(
            'table',
            { class: 'data-table' },
            h('caption', {}, item.label[locale]),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('admin-results:snapshots.option')), ...content.groups.map((group) => h('th', { scope: 'col' }, group.label[locale])))),
            h(
              'tbody',
              {},
              ...item.options.map((option) =>
                h(
                  'tr',
                  {},
                  h('th', { scope: 'row' }, option.label[locale]),
                  ...content.groups.map((_, g) => {
                    const share = content.weighted ? (option.weighted?.[g]?.share ?? null) : (option.shares[g] ?? null);
                    return share === null ? h('td', { class: 'too-few' }, t('admin-results:snapshots.tooFew')) : h('td', {}, percent.format(share));
                  }),
                ),
              ),
              h('tr', {}, h('th', { scope: 'row' }, t('admin-results:snapshots.answered')), ...item.base.map((n) => h('td', {}, String(n)))),
            ),
          ),
        ),
      ),
    ),
  );
}

/**
 * Result snapshots: choose a survey, its tables (one by one or a whole section), write the short text
 * per table (German required, the other locales drafts), look at the draft as residents will, then
 * publish it — replacing the page's current results, which stay reachable — or discard it.
 */
export function renderResultsSection(root: HTMLElement, api: ResultsAdminApi): void {
  const locale = currentLocale() as Locale;
  const status = statusLine('results-status');
  const fields = new FieldSet('snapshot');
  const surveySelect = h('select', {});
  const byDistrict = h('input', { type: 'checkbox', id: 'snapshot-by-district' });
  const weighted = h('input', { type: 'checkbox', id: 'snapshot-weighted' });
  const candidatesSlot = h('div', { id: 'snapshot-candidates', 'aria-live': 'polite' });
  const textsSlot = h('div', { id: 'snapshot-texts' });
  const create = h('button', { type: 'submit', class: 'button button--primary', id: 'snapshot-create' }, t('admin-results:snapshots.create'));
  const previewSlot = h('div', { id: 'snapshot-preview' });
  const listSlot = h('div', { id: 'snapshot-list' });

  let sections: CandidateSection[] = [];
  const chosen = new Set<string>();
  const texts = new Map<string, StaffTextFields>();
  const itemChecks = new Map<string, HTMLInputElement>();
  let published: SnapshotSummary | undefined;

  const slug = () => surveySelect.value;
  const labelOf = (key: string) => sections.flatMap((section) => section.items).find((item) => item.key === key)?.label ?? key;

  /** One text block per chosen table, in the survey's order; what was typed stays when the choice changes. */
  const renderTexts = () => {
    const order = sections.flatMap((section) => section.items.map((item) => item.key)).filter((key) => chosen.has(key));
    for (const key of [...texts.keys()]) if (!chosen.has(key)) texts.delete(key);
    const blocks = order.map((key) => {
      let block = texts.get(key);
      if (!block) {
        block = staffTextFields(fields, `texts.${key}`, labelOf(key), { multiline: true });
        texts.set(key, block);
      }
      return h('fieldset', { class: 'snapshot-text', 'data-key': key }, h('legend', {}, labelOf(key)), fields.groupError(`question.${key}`, block.german), block.element);
    });
    textsSlot.replaceChildren(
      ...(blocks.length ? [h('h3', { id: 'snapshot-texts-heading' }, t('admin-results:snapshots.textsHeading')), h('p', { class: 'hint' }, t('admin-results:snapshots.textsHint')), ...blocks] : []),
    );
  };

  const setChosen = (key: string, on: boolean) => {
    if (on) chosen.add(key);
    else chosen.delete(key);
    const check = itemChecks.get(key);
    if (check) check.checked = on;
  };

  const renderCandidates = () => {
    itemChecks.clear();
    if (sections.length === 0) {
      candidatesSlot.replaceChildren(h('p', {}, t('admin-results:snapshots.noQuestions')));
      return;
    }
    candidatesSlot.replaceChildren(
      ...sections.map((section, s) => {
        const publishable = section.items.filter((item) => item.problem === null);
        const whole = h('input', { type: 'checkbox', id: `snapshot-section-${s}`, disabled: publishable.length === 0 });
        whole.checked = publishable.length > 0 && publishable.every((item) => chosen.has(item.key));
        whole.addEventListener('change', () => {
          for (const item of publishable) setChosen(item.key, whole.checked);
          renderTexts();
        });
        const title = section.title ?? t('admin-results:snapshots.earlierVersions');
        return h(
          'fieldset',
          { class: 'snapshot-section' },
          h('legend', {}, title),
          h('div', { class: 'check-line check-line--section' }, whole, h('label', { for: whole.id }, t('admin-results:snapshots.wholeSection', { section: title, count: publishable.length }))),
          h(
            'ul',
            { class: 'snapshot-items' },
            ...section.items.map((item, i) => {
              const id = `snapshot-item-${s}-${i}`;
              const check = h('input', { type: 'checkbox', id, value: item.key, disabled: item.problem?.code === 'not_publishable' });
              check.checked = chosen.has(item.key);
              itemChecks.set(item.key, check);
              const problem = item.problem ? h('p', { class: item.problem.code === 'only_suppressed' ? 'field-error' : 'hint', id: `${id}-problem` }, item.problem.message) : null;
              if (problem) check.setAttribute('aria-describedby', problem.id);
              const sync = () => {
                if (item.problem?.code === 'only_suppressed' && check.checked) check.setAttribute('aria-invalid', 'true');
                else check.removeAttribute('aria-invalid');
              };
              sync();
              check.addEventListener('change', () => {
                setChosen(item.key, check.checked);
                sync();
                whole.checked = publishable.length > 0 && publishable.every((candidate) => chosen.has(candidate.key));
                renderTexts();
              });
              return h('li', { 'data-key': item.key }, h('div', { class: 'check-line' }, check, h('label', { for: id }, item.label)), problem);
            }),
          ),
        );
      }),
    );
  };

  const loadCandidates = async () => {
    if (!slug()) return;
    candidatesSlot.replaceChildren(h('p', {}, t('common:loading')));
    try {
      ({ sections } = await api.snapshotCandidates(slug(), byDistrict.checked));
      const known = new Set(sections.flatMap((section) => section.items.map((item) => item.key)));
      for (const key of [...chosen]) if (!known.has(key)) chosen.delete(key);
      renderCandidates();
      renderTexts();
    } catch (error) {
      candidatesSlot.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, errorText(error)));
    }
  };

  const loadList = async () => {
    if (!slug()) return;
    try {
      const { snapshots } = await api.snapshots(slug());
      published = snapshots.find((snapshot) => snapshot.status === 'published');
      listSlot.replaceChildren(
        h('h3', { id: 'snapshot-list-heading' }, t('admin-results:snapshots.listHeading')),
        snapshots.length === 0
          ? h('p', {}, t('admin-results:snapshots.listNone'))
          : h(
              'table',
              { class: 'data-table', id: 'snapshot-table' },
              h('caption', {}, t('admin-results:snapshots.listCaption')),
              h('thead', {}, h('tr', {}, ...['status', 'created', 'published', 'questions', 'link'].map((col) => h('th', { scope: 'col' }, t(`admin-results:snapshots.col.${col}`))))),
              h(
                'tbody',
                {},
                ...snapshots.map((snapshot) => {
                  const isCurrent = snapshot.id === published?.id;
                  const link =
                    snapshot.status === 'published'
                      ? h('a', { href: isCurrent ? `/results/${encodeURIComponent(slug())}` : `/results/${encodeURIComponent(slug())}?snapshot=${snapshot.id}` }, t(isCurrent ? 'admin-results:snapshots.linkCurrent' : 'admin-results:snapshots.linkEarlier'))
                      : h('a', { href: api.previewUrl(slug(), snapshot.id, locale), target: '_blank', rel: 'noopener' }, t('admin-results:snapshots.linkPreview'));
                  return h(
                    'tr',
                    { 'data-id': snapshot.id, 'data-status': snapshot.status },
                    h('td', {}, t(`admin-results:snapshots.status.${isCurrent ? 'current' : snapshot.status}`)),
                    h('td', {}, dateTime(snapshot.createdAt)),
                    h('td', {}, snapshot.publishedAt ? dateTime(snapshot.publishedAt) : '–'),
                    h('td', {}, snapshot.questions.join(', ')),
                    h('th', { scope: 'row' }, link),
                  );
                }),
              ),
            ),
      );
    } catch (error) {
      listSlot.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, errorText(error)));
    }
  };

  const showPreview = (id: string, content: SnapshotContent) => {
    const confirmReplace = h('input', { type: 'checkbox', id: 'snapshot-replace' });
    const publish = h('button', { type: 'button', class: 'button button--primary', id: 'snapshot-publish' }, t(published ? 'admin-results:snapshots.publishReplace' : 'admin-results:snapshots.publish'));
    const discard = h('button', { type: 'button', class: 'button button--secondary', id: 'snapshot-discard' }, t('admin-results:snapshots.discard'));
    const replaceError = h('p', { class: 'field-error', id: 'snapshot-replace-error' });
    confirmReplace.setAttribute('aria-describedby', replaceError.id);
    publish.addEventListener('click', async () => {
      if (published && !confirmReplace.checked) {
        replaceError.textContent = t('admin-results:snapshots.replaceRequired');
        confirmReplace.setAttribute('aria-invalid', 'true');
        confirmReplace.focus();
        return;
      }
      publish.disabled = true;
      try {
        await api.publishSnapshot(slug(), id);
        previewSlot.replaceChildren();
        status.replaceChildren(t('admin-results:snapshots.published'), ' ', h('a', { href: `/results/${encodeURIComponent(slug())}`, id: 'snapshot-public-link' }, t('admin-results:snapshots.openPublic')));
        chosen.clear();
        texts.clear();
        renderCandidates();
        renderTexts();
        await loadList();
      } catch (error) {
        status.textContent = errorText(error);
      } finally {
        publish.disabled = false;
      }
    });
    discard.addEventListener('click', async () => {
      try {
        await api.discardSnapshot(slug(), id);
        previewSlot.replaceChildren();
        status.textContent = t('admin-results:snapshots.discarded');
        await loadList();
      } catch (error) {
        status.textContent = errorText(error);
      }
    });
    previewSlot.replaceChildren(
      h(
        'section',
        { class: 'snapshot-preview', 'aria-labelledby': 'snapshot-preview-heading', tabindex: '-1', id: 'snapshot-preview-section' },
        h('h3', { id: 'snapshot-preview-heading' }, t('admin-results:snapshots.previewHeading')),
        h('p', { class: 'notice' }, t('admin-results:snapshots.previewNotice')),
        h('p', {}, t(content.weighted ? 'admin-results:snapshots.methodWeighted' : 'admin-results:snapshots.methodUnweighted'), ' ', t('admin-results:snapshots.k', { k: content.k })),
        h('p', {}, h('a', { href: api.previewUrl(slug(), id, 'de'), target: '_blank', rel: 'noopener', id: 'snapshot-preview-page' }, t('admin-results:snapshots.previewPage'))),
        previewTables(content, locale),
        published
          ? h(
              'div',
              { class: 'snapshot-replace' },
              h('p', {}, t('admin-results:snapshots.replaceExplain', { date: dateTime(published.publishedAt!) })),
              h('div', { class: 'check-line' }, confirmReplace, h('label', { for: confirmReplace.id }, t('admin-results:snapshots.replaceConfirm'))),
              replaceError,
            )
          : null,
        h('div', { class: 'button-row' }, publish, discard),
      ),
    );
    previewSlot.querySelector<HTMLElement>('#snapshot-preview-section')!.focus();
  };

  const form = h(
    'form',
    { id: 'snapshot-form', novalidate: true, 'aria-labelledby': 'snapshot-form-heading' },
    h('h3', { id: 'snapshot-form-heading' }, t('admin-results:snapshots.formHeading')),
    fields.summary,
    fields.field('survey', t('admin-results:snapshots.survey'), surveySelect),
    h(
      'fieldset',
      {},
      h('legend', {}, t('admin-results:snapshots.how')),
      h('div', { class: 'check-line' }, byDistrict, h('label', { for: byDistrict.id }, t('admin-results:snapshots.byDistrict'))),
      h('div', { class: 'check-line' }, weighted, h('label', { for: weighted.id }, t('admin-results:snapshots.weighted'))),
      h('p', { class: 'hint' }, t('admin-results:snapshots.weightedHint')),
    ),
    h('h3', {}, t('admin-results:snapshots.questionsHeading')),
    h('p', { class: 'hint' }, t('admin-results:snapshots.questionsHint')),
    fields.groupError('questions', candidatesSlot),
    candidatesSlot,
    textsSlot,
    create,
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fields.clear();
    const questions = sections.flatMap((section) => section.items.map((item) => item.key)).filter((key) => chosen.has(key));
    if (questions.length === 0) return fields.show([{ field: 'questions', code: 'field_required', message: t('admin-results:snapshots.chooseOne') }]);
    // German is required: say so at each empty field before asking the server.
    const missing = questions.filter((key) => !texts.get(key)?.read().de);
    if (missing.length > 0) return fields.show(missing.map((key) => ({ field: `texts.${key}.de`, code: 'field_required', message: t('admin-results:text.germanRequired') })));
    create.disabled = true;
    try {
      const created = await api.createSnapshot(slug(), {
        questions,
        by: byDistrict.checked ? ['district'] : [],
        weighted: weighted.checked,
        texts: Object.fromEntries(questions.map((key) => [key, texts.get(key)!.read()])),
      });
      status.textContent = t('admin-results:snapshots.draftMade');
      await loadList();
      showPreview(created.id, created.content);
    } catch (error) {
      if (error instanceof SnapshotRefused) {
        fields.show(error.problems.map((problem) => ({ field: chosen.has(problem.question) ? `question.${problem.question}` : 'questions', code: 'snapshot_invalid', message: `${labelOf(problem.question)}: ${problem.message}` })));
      } else {
        fields.show([], errorText(error));
      }
    } finally {
      create.disabled = false;
    }
  });

  const reload = () => {
    chosen.clear();
    texts.clear();
    previewSlot.replaceChildren();
    void loadCandidates();
    void loadList();
  };
  surveySelect.addEventListener('change', reload);
  byDistrict.addEventListener('change', () => void loadCandidates());

  root.replaceChildren(
    h(
      'section',
      { 'aria-labelledby': 'results-heading', class: 'results-admin' },
      h('h2', { id: 'results-heading' }, t('admin-results:snapshots.heading')),
      h('p', { class: 'hint' }, t('admin-results:snapshots.intro')),
      status,
      form,
      previewSlot,
      listSlot,
    ),
  );

  void (async () => {
    try {
      const { surveys } = await api.surveys();
      surveySelect.replaceChildren(...surveys.map((survey) => h('option', { value: survey.slug }, surveyTitle(survey, locale))));
      reload();
    } catch (error) {
      status.textContent = errorText(error);
    }
  })();
}
