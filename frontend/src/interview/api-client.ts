/**
 * The few server calls the interviewer app makes; requests and their three kinds of failure are
 * shared with the event day (shared/offline/staff-request.ts).
 */

import { NoConnectionError, sendStaffRequest, ServerRefusalError, SessionExpiredError } from '../shared/offline/staff-request.ts';

export { NoConnectionError, ServerRefusalError, SessionExpiredError };

export interface SessionInfo {
  user: { id: string; email: string; role: string };
  csrfToken: string;
  expiresAt: string;
}

export interface SurveySummary {
  slug: string;
  kind: string;
  version: number;
  title: unknown;
  locales: string[];
}

export interface SurveyDetail {
  slug: string;
  kind: string;
  version: number;
  definition: Record<string, unknown>;
  locales: string[];
  districts: { code: string; name: Record<string, string> }[];
}

export interface InterviewUpload {
  id: string;
  slug: string;
  version: number;
  locale: string;
  district?: string;
  answers: Record<string, unknown>;
  photos?: string[];
  /** The day the conversation was held (YYYY-MM-DD, the tablet's calendar), for the field overview. */
  conductedOn?: string;
}

export interface InterviewSyncResult {
  id: string;
  status: 'stored' | 'duplicate' | 'rejected';
  /** Why, for a rejection (`photo_not_uploaded`, `validation_failed`, …). */
  code?: string;
  errors?: unknown;
}

const TIMEOUT_MS = { read: 20_000, sync: 60_000, media: 120_000 } as const;

export class ApiClient {
  constructor(
    /** The interviewer's interface language: server messages come back in it. */
    private readonly uiLocale: () => string,
    /** The session's CSRF token, required on every write. */
    private readonly csrfToken: () => string | null,
    private readonly baseUrl: string = '',
  ) {}

  login(email: string, password: string): Promise<SessionInfo> {
    return this.json<SessionInfo>('POST', '/api/auth/login', { email, password }, TIMEOUT_MS.read);
  }

  me(): Promise<SessionInfo> {
    return this.json<SessionInfo>('GET', '/api/auth/me', undefined, TIMEOUT_MS.read);
  }

  async logout(): Promise<void> {
    await this.send('POST', '/api/auth/logout', undefined, undefined, TIMEOUT_MS.read);
  }

  async listSurveys(): Promise<SurveySummary[]> {
    return (await this.json<{ surveys: SurveySummary[] }>('GET', '/api/surveys', undefined, TIMEOUT_MS.read)).surveys;
  }

  getSurvey(slug: string, version?: number): Promise<SurveyDetail> {
    const query = version === undefined ? '' : `?version=${version}`;
    return this.json<SurveyDetail>('GET', `/api/surveys/${encodeURIComponent(slug)}${query}`, undefined, TIMEOUT_MS.read);
  }

  async syncInterviews(interviews: InterviewUpload[]): Promise<InterviewSyncResult[]> {
    return (await this.json<{ results: InterviewSyncResult[] }>('POST', '/api/interviews/sync', { interviews }, TIMEOUT_MS.sync))
      .results;
  }

  async uploadPhoto(blob: Blob): Promise<{ contentHash: string; width: number; height: number }> {
    const type = blob.type.startsWith('image/') ? blob.type : 'image/jpeg';
    const response = await this.send('POST', '/api/media', blob, type, TIMEOUT_MS.media);
    return (await response.json()) as { contentHash: string; width: number; height: number };
  }

  private async json<T>(method: string, path: string, body: unknown, timeoutMs: number): Promise<T> {
    const response = await this.send(
      method,
      path,
      body === undefined ? undefined : JSON.stringify(body),
      'application/json',
      timeoutMs,
    );
    try {
      return (await response.json()) as T;
    } catch (error) {
      // The body was cut off: to the caller that is the same as a dropped connection.
      throw new NoConnectionError(error);
    }
  }

  private send(method: string, path: string, body: BodyInit | undefined, contentType: string | undefined, timeoutMs: number): Promise<Response> {
    return sendStaffRequest({ baseUrl: this.baseUrl, uiLocale: this.uiLocale(), csrfToken: this.csrfToken() }, method, path, body, contentType, timeoutMs);
  }
}
