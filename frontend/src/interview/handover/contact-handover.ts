import type { Locale } from '../../../../api/src/shared/locales.ts';
import { changeLocale, currentLocale, t } from '../../i18n/index.ts';
import { createInvolveForm } from '../../respond/involve-form.ts';
import type { InterviewDatabase } from '../store/database.ts';
import type { StoredDistrict } from '../store/types.ts';
import { el } from '../views/dom.ts';
import { sendOrKeepContact } from './kept-contacts.ts';

/**
 * The interviewer hands the tablet over: the residents' own contact form ("get involved") in the
 * interviewee's language, which they fill in and consent to themselves. It is sent like any
 * resident's opt-in, or kept on the tablet apart from the interview while there is no connection
 * (kept-contacts.ts). Nothing of it is written into the conversation, and the form is gone from the
 * page when the tablet comes back.
 */
export async function openContactHandover(options: {
  db: InterviewDatabase;
  /** Where the form appears; the conversation beside it is hidden meanwhile. */
  host: HTMLElement;
  conversation: HTMLElement;
  locale: Locale;
  districts: StoredDistrict[];
  onClosed: () => void;
}): Promise<void> {
  const interviewerLocale = currentLocale();
  // The page speaks the interviewee's language while the form is open (direction included).
  if (options.locale !== interviewerLocale) await changeLocale(options.locale);
  const closeButton = el('button', { type: 'button', class: 'button', id: 'handover-close', 'data-i18n': 'interview:handover.close' }, t('interview:handover.close'));
  const form = createInvolveForm({
    districts: options.districts,
    locale: () => currentLocale(),
    send: (body) => sendOrKeepContact(options.db, body),
    onStored: (withdrawCode) => {
      done.replaceChildren(
        el('p', { 'data-i18n': 'respond:involve.done' }, t('respond:involve.done')),
        el('p', { 'data-i18n': 'respond:involve.withdrawCode' }, t('respond:involve.withdrawCode')),
        el('p', {}, el('strong', { class: 'code', id: 'withdraw-code-issued', dir: 'ltr' }, withdrawCode)),
      );
      show();
    },
    onQueued: () => {
      done.replaceChildren(el('p', { id: 'handover-kept', 'data-i18n': 'interview:handover.kept' }, t('interview:handover.kept')));
      show();
    },
  });
  const done = form.querySelector<HTMLElement>('#involve-done')!;
  const show = () => {
    done.hidden = false;
    done.focus();
  };
  // A plain wrapper: the form inside is the region (labelled by its own heading).
  const section = el(
    'div',
    { id: 'contact-handover', class: 'contact-handover' },
    el('p', { class: 'hint', 'data-i18n': 'interview:handover.intro' }, t('interview:handover.intro')),
    form,
    el('p', {}, closeButton),
  );
  closeButton.addEventListener('click', () => {
    section.remove();
    options.conversation.hidden = false;
    void (currentLocale() !== interviewerLocale ? changeLocale(interviewerLocale) : Promise.resolve(true)).then(() => options.onClosed());
  });
  options.conversation.hidden = true;
  options.host.append(section);
  section.querySelector<HTMLElement>('#involve-heading')?.setAttribute('tabindex', '-1');
  section.querySelector<HTMLElement>('#involve-heading')?.focus();
}
