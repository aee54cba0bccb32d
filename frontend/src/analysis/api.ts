import type { ChartDefinition, ReturnsReport } from '../../../api/src/shared/contract.ts';
import type { AggregateResponse } from '../../../api/src/shared/breakdown-grid.ts';

export type { ChartDefinition, ReturnsReport };
export type { AggregateResponse };

/** The server refused (its message is already in the analyst's language) or the session is gone. */
export class AnalysisRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** A 422 `invalid_fields` answer's problems per field (dotted paths such as `districts.0`). */
    readonly fields: { field: string; code: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'AnalysisRequestError';
  }
}

export interface Me {
  user: { id: string; email: string; role: string };
  csrfToken: string;
}

export interface SurveyListEntry {
  slug: string;
  kind: string;
  status: 'open' | 'closed';
  title: unknown;
}

/** The explorer's questions (matrix rows each on their own), labelled in the analyst's language. */
export interface QuestionList {
  k: number;
  items: { key: string; type: string; label: string }[];
}

/** `aggregate?weights=raked` as the weighted view reads it. */
export interface WeightedAggregate {
  k: number;
  groups: { label: string }[];
  items: {
    key: string;
    type: string;
    label: string;
    base: number[];
    options: { code: string; label: string; weighted?: ({ share: number; ciLow: number; ciHigh: number; nEffective: number } | null)[] }[];
  }[];
}

/** `representativeness`: sample vs population per district. */
export interface RepresentativenessReport {
  k: number;
  dimensions: {
    dimension: string;
    groups: { district: string | null; districtLabel: string; base: number; categories: { category: string; label: string; sampleShare: number | null; populationShare: number | null }[] }[];
  }[];
}

/** What staff may set on an actor (`POST /api/actors`, `PATCH /api/actors/:id`). */
export interface ActorValues {
  name: string;
  kind: string;
  fieldsOfAction: string[];
  districts: string[];
  isPublic: boolean;
}

/** An actor of the registry as `GET /api/actors` lists it. */
export interface Actor extends ActorValues {
  id: string;
  mergedInto: string | null;
  retiredAt: string | null;
  createdAt: string;
  /** Ties at either end and response links (in the list only). */
  ties?: number;
  responses?: number;
}

export interface ActorList {
  actors: Actor[];
  labels: { kinds: Record<string, string>; fieldsOfAction: Record<string, string>; districts: Record<string, string> };
}

/** `POST /api/actors/:id/merge`: the actor merged into and what moved. */
export interface MergeResult {
  from: string;
  into: Actor;
  tiesMoved: number;
  tiesBetweenDroppedAsSelf: number;
  tiesDroppedAsRepeat: number;
  responsesMoved: number;
}

/** Staff calls of the dashboard: same origin, the session cookie, the CSRF token on writes. */
export class AnalysisApi {
  private csrfToken: string | null = null;

  constructor(private readonly locale: () => string) {}

  private async request<T>(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': this.locale() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    const response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : null;
    if (!response.ok) {
      const problem = parsed as { error?: { message?: string }; errors?: { field: string; code: string; message: string }[] } | null;
      throw new AnalysisRequestError(response.status, problem?.error?.message ?? response.statusText, problem?.errors ?? []);
    }
    return parsed as T;
  }

  async me(): Promise<Me | null> {
    try {
      const me = await this.request<Me>('GET', '/api/auth/me');
      this.csrfToken = me.csrfToken;
      return me;
    } catch (error) {
      if (error instanceof AnalysisRequestError && error.status === 401) return null;
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

  surveys(): Promise<{ surveys: SurveyListEntry[] }> {
    return this.request('GET', '/api/analysis/surveys');
  }

  returns(slug: string, target: number | null): Promise<ReturnsReport> {
    return this.request('GET', `/api/analysis/${encodeURIComponent(slug)}/returns${target ? `?target=${target}` : ''}`);
  }

  questions(slug: string): Promise<QuestionList> {
    return this.request('GET', `/api/analysis/${encodeURIComponent(slug)}/questions`);
  }

  weighted(slug: string, item: string, by: string[]): Promise<WeightedAggregate> {
    const params = new URLSearchParams({ question: item, weights: 'raked' });
    if (by.length > 0) params.set('by', by.join(','));
    return this.request('GET', `/api/analysis/${encodeURIComponent(slug)}/aggregate?${params}`);
  }

  /** One question's published tables broken down by `by` (the breakdown grid asks for two dimensions). */
  aggregate(slug: string, item: string, by: string[], weighted: boolean): Promise<AggregateResponse> {
    const params = new URLSearchParams({ question: item, by: by.join(',') });
    if (weighted) params.set('weights', 'raked');
    return this.request('GET', `/api/analysis/${encodeURIComponent(slug)}/aggregate?${params}`);
  }

  representativeness(slug: string): Promise<RepresentativenessReport> {
    return this.request('GET', `/api/analysis/${encodeURIComponent(slug)}/representativeness`);
  }

  /** `GET /api/analysis/network` with the given query (filters, `layout=true`, `compare=`). */
  network<T>(query: URLSearchParams): Promise<T> {
    return this.request('GET', `/api/analysis/network?${query}`);
  }

  /** The actor registry (`/api/actors`): the list with counts and the codes' names, and staff's changes. */
  actors(options: { includeRetired: boolean }): Promise<ActorList> {
    const query = options.includeRetired ? '?includeRetired=true&includeMerged=true' : '';
    return this.request('GET', `/api/actors${query}`);
  }

  /** One actor with its ties and response links. */
  actor(id: string): Promise<{ actor: Actor; ties: { fromActorId: string; toActorId: string }[]; responses: string[] }> {
    return this.request('GET', `/api/actors/${encodeURIComponent(id)}`);
  }

  actorDuplicates(): Promise<{ suggestions: { a: Actor; b: Actor; similarity: number }[] }> {
    return this.request('GET', '/api/actors/duplicates');
  }

  createActor(values: ActorValues): Promise<{ actor: Actor }> {
    return this.request('POST', '/api/actors', values);
  }

  editActor(id: string, values: ActorValues): Promise<{ actor: Actor }> {
    return this.request('PATCH', `/api/actors/${encodeURIComponent(id)}`, values);
  }

  setActorRetired(id: string, retired: boolean): Promise<{ actor: Actor }> {
    return this.request('POST', `/api/actors/${encodeURIComponent(id)}/retirement`, { retired });
  }

  mergeActor(from: string, into: string): Promise<MergeResult> {
    return this.request('POST', `/api/actors/${encodeURIComponent(from)}/merge`, { into });
  }

  /** One workshop with its poster: actors, clusters, dot votes, ties. */
  workshop<T>(id: string): Promise<T> {
    return this.request('GET', `/api/workshops/${encodeURIComponent(id)}`);
  }

  chart(slug: string, item: string, by: string[]): Promise<ChartDefinition> {
    return this.request('GET', chartUrl(slug, item, by, 'json'));
  }
}

export function chartUrl(slug: string, item: string, by: string[], format: 'json' | 'svg' | 'png', lang?: string): string {
  const params = new URLSearchParams();
  if (by.length > 0) params.set('by', by.join(','));
  if (lang) params.set('lang', lang);
  const query = params.toString();
  return `/api/analysis/${encodeURIComponent(slug)}/charts/${encodeURIComponent(item)}.${format}${query ? `?${query}` : ''}`;
}
