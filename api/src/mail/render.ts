import { RTL_LOCALES, type Locale } from '../shared/locales.ts';
import { CONFIRMATION_TEXTS } from './texts.ts';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

/**
 * The confirmation message: plain text and a simple HTML part with the same content, in the
 * contact's locale (right-to-left for Arabic and Farsi), with the withdrawal link. The token travels
 * in the URL fragment, which browsers never send to the server, so it cannot land in access logs.
 */
export function renderConfirmationMail(input: { locale: Locale; town: string; publicUrl: string; token: string; withdrawToken: string }): RenderedMail {
  const t = CONFIRMATION_TEXTS[input.locale];
  const body = t.body.replace('{{town}}', input.town);
  const base = input.publicUrl.replace(/\/+$/, '');
  // The page opens in the language of the message, whatever the phone's browser is set to.
  const page = `${base}/contact?lang=${encodeURIComponent(input.locale)}`;
  const confirmUrl = `${page}#confirm=${input.token}`;
  const withdrawUrl = `${page}#withdraw=${input.withdrawToken}`;
  const text = [t.greeting, '', body, confirmUrl, '', t.ignore, '', t.withdraw, withdrawUrl, ''].join('\n');
  const dir = RTL_LOCALES.has(input.locale) ? 'rtl' : 'ltr';
  const html = `<!doctype html><html lang="${input.locale}" dir="${dir}"><head><meta charset="utf-8"><title>${escapeHtml(t.subject)}</title></head><body>
<p>${escapeHtml(t.greeting)}</p>
<p>${escapeHtml(body)}</p>
<p><a href="${escapeHtml(confirmUrl)}">${escapeHtml(t.confirm)}</a></p>
<p>${escapeHtml(t.ignore)}</p>
<p>${escapeHtml(t.withdraw)} <a href="${escapeHtml(withdrawUrl)}">${escapeHtml(withdrawUrl)}</a></p>
</body></html>`;
  return { subject: t.subject, text, html };
}
