import type { Locale } from '../../../api/src/shared/locales.ts';
import { requestJson } from '../shared/http.ts';
import type { SurveyResource } from './survey-resource.ts';

interface StoredDraft {
  slug: string;
  version: number;
  locale: Locale;
  answers: Record<string, unknown>;
  /** The id the response is sent under from every device that uses the code (null for old drafts). */
  responseId: string | null;
  /** The page (0-based) the person stopped at; null for drafts saved before pages were kept. */
  page: number | null;
  expiresAt: string;
}

/**
 * The code goes in this header, never in the address: a reverse proxy logs addresses beside the
 * client's IP, and whoever reads the log could continue (and send) someone else's answers.
 */
export const RESUME_CODE_HEADER = 'x-resume-code';

/** The answers behind a resume code, if the code is live and belongs to this survey. */
export async function loadServerDraft(code: string, survey: SurveyResource): Promise<StoredDraft | null> {
  try {
    const answer = await requestJson<StoredDraft>('GET', '/api/drafts/current', { headers: { [RESUME_CODE_HEADER]: code } });
    if (!answer.ok || answer.body.slug !== survey.slug) return null;
    return answer.body;
  } catch {
    return null;
  }
}

export type SavedDraft = { kind: 'saved'; code: string; expiresAt: string } | { kind: 'failed' };

/**
 * Keeps the answers under a resume code: updates the code this device already has, or asks for a
 * new one when there is none (or it expired).
 */
export async function saveServerDraft(
  survey: SurveyResource,
  existingCode: string | null,
  body: { locale: Locale; answers: Record<string, unknown>; responseId: string; page: number },
): Promise<SavedDraft> {
  const payload = { version: survey.version, locale: body.locale, answers: body.answers, responseId: body.responseId, page: Math.max(0, body.page) };
  try {
    if (existingCode) {
      const updated = await requestJson<{ expiresAt: string }>('PUT', '/api/drafts/current', {
        body: payload,
        locale: body.locale,
        headers: { [RESUME_CODE_HEADER]: existingCode },
      });
      if (updated.ok) return { kind: 'saved', code: existingCode, expiresAt: updated.body.expiresAt };
      if (updated.status !== 404) return { kind: 'failed' };
    }
    const created = await requestJson<{ code: string; expiresAt: string }>('POST', `/api/surveys/${encodeURIComponent(survey.slug)}/drafts`, {
      body: payload,
      locale: body.locale,
    });
    return created.ok ? { kind: 'saved', code: created.body.code, expiresAt: created.body.expiresAt } : { kind: 'failed' };
  } catch {
    return { kind: 'failed' };
  }
}
