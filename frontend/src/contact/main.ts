import '../styles/base.css';
import { initI18n, t, translateDocument, currentLocale } from '../i18n/index.ts';
import { byId, h } from '../shared/dom.ts';
import { requestJson, serverMessage } from '../shared/http.ts';
import { chooseLocaleForThisPage } from '../shared/locale-choice.ts';

/**
 * The page the links in our messages open: `/contact#confirm=<token>` confirms the e-mail address,
 * `/contact#withdraw=<token>` offers to delete the contact. The token is read from the fragment,
 * which the browser never sends, and POSTed, so it reaches no access log; then it is taken out of
 * the address bar.
 */
async function start(): Promise<void> {
  await initI18n(chooseLocaleForThisPage(), ['contact', 'common']);
  translateDocument();
  const view = byId('contact-view');
  const fragment = new URLSearchParams(location.hash.slice(1));
  history.replaceState(null, '', location.pathname + location.search);
  // A second link opened in the same tab changes only the fragment: read it afresh.
  window.addEventListener('hashchange', () => location.reload());
  const say = (text: string, alert = false) => view.replaceChildren(h('p', alert ? { role: 'alert' } : { role: 'status' }, text));
  const post = async (path: string, token: string) => {
    const answer = await requestJson('POST', `/api/contacts/${path}`, { body: { token }, locale: currentLocale() });
    return answer.ok ? null : (serverMessage(answer.body) ?? t('failed'));
  };

  const confirmToken = fragment.get('confirm');
  const withdrawToken = fragment.get('withdraw');
  if (confirmToken) {
    say(t('confirming'));
    const problem = await post('confirm', confirmToken).catch(() => t('failed'));
    say(problem ?? t('confirmed'), problem !== null);
  } else if (withdrawToken) {
    const button = h('button', { type: 'button', class: 'button' }, t('withdrawButton'));
    button.addEventListener('click', async () => {
      button.disabled = true;
      const problem = await post('withdraw', withdrawToken).catch(() => t('failed'));
      say(problem ?? t('withdrawn'), problem !== null);
    });
    view.replaceChildren(h('p', {}, t('withdrawQuestion')), button);
  } else {
    say(t('noLink'), true);
  }
}

void start().catch(() => {
  byId('contact-view').textContent = t('common:unexpectedError');
});
