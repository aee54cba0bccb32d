import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { AdminRequestError, type AdminApi, type TargetGroupView } from './api.ts';
import { FieldSet, statusLine, textInput } from './form-fields.ts';

const CHECK_DELAY_MS = 400;

/** Target-group rules: list, add, edit, delete; the expression is checked by the server as it is typed. */
export function renderTargetGroupsSection(root: HTMLElement, api: AdminApi): void {
  const status = statusLine('target-groups-status');
  const listSlot = h('div', { id: 'target-group-list' });
  const fields = new FieldSet('rule');
  const code = textInput();
  const labelDe = textInput();
  const labelEn = textInput();
  const expression = h('textarea', { rows: 2, spellcheck: false });
  const live = h('p', { id: 'rule-check', class: 'hint', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, t('admin:targetGroups.save'));
  let editing: string | null = null;
  const form = h('form', { id: 'rule-form', novalidate: true, 'aria-labelledby': 'rule-form-heading' },
    h('h3', { id: 'rule-form-heading' }, t('admin:targetGroups.formHeading')),
    fields.summary,
    fields.field('code', t('admin:targetGroups.code'), code, { hint: t('admin:targetGroups.codeHint') }),
    fields.field('label.default', t('admin:targetGroups.labelDe'), labelDe),
    fields.field('label.en', t('admin:targetGroups.labelEn'), labelEn),
    fields.field('expression', t('admin:targetGroups.expression'), expression, { hint: t('admin:targetGroups.expressionHint') }),
    live,
    submit);
  const expressionError = () => form.querySelector<HTMLElement>('#rule-expression-error')!;

  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  const checkNow = async () => {
    const mine = ++asked;
    const text = expression.value.trim();
    if (!text) {
      live.textContent = '';
      return;
    }
    try {
      const result = await api.checkRule(text);
      if (mine !== asked) return; // a later keystroke has its own answer coming
      expressionError().textContent = result.valid ? '' : result.message;
      if (result.valid) expression.removeAttribute('aria-invalid');
      else expression.setAttribute('aria-invalid', 'true');
      live.textContent = !result.valid ? '' : result.matches === 0 ? t('admin:targetGroups.matchesNone')
        : result.atThreshold ? t('admin:targetGroups.matchesFew', { k: result.k }) : t('admin:targetGroups.matches', { count: result.matches });
    } catch {
      live.textContent = '';
    }
  };
  expression.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void checkNow(), CHECK_DELAY_MS);
  });

  const resetForm = () => {
    editing = null;
    code.disabled = false;
    for (const input of [code, labelDe, labelEn]) input.value = '';
    expression.value = '';
    live.textContent = '';
    fields.clear();
  };

  const load = async () => {
    try {
      const { targetGroups } = await api.targetGroups();
      listSlot.replaceChildren(targetGroups.length === 0 ? h('p', {}, t('admin:targetGroups.none')) : h('table', { class: 'data-table', id: 'target-group-table', tabindex: '0' },
        h('caption', {}, t('admin:targetGroups.caption')),
        h('thead', {}, h('tr', {}, ...['code', 'label', 'expression', 'actions'].map((col) => h('th', { scope: 'col' }, t(`admin:targetGroups.col.${col}`))))),
        h('tbody', {}, ...targetGroups.map((group) => {
          const edit = h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'edit' }, t('admin:targetGroups.edit'));
          const remove = h('button', { type: 'button', class: 'button button--secondary', 'data-action': 'delete' }, t('admin:targetGroups.delete'));
          edit.addEventListener('click', () => {
            resetForm();
            editing = group.code;
            code.value = group.code;
            code.disabled = true;
            labelDe.value = group.label.default ?? '';
            labelEn.value = group.label.en ?? '';
            expression.value = group.expression;
            void checkNow();
            expression.focus();
          });
          remove.addEventListener('click', async () => {
            if (!confirm(t('admin:targetGroups.confirmDelete', { code: group.code }))) return;
            try {
              await api.deleteTargetGroup(group.code);
              status.textContent = t('admin:targetGroups.deleted', { code: group.code });
              await load();
            } catch (error) {
              status.textContent = error instanceof Error ? error.message : t('admin:loadFailed');
            }
          });
          return h('tr', { 'data-code': group.code }, h('td', {}, h('code', {}, group.code)), h('th', { scope: 'row' }, group.label.default ?? group.code),
            h('td', {}, h('code', { lang: 'en' }, group.expression)), h('td', {}, h('div', { class: 'button-row' }, edit, remove)));
        }))));
    } catch (error) {
      listSlot.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, error instanceof Error ? error.message : t('admin:loadFailed')));
    }
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fields.clear();
    const label: Record<string, string> = { default: labelDe.value.trim() };
    if (labelEn.value.trim()) label.en = labelEn.value.trim();
    if (!label.default) return fields.show([{ field: 'label.default', code: 'field_required', message: t('admin:required') }]);
    submit.disabled = true;
    try {
      const result = editing
        ? await api.updateTargetGroup(editing, { label, expression: expression.value.trim() })
        : await api.createTargetGroup({ code: code.value.trim(), label, expression: expression.value.trim() });
      status.textContent = t('admin:targetGroups.saved', { code: result.targetGroup.code, changed: result.recompute?.changed ?? 0 });
      resetForm();
      await load();
    } catch (error) {
      // The server names the rule's problem (a broken expression, a code in use) in one message.
      const message = error instanceof AdminRequestError || error instanceof Error ? error.message : t('admin:loadFailed');
      const field = error instanceof AdminRequestError && error.code === 'invalid_target_group_expression' ? 'expression' : 'code';
      fields.show([{ field, code: 'invalid', message }]);
    } finally {
      submit.disabled = false;
    }
  });

  const recompute = h('button', { type: 'button', class: 'button button--secondary', id: 'target-groups-recompute' }, t('admin:targetGroups.recompute'));
  recompute.addEventListener('click', async () => {
    try {
      const { recompute: done } = await api.recomputeTargetGroups();
      status.textContent = t('admin:targetGroups.recomputed', { examined: done.examined, changed: done.changed });
    } catch (error) {
      status.textContent = error instanceof Error ? error.message : t('admin:loadFailed');
    }
  });

  root.replaceChildren(h('section', { 'aria-labelledby': 'targetGroups-heading' },
    h('h2', { id: 'targetGroups-heading' }, t('admin:targetGroups.heading')),
    h('p', { class: 'hint' }, t('admin:targetGroups.intro')),
    status,
    listSlot,
    recompute,
    form));
  void load();
}
