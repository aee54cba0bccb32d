import './actors.css';
import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { AnalysisRequestError, type Actor, type ActorList, type ActorValues, type AnalysisApi, type MergeResult } from './api.ts';

type Labels = ActorList['labels'];
type Suggestion = { a: Actor; b: Actor; similarity: number };

const byLabel = (labels: Record<string, string>): [string, string][] => Object.entries(labels).sort((a, b) => a[1].localeCompare(b[1]));
const messageOf = (error: unknown) => (error instanceof AnalysisRequestError ? error.message : t('loadFailed'));

function select(id: string, label: string, options: [string, string][]): { field: HTMLElement; control: HTMLSelectElement } {
  const control = h('select', { id }, ...options.map(([code, text]) => h('option', { value: code }, text)));
  return { field: h('div', { class: 'field' }, h('label', { for: id }, label), control), control };
}

/** A group of checkboxes, one per code, in a fieldset with its legend (and an error line under it). */
function checkboxGroup(id: string, legend: string, options: [string, string][]) {
  const error = h('p', { class: 'field-error', id: `${id}-error` });
  const boxes = options.map(([code, text]) => {
    const box = h('input', { type: 'checkbox', id: `${id}-${code}`, value: code });
    return { code, box, row: h('div', { class: 'choice' }, box, h('label', { for: `${id}-${code}` }, text)) };
  });
  const fieldset = h('fieldset', { class: 'actor-choices', id, 'aria-describedby': `${id}-error` }, h('legend', {}, legend), ...boxes.map((entry) => entry.row), error);
  return {
    fieldset,
    error,
    get: () => boxes.filter((entry) => entry.box.checked).map((entry) => entry.code),
    set: (codes: readonly string[]) => {
      for (const entry of boxes) entry.box.checked = codes.includes(entry.code);
    },
    first: () => boxes[0]?.box,
  };
}

/**
 * The registry of actors for staff (`/analysis#actors`): the duplicate suggestions with their
 * merges, the table of actors with filters, and the form to add or edit one. Every action's
 * outcome is said in the status line (a live region that takes the focus after a merge); a
 * refusal is shown as the server's message at the action that was refused.
 */
