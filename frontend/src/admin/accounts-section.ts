import { ROLES } from '../../../api/src/shared/roles.ts';
import { t } from '../i18n/index.ts';
import { h } from '../shared/dom.ts';
import { AdminRequestError, type AdminApi, type StaffAccount } from './api.ts';
import { FieldSet, statusLine, textInput } from './form-fields.ts';

/**
 * The one-time link, shown once: the admin hands it over in person or by phone (no password ever
 * travels by email). Selected on focus so it can be copied without a clipboard permission.
 */
function linkPanel(path: string, email: string): HTMLElement {
  const url = `${location.origin}${path}`;
  const field = h('input', { type: 'text', id: 'setup-link', readonly: true, value: url, class: 'setup-link' });
  field.addEventListener('focus', () => field.select());
  const copy = h('button', { type: 'button', class: 'button button--secondary' }, t('admin:accounts.copy'));
  copy.addEventListener('click', () => {
    field.select();
    void navigator.clipboard?.writeText(url).catch(() => {});
  });
  return h(
    'div',
    { class: 'success', role: 'status', id: 'setup-link-panel' },
    h('p', {}, t('admin:accounts.linkFor', { email })),
    h('label', { for: 'setup-link' }, t('admin:accounts.link')),
    field,
    copy,
    h('p', { class: 'hint' }, t('admin:accounts.linkOnce')),
  );
}

/** Staff accounts: invite (one-time link), role, disable/enable, password reset, sign out everywhere. */
export function renderAccountsSection(root: HTMLElement, api: AdminApi, myId: string): void {
  const status = statusLine('accounts-status');
  const linkSlot = h('div', {});
  const listSlot = h('div', { id: 'account-list' });
  const problem = (error: unknown) => {
    status.textContent = '';
    linkSlot.replaceChildren(h('p', { class: 'field-error', role: 'alert' }, error instanceof Error ? error.message : t('admin:loadFailed')));
  };

  const load = async () => {
    try {
      renderList((await api.users()).users);
    } catch (error) {
      problem(error);
    }
  };
  const act = async (work: () => Promise<unknown>, done: string) => {
    linkSlot.replaceChildren();
    try {
      await work();
      status.textContent = done;
      await load();
    } catch (error) {
      problem(error);
    }
  };

  function renderList(users: StaffAccount[]): void {
    const head = ['email', 'name', 'role', 'state', 'actions'].map((key) => h('th', { scope: 'col' }, t(`admin:accounts.col.${key}`)));
    const rows = users.map((user) => {
      const roleSelect = h('select', { id: `role-${user.id}`, 'aria-label': t('admin:accounts.roleOf', { email: user.email }) },
        ...ROLES.map((role) => h('option', { value: role, selected: role === user.role }, t(`admin:role.${role}`))));
      const button = (label: string, onClick: () => void, action: string) => {
        const element = h('button', { type: 'button', class: 'button button--secondary small', 'data-action': action, 'aria-label': `${label}: ${user.email}` }, label);
        element.addEventListener('click', onClick);
        return element;
      };
      const actions = [
        button(t('admin:accounts.saveRole'), () => void act(() => api.setRole(user.id, roleSelect.value), t('admin:accounts.roleChanged', { email: user.email })), 'role'),
        button(user.disabled ? t('admin:accounts.enable') : t('admin:accounts.disable'), () =>
          void act(() => api.setDisabled(user.id, !user.disabled), user.disabled ? t('admin:accounts.enabled', { email: user.email }) : t('admin:accounts.disabledDone', { email: user.email })), 'disable'),
        button(t('admin:accounts.reset'), async () => {
          try {
            const { setPasswordPath } = await api.resetPassword(user.id);
            status.textContent = t('admin:accounts.resetDone', { email: user.email });
            linkSlot.replaceChildren(linkPanel(setPasswordPath, user.email));
            if (user.id === myId) location.reload();
          } catch (error) {
            problem(error);
          }
        }, 'reset'),
        button(t('admin:accounts.signOut'), async () => {
          try {
            const { sessionsEnded } = await api.signOutEverywhere(user.id);
            status.textContent = t('admin:accounts.signedOut', { email: user.email, count: sessionsEnded });
            if (user.id === myId) location.reload();
          } catch (error) {
            problem(error);
          }
        }, 'sign-out'),
      ];
      return h('tr', { 'data-email': user.email },
        h('th', { scope: 'row' }, user.email),
        h('td', { class: 'text' }, user.displayName ?? ''),
        h('td', {}, roleSelect),
        h('td', { class: 'state' }, user.disabled ? t('admin:accounts.stateDisabled') : t('admin:accounts.stateActive')),
        h('td', { class: 'actions' }, ...actions));
    });
    listSlot.replaceChildren(h('table', { class: 'data-table', id: 'account-table' }, h('caption', {}, t('admin:accounts.listCaption')), h('thead', {}, h('tr', {}, ...head)), h('tbody', {}, ...rows)));
  }

  const fields = new FieldSet('invite');
  const email = textInput('', 'email');
  email.autocomplete = 'off';
  const displayName = textInput('');
  const role = h('select', {}, ...ROLES.map((value) => h('option', { value, selected: value === 'analyst' }, t(`admin:role.${value}`))));
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, t('admin:accounts.invite'));
  const form = h('form', { id: 'invite-form', novalidate: true, 'aria-labelledby': 'invite-heading' },
    h('h3', { id: 'invite-heading' }, t('admin:accounts.inviteHeading')),
    h('p', { class: 'hint' }, t('admin:accounts.inviteIntro')),
    fields.summary,
    fields.field('email', `${t('admin:accounts.email')} (${t('admin:required')})`, email),
    fields.field('displayName', t('admin:accounts.displayName'), displayName),
    fields.field('role', t('admin:accounts.role'), role),
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fields.clear();
    linkSlot.replaceChildren();
    status.textContent = '';
    submit.disabled = true;
    try {
      const address = email.value.trim();
      const created = await api.invite({ email: address, role: role.value, ...(displayName.value.trim() ? { displayName: displayName.value.trim() } : {}) });
      linkSlot.replaceChildren(linkPanel(created.setPasswordPath, address));
      email.value = '';
      displayName.value = '';
      await load();
    } catch (error) {
      if (error instanceof AdminRequestError) {
        const onEmail = error.code === 'email_taken' ? [{ field: 'email', code: error.code, message: error.message }] : error.fieldErrors;
        fields.show(onEmail, error.message);
      } else fields.show([], t('admin:loadFailed'));
    } finally {
      submit.disabled = false;
    }
  });

  root.replaceChildren(h('section', { 'aria-labelledby': 'accounts-heading' },
    h('h2', { id: 'accounts-heading' }, t('admin:accounts.heading')),
    status,
    linkSlot,
    listSlot,
    form));
  void load();
}
