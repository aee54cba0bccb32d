import type { Locale } from '../../../api/src/shared/locales.ts';
import { t } from '../i18n/index.ts';
import { byId } from '../shared/dom.ts';
import { formatDate } from '../shared/town.ts';
import { resumeLink } from './link-context.ts';
import type { LocalDraft } from './local-draft.ts';
import { saveServerDraft } from './server-draft.ts';
import type { SurveyResource } from './survey-resource.ts';

export interface ResumePanelOptions {
  survey: SurveyResource;
  locale: Locale;
  answers: Record<string, unknown>;
  draft: LocalDraft;
  save: (changes: Partial<LocalDraft>) => void;
  /** The draft's response id, fixed now if it was not yet: it travels with the code. */
  responseId: () => string;
}

/** "Continue later on another device": a resume code and link for the answers so far. */
export async function openResumePanel({ survey, locale, answers, draft, save, responseId }: ResumePanelOptions): Promise<void> {
  const panel = byId('resume-panel');
  const status = byId('resume-status');
  const result = byId('resume-result');
  const trigger = byId<HTMLButtonElement>('save-for-later');
  panel.hidden = false;
  result.hidden = true;
  status.textContent = t('respond:resume.creating');
  trigger.disabled = true;
  panel.focus();

  const saved = await saveServerDraft(survey, draft.serverDraftCode, { locale, answers, responseId: responseId(), page: draft.pageNo });
  trigger.disabled = false;
  if (saved.kind === 'failed') {
    status.textContent = t('respond:resume.failed');
    return;
  }
  save({ serverDraftCode: saved.code });
  status.textContent = '';
  const link = resumeLink(location.origin, survey.slug, saved.code);
  byId('resume-code').textContent = saved.code;
  const anchor = byId<HTMLAnchorElement>('resume-link');
  anchor.href = link;
  anchor.textContent = link;
  byId('resume-expiry').textContent = t('respond:resume.expires', { date: formatDate(saved.expiresAt.slice(0, 10), locale) });
  result.hidden = false;

  const copy = byId<HTMLButtonElement>('resume-copy');
  copy.hidden = !navigator.clipboard;
  copy.onclick = async () => {
    try {
      await navigator.clipboard.writeText(link);
      status.textContent = t('respond:resume.copied');
    } catch {
      // The link is on screen to copy by hand.
    }
  };
  byId<HTMLButtonElement>('resume-close').onclick = () => {
    panel.hidden = true;
    trigger.focus();
  };
}
