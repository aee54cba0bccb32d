import { t } from '../../i18n/index.ts';
import type { AppContext } from '../app-context.ts';
import { formatBytes, formatDateTime } from '../format.ts';
import { persistenceState, storageEstimate } from '../../shared/offline/storage-persistence.ts';
import type { SyncOutcome } from '../store/types.ts';
import { actionButton, el } from './dom.ts';

export function outcomeMessage(outcome: SyncOutcome): string {
  switch (outcome.kind) {
    case 'ok':
      return t('sync.ok', { stored: outcome.stored, rejected: outcome.rejected });
    case 'nothing-to-do':
      return t('sync.nothingToDo');
    case 'offline':
      return t('sync.offline');
    case 'login-required':
      return t('sync.loginRequired');
    case 'forbidden':
      return t('sync.forbidden');
    case 'server-error':
      return t('sync.serverError', { status: outcome.status });
  }
}

/**
 * The always-visible state of the tablet: connection, who is signed in, what waits for the
 * upload, the last sync, and whether the browser promised to keep the data.
 */
export class StatusPanel {
  private readonly connection = el('span', { class: 'connection', id: 'connection-state' });
  private readonly account = el('div', { class: 'account' });
  private readonly waiting = el('span', { class: 'waiting', id: 'sync-waiting' });
  private readonly lastSync = el('span', { class: 'last-sync' });
  private readonly syncMessage = el('p', { class: 'sync-message', id: 'sync-message', role: 'status' });
  private readonly storage = el('p', { class: 'storage-state', id: 'storage-state' });
  private readonly syncButton: HTMLButtonElement;
  private readonly update = el('div', { class: 'update-banner', hidden: true, role: 'status' });

  constructor(
    private readonly context: AppContext,
    private readonly root: HTMLElement,
    private readonly onLogout: () => Promise<void>,
  ) {
    this.syncButton = actionButton(t('sync.now'), async () => {
      const outcome = await this.context.sync.run();
      this.syncMessage.textContent = outcomeMessage(outcome);
    }, { id: 'sync-now' });
    root.replaceChildren(
      el('div', { class: 'status-row' }, this.connection, this.account),
      el('div', { class: 'status-row' }, this.waiting, this.syncButton, this.lastSync),
      this.syncMessage,
      this.storage,
      this.update,
    );
    window.addEventListener('online', () => void this.refresh());
    window.addEventListener('offline', () => void this.refresh());
    context.sync.onChange(() => void this.refresh());
    context.session.onChange(() => void this.refresh());
  }

  /** Shows a message in the live region (screen readers read it out). */
  say(message: string): void {
    this.syncMessage.textContent = message;
  }

  showUpdate(activate: () => void): void {
    this.update.hidden = false;
    this.update.replaceChildren(el('span', {}, t('update.ready')), actionButton(t('update.apply'), activate, { class: 'primary' }));
  }

  async refresh(): Promise<void> {
    const locale = this.context.uiLocale();
    const online = navigator.onLine;
    this.connection.textContent = online ? t('connection.online') : t('connection.offline');
    this.connection.dataset.online = String(online);

    const session = this.context.session.current;
    this.account.replaceChildren(
      ...(session
        ? [
            el('span', {}, t('login.signedInAs', { email: session.user.email })),
            session.expired
              ? el('a', { href: '#/login', class: 'button primary', id: 'login-again' }, t('login.again'))
              : null,
            actionButton(t('login.logout'), this.onLogout, { id: 'logout' }),
          ].filter((node): node is HTMLElement => node !== null)
        : []),
    );

    const [waiting, status] = await Promise.all([this.context.sync.waitingCount(), this.context.sync.status()]);
    this.waiting.textContent = t('sync.waiting', { count: waiting });
    this.waiting.dataset.count = String(waiting);
    this.syncButton.disabled = this.context.sync.isRunning || !session;
    this.syncButton.textContent = this.context.sync.isRunning ? t('sync.running') : t('sync.now');
    this.lastSync.textContent = status.lastSuccessAt ? t('sync.lastSuccess', { date: formatDateTime(status.lastSuccessAt, locale) }) : '';
    if (!this.context.sync.isRunning && status.lastOutcome && status.lastOutcome.kind !== 'nothing-to-do') {
      this.syncMessage.textContent = outcomeMessage(status.lastOutcome);
    }

    const [persistence, estimate] = await Promise.all([persistenceState(), storageEstimate()]);
    const persistenceText =
      persistence === 'persisted' ? t('storage.persisted') : persistence === 'not-persisted' ? t('storage.notPersisted') : t('storage.unsupported');
    this.storage.dataset.persisted = String(persistence === 'persisted');
    this.storage.textContent = estimate
      ? `${persistenceText} ${t('storage.usage', { used: formatBytes(estimate.usage, locale), quota: formatBytes(estimate.quota, locale) })}`
      : persistenceText;
  }
}
