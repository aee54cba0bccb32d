import { requestJson } from '../shared/http.ts';
import type { PublicDistrict } from './survey-definition.ts';

/** `GET /api/surveys/:slug`: the current version of an instrument and the town's districts. */
export interface SurveyResource {
  slug: string;
  kind: 'resident' | 'interview' | 'stakeholder';
  status: 'open' | 'closed';
  version: number;
  definition: Record<string, unknown>;
  locales: string[];
  districts: PublicDistrict[];
  /** The survey's own answers deletion date (`YYYY-MM-DD`, never later than the town's), or null. */
  answersDeletedBy?: string | null;
}

export type SurveyLoad =
  | { kind: 'loaded'; survey: SurveyResource }
  | { kind: 'not-found' }
  | { kind: 'closed' }
  | { kind: 'failed' };

/** Loads a survey for residents; the interview guide is for interviewers and is not offered here. */
export async function loadSurvey(slug: string): Promise<SurveyLoad> {
  try {
    const answer = await requestJson<SurveyResource>('GET', `/api/surveys/${encodeURIComponent(slug)}`);
    if (answer.status === 404) return { kind: 'not-found' };
    if (!answer.ok) return { kind: 'failed' };
    const survey = answer.body;
    if (survey.kind === 'interview') return { kind: 'not-found' };
    if (survey.status === 'closed') return { kind: 'closed' };
    return { kind: 'loaded', survey };
  } catch {
    return { kind: 'failed' };
  }
}
