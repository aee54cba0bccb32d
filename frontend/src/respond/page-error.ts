import { t } from '../i18n/index.ts';
import { byId } from '../shared/dom.ts';

/** Replaces the page with one message and one way on (the start page, or a reload). */
export function showPageError(messageKey: string, action: 'home' | 'reload'): void {
  for (const id of ['welcome', 'survey-stage', 'thank-you']) byId(id).hidden = true;
  const section = byId('page-error');
  const message = byId('page-error-message');
  message.setAttribute('data-i18n', messageKey);
  message.textContent = t(messageKey);
  const link = byId<HTMLAnchorElement>('page-error-action');
  const linkKey = action === 'home' ? 'respond:errors.toStart' : 'respond:errors.reload';
  link.setAttribute('data-i18n', linkKey);
  link.textContent = t(linkKey);
  link.href = action === 'home' ? '/' : location.href;
  section.hidden = false;
  message.focus();
}
