import { currentLocale, t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { AdminRequestError, type AdminApi, type AuditPage } from './api.ts';
import { FieldSet, textInput } from './form-fields.ts';

/** The period's ends as the admin means them: local midnight, the end day included. */
const startOfDay = (value: string) => (value ? new Date(`${value}T00:00`).toISOString() : undefined);
const endOfDay = (value: string) => {
  if (!value) return undefined;
  const next = new Date(`${value}T00:00`);
  next.setDate(next.getDate() + 1);
  return next.toISOString();
};
const formatMoment = (iso: string) => new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));

/** Who did what when: the audit log, filtered and a page at a time. */
export function renderAuditSection(root: HTMLElement, api: AdminApi): void {
  const fields = new FieldSet('audit');
  const action = h('select', {}, h('option', { value: '' }, t('admin:audit.anyAction')));
  const actor = h('select', {}, h('option', { value: '' }, t('admin:audit.anyActor')), h('option', { value: 'system' }, t('admin:audit.system')));
  const from = textInput('', 'date');
  const to = textInput('', 'date');
  const form = h('form', { id: 'audit-filter', class: 'audit-filter', novalidate: true, 'aria-label': t('admin:audit.filter') },
    fields.summary,
    fields.field('action', t('admin:audit.action'), action),
    fields.field('actor', t('admin:audit.actor'), actor),
    fields.field('from', t('admin:audit.from'), from),
    fields.field('to', t('admin:audit.to'), to),
    h('button', { type: 'submit', class: 'button button--secondary' }, t('admin:audit.apply')));
  const tableSlot = h('div', { id: 'audit-table-slot', 'aria-live': 'polite' });
  let page = 1;
  let choicesFilled = false;

  const fillChoices = (result: AuditPage) => {
    if (choicesFilled) return;
    choicesFilled = true;
    // Whole groups first (`export.`: every export), then each action.
    const groups = [...new Set(result.actions.map((name) => name.slice(0, name.indexOf('.') + 1)).filter(Boolean))];
    for (const group of groups) action.append(h('option', { value: group }, t('admin:audit.group', { group: group.slice(0, -1) })));
    for (const name of result.actions) action.append(h('option', { value: name }, name));
    for (const account of result.actors) actor.append(h('option', { value: account.id }, account.email));
  };

  const load = async () => {
    fields.clear();
    try {
      const result = await api.audit({ action: action.value, actor: actor.value, from: startOfDay(from.value), to: endOfDay(to.value), page });
      fillChoices(result);
      const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
      const pager = (label: string, target: number, enabled: boolean, name: string) => {
        const button = h('button', { type: 'button', class: 'button button--secondary', 'data-action': name, disabled: !enabled }, label);
        button.addEventListener('click', () => {
          page = target;
          void load();
        });
        return button;
      };
      tableSlot.replaceChildren(
        h('p', { id: 'audit-count' }, t('admin:audit.count', { count: result.total, page: result.page, pages })),
        // Focusable: on a tablet the table scrolls sideways, and a keyboard must be able to scroll it.
        result.entries.length === 0 ? h('p', {}, t('admin:audit.none')) : h('table', { class: 'data-table', id: 'audit-table', tabindex: '0' },
          h('caption', {}, t('admin:audit.caption')),
          h('thead', {}, h('tr', {}, ...['at', 'actor', 'action', 'target', 'details'].map((col) => h('th', { scope: 'col' }, t(`admin:audit.col.${col}`))))),
          h('tbody', {}, ...result.entries.map((entry) => h('tr', { 'data-action': entry.action },
            h('td', {}, h('time', { datetime: entry.at }, formatMoment(entry.at))),
            h('td', {}, entry.actorEmail ?? (entry.actorId ? t('admin:audit.deletedAccount') : t('admin:audit.system'))),
            h('td', {}, h('code', {}, entry.action)),
            h('td', {}, entry.target ?? ''),
            h('td', { class: 'text' }, h('code', { class: 'audit-details' }, JSON.stringify(entry.details))))))),
        h('div', { class: 'button-row' }, pager(t('admin:audit.previous'), page - 1, page > 1, 'previous'), pager(t('admin:audit.next'), page + 1, page < pages, 'next')));
    } catch (error) {
      if (error instanceof AdminRequestError && error.fieldErrors.length > 0) fields.show(error.fieldErrors, error.message);
      else tableSlot.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, error instanceof Error ? error.message : t('admin:loadFailed')));
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    page = 1;
    void load();
  });
  root.replaceChildren(h('section', { 'aria-labelledby': 'audit-heading' },
    h('h2', { id: 'audit-heading' }, t('admin:audit.heading')),
    h('p', { class: 'hint' }, t('admin:audit.intro')),
    form,
    tableSlot));
  void load();
}
