import type {
  AuditPage,
  AdminDistrict,
  AdminSurvey,
  DeletionWarning,
  DistrictInput,
  FieldError,
  ImportedDistrict,
  PublicTown,
  PublishedVersion,
  StaffAccount,
  TownSettings,
  TranslationStatusReport,
  UploadCheck,
} from '../../../api/src/shared/contract.ts';

/** An import problem with its message in the admin's language. */
export interface TranslationImportProblem {
  sheet: string;
  row: number;
  code: string;
  message: string;
}
export type { TranslationStatusReport };

export interface TargetGroupView {
  code: string;
  label: Record<string, string | undefined> & { default: string };
  expression: string;
  sortOrder: number;
  surveyKind: string | null;
}
type RuleCheckView = { valid: false; problem: string; message: string } | { valid: true; matches: number; k: number; atThreshold: boolean };
type RuleSaved = { targetGroup: TargetGroupView; recompute?: { examined: number; changed: number } };

export type { AuditPage, AdminDistrict, AdminSurvey, DistrictInput, FieldError, ImportedDistrict, PublicTown, StaffAccount, TownSettings };

export interface ImportProblemView {
  line: number;
  code: string;
  message: string;
}

export interface ImportPreview {
  districts: ImportedDistrict[];
  problems: ImportProblemView[];
}

/** A deletion date and how near it is; the page warns at level `month` (30 days) and `week` (7). */
export type RetentionWarning = DeletionWarning;

export interface Me {
  user: { id: string; email: string; role: string };
  csrfToken: string;
}

/**
 * A refusal: the server's message (already in the admin's language), and for a form the per-field
 * problems (`errors`) or, for an import, the per-line ones (`problems`).
 */
export class AdminRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null,
    readonly fieldErrors: FieldError[] = [],
    readonly problems: ImportProblemView[] = [],
  ) {
    super(message);
    this.name = 'AdminRequestError';
  }
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The admin area's calls: same origin, the staff session cookie, the CSRF token on every write. */
export class AdminApi {
  private csrfToken: string | null = null;

  constructor(private readonly locale: () => string) {}