export async function renderActorsView(root: HTMLElement, api: AnalysisApi, locale: string): Promise<void> {
  const tag = locale === 'de-x-easy' ? 'de' : locale;
  const percent = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 });
  const dateFormat = new Intl.DateTimeFormat(tag, { dateStyle: 'medium' });

  let list: ActorList;
  try {
    list = await api.actors({ includeRetired: false });
  } catch (error) {
    root.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, messageOf(error)));
    return;
  }
  const labels: Labels = list.labels;
  const kindLabel = (code: string) => labels.kinds[code] ?? code;
  const fieldLabel = (code: string) => labels.fieldsOfAction[code] ?? code;
  const districtLabel = (code: string) => labels.districts[code] ?? code;
  let suggestions: Suggestion[] = [];

  // The status line: what the last action did. Focusable, so that the focus can land there after a merge.
  const status = h('p', { class: 'actors-status', id: 'actors-status', role: 'status', tabindex: -1 });
  const say = (text: string, options: { focus?: boolean } = {}) => {
    status.textContent = text;
    if (options.focus) status.focus();
  };

  // ---- Filters and table -------------------------------------------------------------------
  const search = h('input', { type: 'search', id: 'actors-search', autocomplete: 'off' });
  const kindFilter = select('actors-kind', t('network.kind'), [['', t('network.all')], ...byLabel(labels.kinds)]);
  const fieldFilter = select('actors-field', t('network.fieldOfAction'), [['', t('network.all')], ...byLabel(labels.fieldsOfAction)]);
  const showRetired = h('input', { type: 'checkbox', id: 'actors-show-retired' });
  const count = h('p', { class: 'actors-count', id: 'actors-count', 'aria-live': 'polite' });
  const tableBox = h('div', { class: 'actors-table-box', role: 'region', tabindex: 0, 'aria-label': t('actors.table.caption') });
  const rowErrors = new Map<string, string>();

  const nameOf = (id: string | null) => list.actors.find((actor) => actor.id === id)?.name ?? '–';
  const statusOf = (actor: Actor) =>
    actor.mergedInto
      ? t('actors.status.merged', { name: nameOf(actor.mergedInto) })
      : actor.retiredAt
        ? t('actors.status.retired', { date: dateFormat.format(new Date(actor.retiredAt)) })
        : t('actors.status.active');

  const visible = () => {
    const text = search.value.trim().toLocaleLowerCase(tag);
    return list.actors.filter(
      (actor) =>
        (!text || actor.name.toLocaleLowerCase(tag).includes(text)) &&
        (!kindFilter.control.value || actor.kind === kindFilter.control.value) &&
        (!fieldFilter.control.value || actor.fieldsOfAction.includes(fieldFilter.control.value)),
    );
  };

  const drawTable = () => {
    const shown = visible();
    count.textContent = t('actors.count', { shown: shown.length, total: list.actors.length });
    const rows = shown.map((actor) => {
      const actions = h('td', { class: 'actor-actions' });
      if (!actor.mergedInto) {
        const edit = h('button', { type: 'button', class: 'actor-edit', 'aria-label': t('actors.editLabel', { name: actor.name }) }, t('actors.edit'));
        edit.addEventListener('click', () => startEdit(actor));
        const retired = actor.retiredAt !== null;
        const toggle = h(
          'button',
          { type: 'button', class: 'actor-retire', 'aria-label': t(retired ? 'actors.reinstateLabel' : 'actors.retireLabel', { name: actor.name }) },
          t(retired ? 'actors.reinstate' : 'actors.retire'),
        );
        toggle.addEventListener('click', () => void setRetired(actor, !retired));
        actions.append(edit, ' ', toggle);
      }
      const error = rowErrors.get(actor.id);
      if (error) actions.append(h('p', { class: 'field-error', role: 'alert' }, error));
      return h(
        'tr',
        { 'data-id': actor.id, class: actor.mergedInto || actor.retiredAt ? 'actor-inactive' : null },
        h('th', { scope: 'row' }, actor.name),
        h('td', {}, kindLabel(actor.kind)),
        h('td', {}, actor.fieldsOfAction.map(fieldLabel).join(', ') || '–'),
        h('td', {}, actor.districts.map(districtLabel).join(', ') || '–'),
        h('td', {}, t(actor.isPublic ? 'actors.yes' : 'actors.no')),
        h('td', {}, statusOf(actor)),
        h('td', { class: 'number' }, String(actor.ties ?? 0)),
        h('td', { class: 'number' }, String(actor.responses ?? 0)),
        actions,
      );
    });
    const headings = [
      t('network.table.name'),
      t('network.kind'),
      t('network.details.fields'),
      t('network.details.districts'),
      t('actors.table.public'),
      t('actors.table.status'),
      t('actors.table.ties'),
      t('actors.table.responses'),
      t('actors.table.actions'),
    ];
    tableBox.replaceChildren(
      shown.length === 0
        ? h('p', {}, t('actors.noneShown'))
        : h(
            'table',
            { class: 'data-table actors-table' },
            h('caption', {}, t('actors.table.caption')),
            h('thead', {}, h('tr', {}, ...headings.map((heading) => h('th', { scope: 'col' }, heading)))),
            h('tbody', {}, ...rows),
          ),
    );
  };
  for (const control of [search, kindFilter.control, fieldFilter.control]) control.addEventListener('input', drawTable);
  /** The row's button of that class, to put the focus back where the person was. */
  const rowButton = (id: string, className: string) => tableBox.querySelector<HTMLButtonElement>(`tr[data-id="${CSS.escape(id)}"] button.${className}`);

  // ---- Duplicate suggestions -----------------------------------------------------------------
  const duplicatesBox = h('div', { class: 'actor-duplicates', id: 'actor-duplicates' });
  const drawDuplicates = () => {
    if (suggestions.length === 0) {
      duplicatesBox.replaceChildren(h('p', {}, t('actors.duplicates.none')));
      return;
    }
    duplicatesBox.replaceChildren(h('ul', {}, ...suggestions.map((suggestion) => pairItem(suggestion))));
  };

  const pairItem = (suggestion: Suggestion): HTMLElement => {
    const { a, b } = suggestion;
    const item = h('li', { class: 'actor-pair', 'data-a': a.id, 'data-b': b.id });
    const error = h('p', { class: 'field-error', role: 'alert' });
    const confirmation = h('div', { class: 'actor-merge-confirm', hidden: true });
    const mergeButton = (from: Actor, into: Actor) => {
      const button = h('button', { type: 'button', class: 'actor-merge', 'data-from': from.id, 'data-into': into.id }, t('actors.duplicates.mergeInto', { from: from.name, into: into.name }));
      button.addEventListener('click', () => void askToMerge(from, into, button));
      return button;
    };
    const askToMerge = async (from: Actor, into: Actor, opener: HTMLButtonElement) => {
      error.textContent = '';
      // What moves: the duplicate's ties, less those to the other (dropped), and its response links.
      let detail: Awaited<ReturnType<AnalysisApi['actor']>>;
      try {
        detail = await api.actor(from.id);
      } catch (failure) {
        error.textContent = messageOf(failure);
        return;
      }
      const between = detail.ties.filter((tie) => tie.fromActorId === into.id || tie.toActorId === into.id).length;
      const question = h(
        'p',
        { id: `merge-question-${from.id}`, tabindex: -1 },
        t('actors.duplicates.confirm', { from: from.name, into: into.name, ties: detail.ties.length - between, responses: detail.responses.length, between }),
      );
      const yes = h('button', { type: 'button', class: 'button--primary actor-merge-yes', 'aria-describedby': question.id }, t('actors.duplicates.confirmButton'));
      const no = h('button', { type: 'button', class: 'actor-merge-no' }, t('actors.duplicates.cancel'));
      no.addEventListener('click', () => {
        confirmation.hidden = true;
        confirmation.replaceChildren();
        opener.focus();
      });
      yes.addEventListener('click', () => void merge(from, into, yes, error));
      confirmation.replaceChildren(question, h('div', { class: 'actor-merge-buttons' }, yes, ' ', no));
      confirmation.hidden = false;
      yes.focus();
    };
    item.append(
      h('p', { class: 'actor-pair-names' }, h('strong', {}, t('actors.duplicates.pair', { a: a.name, b: b.name })), ' ', h('span', { class: 'actor-similarity' }, t('actors.duplicates.similarity', { percent: percent.format(suggestion.similarity) }))),
      h('div', { class: 'actor-merge-buttons' }, mergeButton(a, b), ' ', mergeButton(b, a)),
      confirmation,
      error,
    );
    return item;
  };

  const reload = async () => {
    const [fresh, duplicates] = await Promise.all([api.actors({ includeRetired: showRetired.checked }), api.actorDuplicates()]);
    list = fresh;
    suggestions = duplicates.suggestions;
    drawTable();
    drawDuplicates();
  };
  showRetired.addEventListener('change', () => void reload().catch((error: unknown) => say(messageOf(error))));

  const merge = async (from: Actor, into: Actor, button: HTMLButtonElement, error: HTMLElement) => {
    button.disabled = true;
    let result: MergeResult;
    try {
      result = await api.mergeActor(from.id, into.id);
    } catch (failure) {
      button.disabled = false;
      error.textContent = messageOf(failure);
      // The refusal is said at the action (an alert); the focus stays there to try again or cancel.
      button.focus();
      return;
    }
    try {
      await reload();
    } catch (failure) {
      say(messageOf(failure), { focus: true });
      return;
    }
    say(
      t('actors.duplicates.merged', {
        from: from.name,
        into: result.into.name,
        tiesMoved: result.tiesMoved,
        responsesMoved: result.responsesMoved,
        tiesBetweenDroppedAsSelf: result.tiesBetweenDroppedAsSelf,
        tiesDroppedAsRepeat: result.tiesDroppedAsRepeat,
      }),
      { focus: true },
    );
  };

  const setRetired = async (actor: Actor, retired: boolean) => {
    rowErrors.delete(actor.id);
    try {
      await api.setActorRetired(actor.id, retired);
      await reload();
    } catch (failure) {
      rowErrors.set(actor.id, messageOf(failure));
      drawTable();
      rowButton(actor.id, 'actor-retire')?.focus();
      return;
    }
    say(t(retired ? 'actors.retiredDone' : 'actors.reinstated', { name: actor.name }));
    // Still in the table (retired ones shown): back to its button; else to the status line.
    const button = rowButton(actor.id, 'actor-retire');
    if (button) button.focus();
    else status.focus();
  };

  // ---- Add / edit form ---------------------------------------------------------------------
  let editing: Actor | null = null;
  const formHeading = h('h3', { id: 'actor-form-heading' }, t('actors.form.addHeading'));
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: -1, hidden: true });
  const nameError = h('p', { class: 'field-error', id: 'actor-name-error' });
  const nameInput = h('input', { type: 'text', id: 'actor-name', maxlength: 200, required: true, autocomplete: 'off', 'aria-describedby': 'actor-name-hint actor-name-error' });
  const kindError = h('p', { class: 'field-error', id: 'actor-kind-error' });
  const kindInput = h('select', { id: 'actor-kind', required: true, 'aria-describedby': 'actor-kind-error' }, h('option', { value: '' }, t('actors.form.chooseKind')), ...byLabel(labels.kinds).map(([code, text]) => h('option', { value: code }, text)));
  const fields = checkboxGroup('actor-fields', t('network.details.fields'), byLabel(labels.fieldsOfAction));
  const districts = checkboxGroup('actor-districts', t('network.details.districts'), Object.entries(labels.districts));
  const publicBox = h('input', { type: 'checkbox', id: 'actor-public' });
  const submit = h('button', { type: 'submit', class: 'button--primary' }, t('actors.form.add'));
  const cancel = h('button', { type: 'button', hidden: true }, t('actors.form.cancel'));
  const form = h(
    'form',
    { class: 'actor-form', novalidate: true, 'aria-labelledby': 'actor-form-heading' },
    summary,
    h('div', { class: 'form-field' }, h('label', { for: 'actor-name' }, t('actors.form.name')), h('p', { class: 'hint', id: 'actor-name-hint' }, t('actors.form.nameHint')), nameInput, nameError),
    h('div', { class: 'form-field' }, h('label', { for: 'actor-kind' }, t('network.kind')), kindInput, kindError),
    fields.fieldset,
    districts.fieldset,
    h('div', { class: 'choice' }, publicBox, h('label', { for: 'actor-public' }, t('actors.form.public'))),
    h('div', { class: 'actor-form-buttons' }, submit, ' ', cancel),
  );

  const errorSlots: Record<string, { error: HTMLElement; control: HTMLElement | undefined }> = {
    name: { error: nameError, control: nameInput },
    kind: { error: kindError, control: kindInput },
    fieldsOfAction: { error: fields.error, control: fields.fieldset },
    districts: { error: districts.error, control: districts.fieldset },
  };
  const clearErrors = () => {
    summary.hidden = true;
    summary.replaceChildren();
    for (const slot of Object.values(errorSlots)) {
      slot.error.textContent = '';
      slot.control?.removeAttribute('aria-invalid');
    }
  };
  const showErrors = (failure: unknown) => {
    const problems = failure instanceof AnalysisRequestError ? failure.fields : [];
    const rest: string[] = problems.length === 0 ? [messageOf(failure)] : [];
    let first: HTMLElement | null = null;
    for (const problem of problems) {
      const slot = errorSlots[problem.field.split('.')[0]!];
      if (!slot) {
        rest.push(problem.message);
        continue;
      }
      slot.error.textContent = problem.message;
      slot.control?.setAttribute('aria-invalid', 'true');
      first ??= slot.control === fields.fieldset ? (fields.first() ?? null) : slot.control === districts.fieldset ? (districts.first() ?? null) : (slot.control ?? null);
    }
    if (rest.length > 0) {
      summary.replaceChildren(...rest.map((text) => h('p', {}, text)));
      summary.hidden = false;
      summary.focus();
    } else first?.focus();
  };

  const fillForm = (actor: Actor | null) => {
    editing = actor;
    clearErrors();
    nameInput.value = actor?.name ?? '';
    kindInput.value = actor?.kind ?? '';
    fields.set(actor?.fieldsOfAction ?? []);
    districts.set(actor?.districts ?? []);
    publicBox.checked = actor?.isPublic ?? false;
    formHeading.textContent = actor ? t('actors.form.editHeading', { name: actor.name }) : t('actors.form.addHeading');
    submit.textContent = actor ? t('actors.form.save') : t('actors.form.add');
    cancel.hidden = !actor;
  };
  const startEdit = (actor: Actor) => {
    fillForm(actor);
    nameInput.focus();
  };
  cancel.addEventListener('click', () => {
    const was = editing;
    fillForm(null);
    const button = was ? rowButton(was.id, 'actor-edit') : null;
    if (button) button.focus();
    else nameInput.focus();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void save();
  });
  const save = async () => {
    clearErrors();
    const values: ActorValues = { name: nameInput.value, kind: kindInput.value, fieldsOfAction: fields.get(), districts: districts.get(), isPublic: publicBox.checked };
    const wasEditing = editing;
    let saved: Actor;
    submit.disabled = true;
    try {
      saved = (wasEditing ? await api.editActor(wasEditing.id, values) : await api.createActor(values)).actor;
    } catch (failure) {
      showErrors(failure);
      return;
    } finally {
      submit.disabled = false;
    }
    fillForm(null);
    try {
      await reload();
    } catch (failure) {
      say(messageOf(failure), { focus: true });
      return;
    }
    say(t(wasEditing ? 'actors.saved' : 'actors.added', { name: saved.name }));
    // Back to the row edited (or the new one), where the person can check it; else the status line.
    const button = rowButton(saved.id, 'actor-edit');
    if (button) button.focus();
    else status.focus();
  };

  root.replaceChildren(
    h(
      'section',
      { class: 'actors', 'aria-labelledby': 'actors-heading' },
      h('h2', { id: 'actors-heading' }, t('actors.heading')),
      h('p', { class: 'hint' }, t('actors.intro')),
      status,
      h('section', { 'aria-labelledby': 'duplicates-heading' }, h('h3', { id: 'duplicates-heading' }, t('actors.duplicates.heading')), h('p', { class: 'hint' }, t('actors.duplicates.intro')), duplicatesBox),
      h(
        'section',
        { 'aria-labelledby': 'actors-list-heading' },
        h('h3', { id: 'actors-list-heading' }, t('actors.listHeading')),
        h(
          'fieldset',
          { class: 'network-filters' },
          h('legend', {}, t('actors.filters')),
          h('div', { class: 'field' }, h('label', { for: 'actors-search' }, t('actors.search')), search),
          kindFilter.field,
          fieldFilter.field,
          h('div', { class: 'choice' }, showRetired, h('label', { for: 'actors-show-retired' }, t('actors.showRetired'))),
        ),
        count,
        tableBox,
      ),
      h('section', { class: 'actor-form-section', 'aria-labelledby': 'actor-form-heading' }, formHeading, form),
    ),
  );
  drawTable();
  try {
    suggestions = (await api.actorDuplicates()).suggestions;
  } catch (error) {
    duplicatesBox.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, messageOf(error)));
    return;
  }
  drawDuplicates();
}
