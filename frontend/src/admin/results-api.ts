import type { CandidateSection, ListedEvent, MeasureRow, SnapshotContent } from '../../../api/src/shared/contract.ts';
import { AdminApi, AdminRequestError } from './api.ts';

export type { CandidateSection, ListedEvent, MeasureRow, SnapshotContent };
export type MeasureStatus = MeasureRow['status'];
export const MEASURE_STATUSES: readonly MeasureStatus[] = ['proposed', 'decided', 'in_progress', 'done', 'dropped'];

export interface SnapshotSummary {
  id: string;
  status: 'draft' | 'published';
  weighted: boolean;
  createdAt: string;
  publishedAt: string | null;
  questions: string[];
}

export interface SnapshotRequest {
  questions: string[];
  by: 'district'[];
  weighted: boolean;
  texts: Record<string, Record<string, string>>;
}

export interface MeasureInput {
  fieldOfAction: string;
  title: Record<string, string>;
  description?: Record<string, string>;
  status: MeasureStatus;
  surveySlug: string | null;
  resultKeys: string[];
  eventSlugs: string[];
}

/** A snapshot refused per question (422 `snapshot_invalid`): the server's message for each question. */
export class SnapshotRefused extends Error {
  constructor(
    message: string,
    readonly problems: { question: string; message: string }[],
  ) {
    super(message);
    this.name = 'SnapshotRefused';
  }
}

const path = (slug: string) => `/api/analysis/${encodeURIComponent(slug)}/snapshots`;

/** The admin area's calls for result snapshots and measures (the same session and CSRF token). */
export class ResultsAdminApi extends AdminApi {
  snapshotCandidates = (slug: string, byDistrict: boolean) =>
    this.request<{ slug: string; k: number; sections: CandidateSection[] }>('GET', `${path(slug)}/candidates?by=${byDistrict ? 'district' : ''}`);
  snapshots = (slug: string) => this.request<{ snapshots: SnapshotSummary[] }>('GET', path(slug));
  snapshot = (slug: string, id: string) => this.request<SnapshotSummary & { content: SnapshotContent }>('GET', `${path(slug)}/${id}`);
  previewUrl = (slug: string, id: string, lang: string) => `${path(slug)}/${id}/preview?lang=${encodeURIComponent(lang)}`;
  publishSnapshot = (slug: string, id: string) => this.request<{ id: string; publishedAt: string }>('POST', `${path(slug)}/${id}/publish`);
  discardSnapshot = (slug: string, id: string) => this.request<null>('DELETE', `${path(slug)}/${id}`);

  async createSnapshot(slug: string, request: SnapshotRequest): Promise<{ id: string; status: 'draft'; content: SnapshotContent }> {
    try {
      return await this.request('POST', path(slug), request);
    } catch (error) {
      // The per-question problems come as `errors: [{question, message}]`.
      const problems = error instanceof AdminRequestError ? (error.fieldErrors as unknown as { question?: string; message: string }[]) : [];
      if (error instanceof AdminRequestError && problems.some((problem) => problem.question)) {
        throw new SnapshotRefused(error.message, problems.map((problem) => ({ question: problem.question ?? '', message: problem.message })));
      }
      throw error;
    }
  }

  /** The newest published snapshot of a survey (what a measure can point to), or null. */
  async publishedResults(slug: string): Promise<{ snapshot: { id: string; publishedAt: string; content: SnapshotContent } } | null> {
    try {
      return await this.request('GET', `/api/results/${encodeURIComponent(slug)}`);
    } catch (error) {
      if (error instanceof AdminRequestError && error.status === 404) return null;
      throw error;
    }
  }

  publicEvents = () => this.request<{ events: ListedEvent[] }>('GET', '/api/events/public');
  measures = () => this.request<{ measures: MeasureRow[] }>('GET', '/api/admin/measures');
  createMeasure = (input: MeasureInput) => this.request<{ id: string }>('POST', '/api/admin/measures', input);
  updateMeasure = (id: string, input: MeasureInput) => this.request<{ id: string }>('PUT', `/api/admin/measures/${id}`, input);
  addMeasureUpdate = (id: string, update: { date: string; status: MeasureStatus; text: Record<string, string> }) =>
    this.request<{ id: string }>('POST', `/api/admin/measures/${id}/updates`, update);
}