  protected async request<T>(method: Method, url: string, body?: unknown, raw?: { bytes: ArrayBuffer; type: string }): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': this.locale() };
    if (raw) headers['content-type'] = raw.type;
    else if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    const response = await fetch(url, {
      method,
      headers,
      body: raw ? raw.bytes : body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (!response.ok) {
      const shaped = parsed as { error?: { code?: string; message?: string }; errors?: FieldError[]; problems?: ImportProblemView[] } | null;
      throw new AdminRequestError(response.status, shaped?.error?.message ?? response.statusText, shaped?.error?.code ?? null, shaped?.errors ?? [], shaped?.problems ?? []);
    }
    return parsed as T;
  }

  async me(): Promise<Me | null> {
    try {
      const me = await this.request<Me>('GET', '/api/auth/me');
      this.csrfToken = me.csrfToken;
      return me;
    } catch (error) {
      if (error instanceof AdminRequestError && error.status === 401) return null;
      throw error;
    }
  }

  async login(email: string, password: string): Promise<Me> {
    const me = await this.request<Me>('POST', '/api/auth/login', { email, password });
    this.csrfToken = me.csrfToken;
    return me;
  }

  async logout(): Promise<void> {
    await this.request('POST', '/api/auth/logout');
    this.csrfToken = null;
  }

  town = () => this.request<PublicTown>('GET', '/api/admin/town');
  saveTown = (settings: unknown) => this.request<PublicTown>('PUT', '/api/admin/town', settings);
  uploadLogo = (bytes: ArrayBuffer, type: string) => this.request<PublicTown>('PUT', '/api/admin/town/logo', undefined, { bytes, type });
  removeLogo = () => this.request<PublicTown>('DELETE', '/api/admin/town/logo');
  retention = () => this.request<{ warnings: RetentionWarning[] }>('GET', '/api/admin/retention');

  districts = () => this.request<{ districts: AdminDistrict[] }>('GET', '/api/admin/districts');
  saveDistrict = (code: string, input: unknown) => this.request<{ code: string; outcome: string }>('PUT', `/api/admin/districts/${encodeURIComponent(code)}`, input);
  deleteDistrict = (code: string) => this.request<null>('DELETE', `/api/admin/districts/${encodeURIComponent(code)}`);
  retireDistrict = (code: string, retired: boolean) => this.request('POST', `/api/admin/districts/${encodeURIComponent(code)}/retirement`, { retired });
  orderDistricts = (codes: string[]) => this.request<{ districts: AdminDistrict[] }>('POST', '/api/admin/districts/order', { codes });
  previewImport = (bytes: ArrayBuffer, query: string) =>
    this.request<ImportPreview>('POST', `/api/admin/districts/import/preview${query}`, undefined, { bytes, type: 'text/csv' });
  importDistricts = (bytes: ArrayBuffer, query: string) =>
    this.request<{ created: number; updated: number }>('POST', `/api/admin/districts/import${query}`, undefined, { bytes, type: 'text/csv' });

  users = () => this.request<{ users: StaffAccount[] }>('GET', '/api/admin/users');
  invite = (input: { email: string; role: string; displayName?: string }) => this.request<{ id: string; setPasswordPath: string }>('POST', '/api/admin/users', input);
  setDisabled = (id: string, disabled: boolean) => this.request('POST', `/api/admin/users/${id}/disabled`, { disabled });
  setRole = (id: string, role: string) => this.request('POST', `/api/admin/users/${id}/role`, { role });
  resetPassword = (id: string) => this.request<{ setPasswordPath: string }>('POST', `/api/admin/users/${id}/password-reset`);
  signOutEverywhere = (id: string) => this.request<{ sessionsEnded: number }>('POST', `/api/admin/users/${id}/sign-out`);

  audit = (filter: { action?: string; actor?: string; from?: string; to?: string; page: number }) => {
    const query = new URLSearchParams(Object.entries(filter).filter(([, value]) => value !== undefined && value !== '').map(([key, value]) => [key, String(value)]));
    return this.request<AuditPage>('GET', `/api/admin/audit?${query}`);
  };

  targetGroups = () => this.request<{ targetGroups: TargetGroupView[] }>('GET', '/api/target-groups');
  checkRule = (expression: string) => this.request<RuleCheckView>('POST', '/api/target-groups/check', { expression });
  createTargetGroup = (rule: { code: string; label: Record<string, string>; expression: string }) => this.request<RuleSaved>('POST', '/api/target-groups', rule);
  updateTargetGroup = (code: string, patch: { label: Record<string, string>; expression: string }) =>
    this.request<RuleSaved>('PATCH', `/api/target-groups/${encodeURIComponent(code)}`, patch);
  deleteTargetGroup = (code: string) => this.request('DELETE', `/api/target-groups/${encodeURIComponent(code)}`);
  recomputeTargetGroups = () => this.request<{ recompute: { examined: number; changed: number } }>('POST', '/api/target-groups/recompute');

  surveys = () => this.request<{ surveys: AdminSurvey[] }>('GET', '/api/admin/surveys');
  setSurveyStatus = (slug: string, status: 'open' | 'closed') => this.request('POST', `/api/admin/surveys/${encodeURIComponent(slug)}/status`, { status });
  setSurveyDeletionDate = (slug: string, answersDeletedBy: string | null) =>
    this.request<{ slug: string; answersDeletedBy: string | null }>('PUT', `/api/admin/surveys/${encodeURIComponent(slug)}/deletion-date`, { answersDeletedBy });
  scheduleSurvey = (slug: string, schedule: { opensAt: string | null; closesAt: string | null }) =>
    this.request('POST', `/api/admin/surveys/${encodeURIComponent(slug)}/schedule`, schedule);
  previewVersion = (slug: string, bytes: ArrayBuffer) =>
    this.request<Omit<UploadCheck, 'file'>>('POST', `/api/admin/surveys/${encodeURIComponent(slug)}/versions/preview`, undefined, { bytes, type: 'application/json' });
  translations = (slug: string) => this.request<TranslationStatusReport>('GET', `/api/admin/surveys/${encodeURIComponent(slug)}/translations`);
  previewTranslations = (slug: string, bytes: ArrayBuffer) =>
    this.request<{ problems: TranslationImportProblem[]; changedTexts: number; check: Omit<UploadCheck, 'file'> | null }>('POST', `/api/admin/surveys/${encodeURIComponent(slug)}/translations/preview`, undefined, { bytes, type: XLSX_TYPE });
  importTranslations = (slug: string, bytes: ArrayBuffer, fileName: string) =>
    this.request<PublishedVersion & { changedTexts: number }>('POST', `/api/admin/surveys/${encodeURIComponent(slug)}/translations?fileName=${encodeURIComponent(fileName)}`, undefined, { bytes, type: XLSX_TYPE });
  previewNewInstrument = (slug: string, bytes: ArrayBuffer) =>
    this.request<Omit<UploadCheck, 'file'>>('POST', `/api/admin/surveys/preview?slug=${encodeURIComponent(slug)}`, undefined, { bytes, type: 'application/json' });
  createInstrument = (slug: string, bytes: ArrayBuffer, fileName: string) =>
    this.request<PublishedVersion>('POST', `/api/admin/surveys?slug=${encodeURIComponent(slug)}&fileName=${encodeURIComponent(fileName)}`, undefined, { bytes, type: 'application/json' });
  publishVersion = (slug: string, bytes: ArrayBuffer, fileName: string) =>
    this.request<PublishedVersion>('POST', `/api/admin/surveys/${encodeURIComponent(slug)}/versions?fileName=${encodeURIComponent(fileName)}`, undefined, { bytes, type: 'application/json' });
}
