import fs from 'node:fs';
import path from 'node:path';
import { UndirectedGraph } from 'graphology';
import { parse as parseGexf } from 'graphology-gexf';
import { parse as parseGraphml } from 'graphology-graphml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertResponses } from '../../../tests/support/insert-responses.ts';
import { runRIgraph } from '../../../tests/support/r-igraph.ts';
import { readRCsv } from '../../../tests/support/r-survey.ts';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { REPO_ROOT, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { deleteAllAnswers } from '../retention/repository.ts';
import { analyseNetwork } from './analysis.ts';
import { ACTOR_KINDS, FIELDS_OF_ACTION } from './codes.ts';
import { networkGexf, networkGraphml } from './exports.ts';
import { nameSimilarity, normaliseActorName } from './name-similarity.ts';

interface Actor {
  id: string;
  name: string;
  kind: string;
  fieldsOfAction: string[];
  districts: string[];
  isPublic: boolean;
  mergedInto: string | null;
  retiredAt: string | null;
}
type ErrorBody = { error: { code: string; message: string }; errors?: { field: string; code: string; message: string }[] };

describe('the actor registry and the network analysis', () => {
  let platform: TestPlatform;
  let analyst: StaffSession;
  let responseIds: string[];

  beforeAll(async () => {
    platform = await openTestPlatform();
    analyst = await loginAsDemo(platform.app, 'analyst');
    responseIds = await insertResponses(platform.database.db, [
      { slug: 'stakeholder-inventory', answers: {} },
      { slug: 'stakeholder-inventory', answers: {} },
      // A resident's answers: never the source of a tie between organisations.
      { slug: 'resident-baseline', answers: {} },
    ]);
  }, 120_000);
  afterAll(() => platform?.close());

  const send = (method: string, url: string, body?: unknown, locale = 'en') =>
    platform.app.request(url, {
      method,
      headers: analyst.writeHeaders({ 'content-type': 'application/json', 'accept-language': locale }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const get = (url: string, locale = 'en') => platform.app.request(url, { headers: analyst.headers({ 'accept-language': locale }) });
  const create = async (name: string, extra: Partial<Actor> = {}): Promise<Actor> => {
    const response = await send('POST', '/api/actors', { name, kind: 'club', ...extra });
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { actor: Actor }).actor;
  };
  const tie = (from: string, to: string, extra: Record<string, unknown> = {}) =>
    send('POST', '/api/actors/ties', { from, to, kind: 'information', observedOn: '2026-03-01', source: { kind: 'staff' }, ...extra });
  const counts = async () => {
    const db = platform.database.db;
    const [actors, ties, links, audit] = await Promise.all(
      (['actor', 'actor_tie', 'actor_response', 'audit_log'] as const).map((table) =>
        db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
      ),
    );
    return { actors: Number(actors!.n), ties: Number(ties!.n), links: Number(links!.n), audit: Number(audit!.n) };
  };

  it('uses the instruments’ shared code lists (kinds without "resident": the registry holds no persons)', () => {
    const lists = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'surveys/shared/code-lists.json'), 'utf8'));
    const values = (name: string) => lists[name].choices.map((choice: { value: string }) => choice.value);
    expect([...ACTOR_KINDS]).toEqual(values('actor_kinds').filter((code: string) => code !== 'resident'));
    expect([...FIELDS_OF_ACTION]).toEqual(values('fields_of_action'));
  });

  it('treats spelling variants of one organisation as the same name', () => {
    expect(normaliseActorName('AWO OV Worfelden')).toBe(normaliseActorName('AWO Ortsverein Worfelden'));
    expect(normaliseActorName('Tafel Groß-Gerau e. V.')).toBe(normaliseActorName('Tafel Gross-Gerau'));
    expect(normaliseActorName('VHS Kreis Groß-Gerau')).toBe('volkshochschule kreis gross gerau');
    expect(nameSimilarity('Caritas Worfelden', 'Diakonie Worfelden')).toBeLessThan(0.85);
  });

  it('refuses unknown staff and other roles', async () => {
    expect((await platform.app.request('/api/actors')).status).toBe(401);
    expect((await platform.app.request('/api/analysis/network')).status).toBe(401);
    const interviewer = await loginAsDemo(platform.app, 'interviewer');
    expect((await platform.app.request('/api/actors', { headers: interviewer.headers() })).status).toBe(403);
    expect((await platform.app.request('/api/analysis/network.gexf', { headers: interviewer.headers() })).status).toBe(403);
  });

  it('adds and edits actors, audited; bad input is a localised field error and changes nothing', async () => {
    const before = await counts();
    const actor = await create('Stadtteilbüro Nord', { kind: 'administration', fieldsOfAction: ['encounter'], districts: ['worfelden'] });
    expect(actor).toMatchObject({ name: 'Stadtteilbüro Nord', kind: 'administration', fieldsOfAction: ['encounter'], districts: ['worfelden'], isPublic: false });
    const edited = await send('PATCH', `/api/actors/${actor.id}`, { isPublic: true, fieldsOfAction: ['encounter', 'youth'] });
    expect(((await edited.json()) as { actor: Actor }).actor).toMatchObject({ isPublic: true, fieldsOfAction: ['encounter', 'youth'] });
    const audit = await platform.database.db.selectFrom('audit_log').select('action').where('target', '=', actor.id).orderBy('id').execute();
    expect(audit.map((row) => row.action)).toEqual(['actor.create', 'actor.edit']);
    expect((await counts()).actors).toBe(before.actors + 1);

    const middle = await counts();
    for (const [body, field] of [
      [{ name: '', kind: 'club' }, 'name'],
      [{ name: 'X', kind: 'person' }, 'kind'],
      [{ name: 'X', kind: 'club', fieldsOfAction: ['knitting'] }, 'fieldsOfAction.0'],
      [{ name: 'X', kind: 'club', districts: ['atlantis'] }, 'districts.0'],
      [{ name: 'X\u0007', kind: 'club' }, 'name'],
      [{ name: 'X', kind: 'club', contactPerson: 'Erika Mustermann' }, ''],
    ] as const) {
      const response = await send('POST', '/api/actors', body, 'de');
      expect(response.status, JSON.stringify(body)).toBe(422);
      const error = (await response.json()) as ErrorBody;
      expect(error.errors?.map((e) => e.field)).toContain(field);
      expect(error.errors?.[0]?.message).toMatch(/\p{L}{3}/u);
    }
    const english = (await (await send('PATCH', `/api/actors/${actor.id}`, { kind: 'person' }, 'en')).json()) as ErrorBody;
    const german = (await (await send('PATCH', `/api/actors/${actor.id}`, { kind: 'person' }, 'de')).json()) as ErrorBody;
    expect(english.errors?.[0]?.message).not.toBe(german.errors?.[0]?.message);
    expect((await get('/api/actors/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await counts()).actors).toBe(middle.actors);
  });

  it('suggests "AWO OV Worfelden" and "AWO Ortsverein Worfelden" as duplicates, not two different clubs', async () => {
    const a = await create('AWO OV Worfelden', { kind: 'welfare_association' });
    const b = await create('AWO Ortsverein Worfelden', { kind: 'welfare_association' });
    await create('TV Büttelborn');
    await create('SV Klein-Gerau');
    const { suggestions } = (await (await get('/api/actors/duplicates')).json()) as { suggestions: { a: Actor; b: Actor; similarity: number }[] };
    const pair = suggestions.find((s) => [s.a.id, s.b.id].sort().join() === [a.id, b.id].sort().join());
    expect(pair?.similarity).toBe(1);
    expect(suggestions.some((s) => [s.a.name, s.b.name].includes('TV Büttelborn'))).toBe(false);
  });

  it('records ties; refuses self-ties, unknown actors and responses, and one tie twice in a response', async () => {
    const x = await create('Familienzentrum', { kind: 'counselling' });
    const y = await create('Grundschule Worfelden', { kind: 'school' });
    expect((await tie(x.id, y.id, { kind: 'referrals', frequency: 'monthly', source: { kind: 'inventory', responseId: responseIds[0] } })).status).toBe(201);
    const before = await counts();
    const refusals: [Response, number, string][] = [
      [await tie(x.id, x.id), 422, 'tie_self'],
      [await tie(x.id, '00000000-0000-4000-8000-000000000000'), 422, 'tie_unknown_actor'],
      [await tie(x.id, y.id, { source: { kind: 'inventory', responseId: '00000000-0000-4000-8000-000000000001' } }), 422, 'tie_unknown_response'],
      [await tie(x.id, y.id, { source: { kind: 'inventory', responseId: responseIds[2] } }), 422, 'tie_unknown_response'],
      [await tie(x.id, y.id, { kind: 'referrals', source: { kind: 'inventory', responseId: responseIds[0] } }), 409, 'tie_duplicate_in_response'],
      [await tie(x.id, y.id, { kind: 'gossip' }), 422, 'invalid_fields'],
      [await tie(x.id, y.id, { observedOn: '2026-02-30' }), 422, 'invalid_fields'],
      [await tie(x.id, y.id, { source: { kind: 'workshop', wave: '' } }), 422, 'invalid_fields'],
    ];
    for (const [response, status, code] of refusals) {
      expect(response.status, code).toBe(status);
      const body = (await response.json()) as ErrorBody;
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(10);
    }
    expect(await counts()).toMatchObject({ ties: before.ties, audit: before.audit });
  });

  it('merges a duplicate: every tie and response link moves, in one audited step', async () => {
    const db = platform.database.db;
    const dup = await create('Tafel Worfelden e.V.', { kind: 'welfare_association', fieldsOfAction: ['health'], districts: ['worfelden'] });
    const keep = await create('Tafel Worfelden', { kind: 'welfare_association', fieldsOfAction: ['arrival'] });
    const church = await create('Ev. Kirchengemeinde Worfelden', { kind: 'religious_community' });
    const school = await create('Gesamtschule', { kind: 'school' });
    // The duplicate answered response 1 and named the church and the school; the kept actor
    // named the church in the same response (a repeat once merged) and a tie joins the two.
    await db.insertInto('actor_response').values({ response_id: responseIds[1]!, actor_id: dup.id }).execute();
    const inResponse = { source: { kind: 'inventory', responseId: responseIds[1] } };
    for (const [from, to, extra] of [
      [dup.id, church.id, inResponse],
      [dup.id, school.id, { kind: 'funding', ...inResponse }],
      [keep.id, church.id, inResponse],
      [school.id, dup.id, { source: { kind: 'workshop', wave: 'Workshop März 2026' } }],
      [dup.id, keep.id, {}],
    ] as const) {
      expect((await tie(from, to, extra)).status).toBe(201);
    }

    // The list counts each actor's ties (at either end) and response links: what a merge would move.
    type Counted = Actor & { ties: number; responses: number };
    const listed = async (query = '') => new Map(((await (await get(`/api/actors${query}`)).json()) as { actors: Counted[] }).actors.map((a) => [a.id, a]));
    const beforeMerge = await listed();
    // With the names of the codes the page's form and filters use (the same as the map's).
    const { labels } = (await (await get('/api/actors', 'de')).json()) as { labels: { kinds: Record<string, string>; fieldsOfAction: Record<string, string>; districts: Record<string, string> } };
    const network = (await (await get('/api/analysis/network', 'de')).json()) as { labels: typeof labels };
    expect(labels).toEqual(network.labels);
    expect(Object.keys(labels.kinds)).toEqual([...ACTOR_KINDS]);
    expect([dup, keep, church, school].map((a) => [beforeMerge.get(a.id)?.ties, beforeMerge.get(a.id)?.responses])).toEqual([
      [4, 1],
      [2, 0],
      [2, 0],
      [2, 0],
    ]);

    const refused: [string, unknown, number, string][] = [
      [dup.id, { into: dup.id }, 422, 'actor_merge_self'],
      [dup.id, { into: '00000000-0000-4000-8000-000000000000' }, 404, 'actor_not_found'],
    ];
    const retired = await create('Alte Tafel', { kind: 'welfare_association' });
    expect((await send('POST', `/api/actors/${retired.id}/retirement`, { retired: true })).status).toBe(200);
    refused.push([dup.id, { into: retired.id }, 409, 'actor_merge_into_retired']);
    const retiredTie = await tie(church.id, retired.id);
    expect(retiredTie.status).toBe(409);
    expect(((await retiredTie.json()) as ErrorBody).error.code).toBe('tie_actor_retired');
    const before = await counts();
    for (const [id, body, status, code] of refused) {
      const response = await send('POST', `/api/actors/${id}/merge`, body, 'de');
      expect(response.status, code).toBe(status);
      const error = (await response.json()) as ErrorBody;
      expect(error.error.code).toBe(code);
    }
    const german = (await (await send('POST', `/api/actors/${dup.id}/merge`, { into: dup.id }, 'de')).json()) as ErrorBody;
    const english = (await (await send('POST', `/api/actors/${dup.id}/merge`, { into: dup.id }, 'en')).json()) as ErrorBody;
    expect(german.error.message).toMatch(/sich selbst/);
    expect(english.error.message).toMatch(/itself/);
    expect(await counts()).toEqual(before);

    const merged = await send('POST', `/api/actors/${dup.id}/merge`, { into: keep.id });
    expect(merged.status).toBe(200);
    const result = (await merged.json()) as { into: Actor; tiesMoved: number; tiesBetweenDroppedAsSelf: number; tiesDroppedAsRepeat: number; responsesMoved: number };
    expect(result).toMatchObject({ tiesMoved: 2, tiesBetweenDroppedAsSelf: 1, tiesDroppedAsRepeat: 1, responsesMoved: 1 });
    expect(result.into.fieldsOfAction.sort()).toEqual(['arrival', 'health']);
    expect(result.into.districts).toEqual(['worfelden']);

    const pointingAtDup = await db
      .selectFrom('actor_tie')
      .select('id')
      .where((eb) => eb.or([eb('from_actor_id', '=', dup.id), eb('to_actor_id', '=', dup.id)]))
      .execute();
    expect(pointingAtDup).toEqual([]);
    const detail = (await (await get(`/api/actors/${keep.id}`)).json()) as { ties: { responseId: string | null; workshopWave: string | null }[]; responses: string[] };
    expect(detail.responses).toEqual([responseIds[1]]);
    expect(detail.ties.filter((t) => t.responseId === responseIds[1])).toHaveLength(2);
    expect(detail.ties.some((t) => t.workshopWave === 'Workshop März 2026')).toBe(true);
    const afterMerge = await listed('?includeMerged=true&includeRetired=true');
    expect([dup, keep, church, school].map((a) => [afterMerge.get(a.id)?.ties, afterMerge.get(a.id)?.responses])).toEqual([
      [0, 0],
      [3, 1],
      [1, 0],
      [2, 0],
    ]);
    const dupAfter = (await (await get(`/api/actors/${dup.id}`)).json()) as { actor: Actor };
    expect(dupAfter.actor.mergedInto).toBe(keep.id);
    expect(dupAfter.actor.retiredAt).not.toBeNull();
    const audit = await db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'actor.merge').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ from: dup.id, tiesMoved: 2 });

    // Once merged, the duplicate cannot be merged again, edited, or tied to.
    expect((await send('POST', `/api/actors/${dup.id}/merge`, { into: church.id })).status).toBe(409);
    expect((await send('POST', `/api/actors/${church.id}/merge`, { into: dup.id })).status).toBe(409);
    expect((await send('PATCH', `/api/actors/${dup.id}`, { name: 'Neu' })).status).toBe(409);
    expect((await tie(dup.id, church.id)).status).toBe(409);
    const names = ((await (await get('/api/actors')).json()) as { actors: Actor[] }).actors.map((a) => a.name);
    expect(names).not.toContain('Tafel Worfelden e.V.');
    expect(names).not.toContain('Alte Tafel');
  });

  it('loses the ties drawn from inventory answers when the answers are deleted on their date, and keeps the rest', async () => {
    const db = platform.database.db;
    const bySource = async () =>
      Object.fromEntries(
        (await db.selectFrom('actor_tie').select(['source', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('source').execute()).map((row) => [row.source, Number(row.n)]),
      );
    const [p, q] = [await create('Seniorenbeirat', { kind: 'advisory_council' }), await create('Stadtbücherei', { kind: 'administration' })];
    expect((await tie(p.id, q.id)).status).toBe(201);
    const before = await bySource();
    expect(before).toMatchObject({ inventory: expect.any(Number), workshop: expect.any(Number), staff: 1 });
    await db.transaction().execute((trx) => deleteAllAnswers(trx));
    const after = await bySource();
    expect(after.inventory).toBeUndefined();
    expect(after).toMatchObject({ workshop: before.workshop, staff: before.staff });
    expect(await db.selectFrom('actor_response').selectAll().execute()).toEqual([]);
  });
});

describe('GET /api/analysis/network and its exports', () => {
  let platform: TestPlatform;
  let analyst: StaffSession;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    platform = await openTestPlatform();
    analyst = await loginAsDemo(platform.app, 'analyst');
    const post = (url: string, body: unknown) =>
      platform.app.request(url, { method: 'POST', headers: analyst.writeHeaders({ 'content-type': 'application/json' }), body: JSON.stringify(body) });
    const actors: [string, string, string[], string[]][] = [
      ['Rathaus', 'administration', ['administration_openness', 'encounter'], ['buettelborn']],
      ['Sportverein', 'club', ['sport_culture'], ['worfelden']],
      ['Moscheegemeinde', 'religious_community', ['interreligious_dialogue'], ['worfelden']],
      ['Jugendzentrum', 'initiative', ['youth'], ['klein-gerau']],
      ['Jobcenter', 'jobcenter', ['work_economy'], ['buettelborn']],
      ['Sprachcafé & <Co> "Treff"', 'initiative', ['language_education'], ['worfelden']],
      ['Einzelgänger', 'business', ['work_economy'], []],
    ];
    for (const [name, kind, fieldsOfAction, districts] of actors) {
      const response = await post('/api/actors', { name, kind, fieldsOfAction, districts });
      ids[name] = ((await response.json()) as { actor: { id: string } }).actor.id;
    }
    const ties: [string, string, string, string][] = [
      ['Rathaus', 'Sportverein', 'information', '2025-05-01'],
      ['Rathaus', 'Moscheegemeinde', 'joint_projects', '2025-05-01'],
      ['Rathaus', 'Jobcenter', 'referrals', '2026-04-01'],
      ['Sportverein', 'Jugendzentrum', 'shared_premises', '2025-06-01'],
      ['Jugendzentrum', 'Sportverein', 'information', '2025-06-01'],
      ['Moscheegemeinde', 'Sprachcafé & <Co> "Treff"', 'shared_premises', '2026-04-01'],
      ['Jobcenter', 'Sprachcafé & <Co> "Treff"', 'funding', '2026-04-01'],
    ];
    for (const [from, to, kind, observedOn] of ties) {
      const response = await post('/api/actors/ties', { from: ids[from], to: ids[to], kind, observedOn, source: { kind: 'workshop', wave: 'Welle 1' } });
      expect(response.status).toBe(201);
    }
  }, 120_000);
  afterAll(() => platform?.close());

  const get = (url: string, locale = 'en') => platform.app.request(url, { headers: analyst.headers({ 'accept-language': locale }) });
  type Analysis = {
    nodes: { id: string; name: string; degree: number; isolate: boolean; community: number; betweenness: number; brokerage: number }[];
    edges: { source: string; target: string; kinds: string[]; ties: number }[];
    metrics: { actors: number; edges: number; density: number; isolates: string[]; brokers: { name: string; bridgedFields: string[] }[]; communities: { count: number }; fieldDensity: { fields: string[]; ties: number; possible: number; density: number | null }[] };
  };
  const analysis = async (query = '') => {
    const response = await get(`/api/analysis/network${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as Analysis;
  };

  it('answers nodes, edges and metrics; two ties between the same two actors are one edge', async () => {
    const result = await analysis();
    expect(result.metrics).toMatchObject({ actors: 7, edges: 6 });
    expect(result.metrics.density).toBeCloseTo(6 / 21, 12);
    expect(result.metrics.isolates).toEqual([ids['Einzelgänger']]);
    const sport = result.edges.find((e) => [e.source, e.target].sort().join() === [ids.Sportverein, ids.Jugendzentrum].sort().join());
    expect(sport).toMatchObject({ kinds: ['information', 'shared_premises'], ties: 2 });
    expect(result.nodes.find((n) => n.name === 'Rathaus')!.degree).toBe(3);
    // The Rathaus joins sport, religion and work, none of which are tied to each other.
    const rathaus = result.metrics.brokers.find((b) => b.name === 'Rathaus')!;
    expect(rathaus.bridgedFields).toEqual(['interreligious_dialogue', 'sport_culture', 'work_economy']);
    const within = result.metrics.fieldDensity.find((d) => d.fields[0] === 'work_economy' && d.fields[1] === 'work_economy')!;
    expect(within).toMatchObject({ ties: 0, possible: 1, density: 0 });
    const between = result.metrics.fieldDensity.find((d) => d.fields.join() === 'administration_openness,sport_culture')!;
    expect(between).toMatchObject({ ties: 1, possible: 1, density: 1 });
  });

  it('filters by field of action, kind, district and tie kind, and shows the network as it stood at a date', async () => {
    expect((await analysis('?district=worfelden')).metrics).toMatchObject({ actors: 3, edges: 1 });
    expect((await analysis('?kind=initiative,club')).metrics).toMatchObject({ actors: 3, edges: 1 });
    expect((await analysis('?fieldOfAction=work_economy,administration_openness')).metrics).toMatchObject({ actors: 3, edges: 1 });
    expect((await analysis('?tieKind=shared_premises')).metrics).toMatchObject({ actors: 7, edges: 2 });
    const then = await analysis('?at=2025-12-31');
    expect(then.metrics.edges).toBe(3);
    // Every actor was registered after that date; those named in a tie by then are in.
    expect(then.nodes.map((n) => n.name).sort()).toEqual(['Jugendzentrum', 'Moscheegemeinde', 'Rathaus', 'Sportverein']);
  });

  it('refuses filters it does not know, localised, in a field error', async () => {
    for (const query of ['?fieldOfAction=knitting', '?kind=person', '?tieKind=gossip', '?district=atlantis', '?at=2026-13-01', '?at=yesterday']) {
      const response = await get(`/api/analysis/network${query}`, 'de');
      expect(response.status, query).toBe(422);
      const body = (await response.json()) as ErrorBody;
      expect(body.error.code).toBe('invalid_fields');
      expect(body.errors?.[0]?.message.length).toBeGreaterThan(5);
    }
  });

  it('exports GEXF that graphology-gexf reads back with the same nodes, edges and attributes', async () => {
    const response = await get('/api/analysis/network.gexf');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/gexf/);
    const text = await response.text();
    const graph = parseGexf(UndirectedGraph, text);
    const json = await analysis();
    expect(graph.order).toBe(json.nodes.length);
    expect(graph.size).toBe(json.edges.length);
    for (const node of json.nodes) {
      expect(graph.getNodeAttribute(node.id, 'label')).toBe(node.name);
      expect(Number(graph.getNodeAttribute(node.id, 'betweenness'))).toBeCloseTo(node.betweenness, 10);
      expect(Number(graph.getNodeAttribute(node.id, 'community'))).toBe(node.community);
    }
    for (const edge of json.edges) expect(graph.hasEdge(edge.source, edge.target)).toBe(true);
    const audit = await platform.database.db.selectFrom('audit_log').select('action').where('action', '=', 'export.network_gexf').execute();
    expect(audit).toHaveLength(1);
  });

  it('exports GraphML that graphology-graphml and R igraph both read back', async () => {
    const response = await get('/api/analysis/network.graphml?tieKind=shared_premises,information,joint_projects');
    expect(response.status).toBe(200);
    const text = await response.text();
    const json = await analysis('?tieKind=shared_premises,information,joint_projects');
    const graph = parseGraphml(UndirectedGraph, text);
    expect(graph.order).toBe(json.nodes.length);
    expect(graph.size).toBe(json.edges.length);
    for (const node of json.nodes) expect(graph.getNodeAttribute(node.id, 'label')).toBe(node.name);
    const out = await runRIgraph(
      'g <- read_graph("network.graphml", format = "graphml"); write.csv(data.frame(n = vcount(g), m = ecount(g), directed = is_directed(g)), "size.csv", row.names = FALSE); write.csv(data.frame(label = V(g)$label), "labels.csv", row.names = FALSE, fileEncoding = "UTF-8")',
      { 'network.graphml': text },
      ['size.csv', 'labels.csv'],
    );
    expect(readRCsv(out['size.csv']!)[0]).toEqual({ n: String(json.nodes.length), m: String(json.edges.length), directed: 'FALSE' });
    expect(out['labels.csv']).toContain('Sprachcafé & <Co> ""Treff""');
  });

  it('answers an export whose filters match nothing with a clear error, not an empty file', async () => {
    for (const format of ['gexf', 'graphml']) {
      const response = await get(`/api/analysis/network.${format}?kind=police`, 'de');
      expect(response.status).toBe(422);
      const body = (await response.json()) as ErrorBody;
      expect(body.error.code).toBe('network_empty');
      expect(body.error.message).toMatch(/Filter/);
    }
    // The JSON view simply shows an empty network.
    expect((await analysis('?kind=police')).metrics).toMatchObject({ actors: 0, edges: 0, density: null });
  });

  it('answers a long chain of actors, where the eigenvector does not settle, with null rather than an error', async () => {
    const chain = Array.from({ length: 400 }, (_, i) => ({ id: `c${i}`, name: `C${i}`, kind: 'club', fieldsOfAction: [], districts: [], isPublic: false }));
    const links = chain.slice(1).map((actor, i) => ({ fromActorId: `c${i}`, toActorId: actor.id, kind: 'information' as const, source: 'staff' as const, observedOn: '2026-01-01' }));
    const result = await analyseNetwork(chain, links);
    expect(result.nodes.every((node) => node.eigenvector === null)).toBe(true);
    expect(result.nodes[200]!.betweenness).toBeGreaterThan(0.4);
    const graphml = parseGraphml(UndirectedGraph, networkGraphml(result));
    expect(graphml.getNodeAttribute('c0', 'eigenvector')).toBeUndefined();
    expect(parseGexf(UndirectedGraph, networkGexf(result)).order).toBe(400);
  });

  it('leaves a retired actor out of today’s network but keeps it for a date before its retirement', async () => {
    const response = await platform.app.request(`/api/actors/${ids.Jobcenter}/retirement`, {
      method: 'POST',
      headers: analyst.writeHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ retired: true }),
    });
    expect(response.status).toBe(200);
    const today = await analysis();
    expect(today.nodes.map((n) => n.name)).not.toContain('Jobcenter');
    expect(today.metrics.edges).toBe(4);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const before = await analysis(`?at=${yesterday}`);
    expect(before.nodes.map((n) => n.name)).toContain('Jobcenter');
    expect(before.metrics.edges).toBe(6);
    const listed = async (query: string) => ((await (await get(`/api/actors${query}`)).json()) as { actors: { name: string }[] }).actors.map((a) => a.name);
    expect(await listed('')).not.toContain('Jobcenter');
    expect(await listed('?includeRetired=true')).toContain('Jobcenter');
  });
});
