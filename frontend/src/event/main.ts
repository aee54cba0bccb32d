import '../styles/base.css';
import { LOCALE_NATIVE_NAMES, SUPPORTED_LOCALES, type Locale } from '../../../api/src/shared/locales.ts';
import { currentLocale, initI18n, t, translateDocument } from '../i18n/index.ts';
import { byId, h } from '../shared/dom.ts';
import { requestJson, serverMessage } from '../shared/http.ts';
import { intlLocale } from '../shared/intl-locale.ts';
import { chooseLocaleForThisPage } from '../shared/locale-choice.ts';

interface ShownEvent {
  slug: string;
  title: Record<string, string>;
  description: Record<string, string>;
  placeName: string;
  placeAddress: string | null;
  stepFree: boolean;
  hearingLoop: boolean;
  accessibleToilet: boolean;
  accessibilityNotes: Record<string, string>;
  startsAt: string;
  endsAt: string;
  interpretation: string[];
}

const inLocale = (text: Record<string, string>, locale: Locale) => text[locale] || text.de || '';

/**
 * The page the links in event messages open: `/event#invite=<token>` shows the event and lets the
 * person accept (with consent and needs) or decline; `/event#cancel=<token>` cancels a registration.
 * As on /contact, the token is read from the fragment (never sent by the browser), POSTed, and taken
 * out of the address bar; the page's language comes from `?lang=` in the link.
 */
async function start(): Promise<void> {
  await initI18n(chooseLocaleForThisPage(), ['event', 'common']);
  translateDocument();
  const locale = currentLocale();
  const view = byId('event-view');
  const fragment = new URLSearchParams(location.hash.slice(1));
  history.replaceState(null, '', location.pathname + location.search);
  window.addEventListener('hashchange', () => location.reload());
  const say = (text: string, alert = false) => view.replaceChildren(h('p', alert ? { role: 'alert' } : { role: 'status' }, text));
  const post = (path: string, body: Record<string, unknown>) => requestJson('POST', `/api/events/${path}`, { body: { ...body, locale }, locale });

  const inviteToken = fragment.get('invite');
  const cancelToken = fragment.get('cancel');
  if (inviteToken) {
    say(t('loading'));
    const shown = await post('invitation', { token: inviteToken }).catch(() => null);
    if (!shown?.ok) return say((shown && serverMessage(shown.body)) ?? t('failed'), true);
    const { event } = shown.body as { event: ShownEvent };
    renderInvitation(view, event, locale, async (answer) => {
      const result = await post('invitation/answer', { token: inviteToken, ...answer }).catch(() => null);
      if (!result?.ok) return (result && serverMessage(result.body)) ?? t('failed');
      if (!answer.accept) say(t('declined'));
      else {
        const outcome = result.body as { code: string; status: string; waitingPosition: number | null };
        say(outcome.status === 'waiting' ? t('waiting', { position: outcome.waitingPosition, code: outcome.code }) : t('registered', { code: outcome.code }));
      }
      return null;
    });
  } else if (cancelToken) {
    const button = h('button', { type: 'button', class: 'button' }, t('cancelButton'));
    button.addEventListener('click', async () => {
      button.disabled = true;
      const result = await post('registrations/cancel', { token: cancelToken }).catch(() => null);
      say(result?.ok ? t('cancelled') : ((result && serverMessage(result.body)) ?? t('failed')), !result?.ok);
    });
    view.replaceChildren(h('p', {}, t('cancelQuestion')), button);
  } else {
    say(t('noLink'), true);
  }
}

type Answer = { accept: boolean; consent?: boolean; needs?: { childcare: boolean; interpreting: string | null; accessibility: string | null } };

function renderInvitation(view: HTMLElement, event: ShownEvent, locale: Locale, answer: (a: Answer) => Promise<string | null>): void {
  const when = (iso: string) => new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'full', timeStyle: 'short' }).format(new Date(iso));
  const access = [event.stepFree && t('stepFree'), event.hearingLoop && t('hearingLoop'), event.accessibleToilet && t('toilet'), inLocale(event.accessibilityNotes, locale)].filter(Boolean).join('; ');
  const facts = h(
    'dl',
    {},
    h('dt', {}, t('when')),
    h('dd', {}, `${when(event.startsAt)} – ${when(event.endsAt)}`),
    h('dt', {}, t('where')),
    h('dd', {}, [event.placeName, event.placeAddress].filter(Boolean).join(', ')),
    ...(access ? [h('dt', {}, t('access')), h('dd', {}, access)] : []),
  );
  const consent = h('input', { type: 'checkbox', id: 'event-consent' });
  const childcare = h('input', { type: 'checkbox', id: 'event-childcare' });
  const interpreting = h(
    'select',
    { id: 'event-interpreting' },
    h('option', { value: '' }, t('interpretingNone')),
    ...(event.interpretation.length > 0 ? event.interpretation : SUPPORTED_LOCALES).map((code) => h('option', { value: code, lang: code }, LOCALE_NATIVE_NAMES[code as Locale] ?? code)),
  );
  const accessibility = h('input', { type: 'text', id: 'event-accessibility', maxlength: 500 });
  const problem = h('div', {});
  const accept = h('button', { type: 'submit', class: 'button', id: 'event-accept' }, t('accept'));
  const decline = h('button', { type: 'button', class: 'button secondary', id: 'event-decline' }, t('decline'));
  const form = h(
    'form',
    { id: 'event-answer', 'aria-labelledby': 'answer-heading' },
    h('h2', { id: 'answer-heading' }, t('answerHeading')),
    h('fieldset', {}, h('legend', {}, t('needsHeading')), h('p', {}, childcare, ' ', h('label', { for: 'event-childcare' }, t('childcare'))), h('p', {}, h('label', { for: 'event-interpreting' }, t('interpreting')), ' ', interpreting), h('p', {}, h('label', { for: 'event-accessibility' }, t('accessibility')), ' ', accessibility)),
    h('p', {}, consent, ' ', h('label', { for: 'event-consent' }, t('consent'))),
    problem,
    h('p', {}, accept, ' ', decline),
  );
  const send = async (a: Answer) => {
    accept.disabled = decline.disabled = true;
    const message = await answer(a);
    accept.disabled = decline.disabled = false;
    if (message) problem.replaceChildren(h('p', { role: 'alert' }, message));
  };
  form.addEventListener('submit', (submitEvent) => {
    submitEvent.preventDefault();
    if (!consent.checked) return problem.replaceChildren(h('p', { role: 'alert' }, t('consentMissing')));
    void send({ accept: true, consent: true, needs: { childcare: childcare.checked, interpreting: interpreting.value || null, accessibility: accessibility.value.trim() || null } });
  });
  decline.addEventListener('click', () => void send({ accept: false }));
  const description = inLocale(event.description, locale);
  view.replaceChildren(
    h('h2', {}, inLocale(event.title, locale)),
    facts,
    ...(description ? [h('p', {}, description)] : []),
    h('p', {}, h('a', { href: `/api/events/public/${encodeURIComponent(event.slug)}/event.ics?lang=${locale}`, download: '' }, t('calendar'))),
    form,
  );
}

void start().catch(() => {
  byId('event-view').textContent = t('common:unexpectedError');
});
