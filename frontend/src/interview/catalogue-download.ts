import { isLocale } from '../../../api/src/shared/locales.ts';
import type { ApiClient } from './api-client.ts';
import type { InterviewDatabase } from './store/database.ts';
import { saveDownloadedCatalogue } from './store/instruments.ts';
import type { StoredDistrict, StoredInstrument } from './store/types.ts';

/** The instruments an interviewer works with; residents' questionnaires are answered online. */
const INTERVIEWER_KINDS = new Set(['interview', 'stakeholder']);

/**
 * Downloads every open interview and stakeholder instrument in its current version, and the
 * town's districts, into IndexedDB; from then on the app needs no network to record conversations.
 * The version is the one the server sent with the definition, so a conversation records exactly
 * what it was asked with.
 */
export async function downloadCatalogue(db: InterviewDatabase, api: ApiClient): Promise<StoredInstrument[]> {
  const summaries = (await api.listSurveys()).filter((survey) => INTERVIEWER_KINDS.has(survey.kind));
  const details = await Promise.all(summaries.map((summary) => api.getSurvey(summary.slug)));
  const downloadedAt = new Date().toISOString();
  const instruments: StoredInstrument[] = details.map((detail) => ({
    slug: detail.slug,
    version: detail.version,
    kind: detail.kind as StoredInstrument['kind'],
    title: (detail.definition as { title?: unknown }).title ?? detail.slug,
    definition: detail.definition,
    locales: detail.locales.filter(isLocale),
    downloadedAt,
  }));
  const districts: StoredDistrict[] = details[0]?.districts ?? [];
  await saveDownloadedCatalogue(db, instruments, districts);
  return instruments;
}
