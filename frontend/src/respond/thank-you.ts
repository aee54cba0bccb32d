import type { Locale } from '../../../api/src/shared/locales.ts';
import { t } from '../i18n/index.ts';
import { byId, h } from '../shared/dom.ts';
import { createWithdrawForm } from '../shared/withdraw-form.ts';
import { createInvolveForm } from './involve-form.ts';
import type { SurveyResource } from './survey-resource.ts';

/** Thanks in the person's language, then the offer (never a condition) to stay in touch. */
export function showThankYou({
  survey,
  locale,
  sentElsewhere = false,
}: {
  survey: SurveyResource;
  locale: () => Locale;
  /** The answers had arrived from another device first; what was changed here is not stored. */
  sentElsewhere?: boolean;
}): void {
  const section = byId('thank-you');
  const received = byId('thanks-received');
  received.dataset.i18n = sentElsewhere ? 'respond:thanks.receivedElsewhere' : 'respond:thanks.received';
  received.textContent = t(received.dataset.i18n);
  section.hidden = false;
  const involve = byId('involve');
  const involveForm = createInvolveForm({
    districts: survey.districts,
    locale,
    onStored: (withdrawCode) => {
      const done = involve.querySelector<HTMLElement>('#involve-done')!;
      const link = `${location.origin}/?withdraw=${encodeURIComponent(withdrawCode)}#withdraw`;
      done.replaceChildren(
        h('p', { 'data-i18n': 'respond:involve.done' }, t('respond:involve.done')),
        h('p', { 'data-i18n': 'respond:involve.withdrawCode' }, t('respond:involve.withdrawCode')),
        h('p', {}, h('strong', { class: 'code', id: 'withdraw-code-issued', dir: 'ltr' }, withdrawCode)),
        h('p', { 'data-i18n': 'respond:involve.withdrawLink' }, t('respond:involve.withdrawLink')),
        h('p', {}, h('a', { href: link, dir: 'ltr' }, link)),
      );
      done.hidden = false;
      done.focus();
    },
  });
  involve.replaceChildren(involveForm);
  byId('withdraw').replaceChildren(createWithdrawForm({ locale }));
  byId('thanks-heading').focus();
  window.scrollTo(0, 0);
}
