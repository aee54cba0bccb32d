import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAsDemo, loginAsNew, type StaffSession } from '../../../tests/support/staff-session.ts';
import { openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';

// The workshop mode's sync: one poster stored once as a workshop wave, every bad input refused
// whole with a localised answer, and the wave viewable alone or beside the inventory's ties.
type ErrorBody = { error: { code: string; message: string }; errors?: { field: string; code: string; message: string }[] };
interface Workshop {
  id: string;
  name: string;
  heldOn: string;
  keyActorId: string;
  actors: { id: string; name: string; kind: string; x: number; y: number; clusterId: string | null; dots: number; addedHere: boolean }[];
  clusters: { id: string; name: string; dots: number; actorIds: string[] }[];
  ties: { from: string; to: string; kind: string; frequency: string | null }[];
}

describe('the workshop mode API /api/workshops', () => {
  let platform: TestPlatform;
  let coordinator: StaffSession;
  let analyst: StaffSession;
  let interviewer: StaffSession;
  const registry: Record<string, string> = {};

  beforeAll(async () => {
    platform = await openTestPlatform();
    coordinator = await loginAsNew(platform.app, platform.database.db, 'coordinator');
    analyst = await loginAsDemo(platform.app, 'analyst');
    interviewer = await loginAsDemo(platform.app, 'interviewer');
    for (const [key, name, kind] of [
      ['town', 'Gemeindeverwaltung', 'administration'],
      ['club', 'TSV Worfelden', 'club'],
      ['awo', 'AWO Ortsverein', 'welfare_association'],
      ['retired', 'Alter Treff', 'initiative'],
    ] as const) {
      const response = await platform.app.request('/api/actors', {
        method: 'POST',
        headers: analyst.writeHeaders({ 'content-type': 'application/json' }),
        body: JSON.stringify({ name, kind }),
      });
      expect(response.status).toBe(201);
      registry[key] = ((await response.json()) as { actor: { id: string } }).actor.id;
    }
    await platform.app.request(`/api/actors/${registry.retired}/retirement`, {
      method: 'POST',
      headers: analyst.writeHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ retired: true }),
    });
    // A survey-based tie, to be kept apart from the wave: staff-entered here (source staff).
    const tie = await platform.app.request('/api/actors/ties', {
      method: 'POST',
      headers: analyst.writeHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ from: registry.town, to: registry.awo, kind: 'funding', observedOn: '2026-01-15', source: { kind: 'staff' } }),
    });
    expect(tie.status).toBe(201);
  }, 120_000);
  afterAll(() => platform?.close());

  const sync = (body: unknown, session = coordinator, locale = 'en') =>
    platform.app.request('/api/workshops/sync', {
      method: 'POST',
      headers: session.writeHeaders({ 'content-type': 'application/json', 'accept-language': locale }),
      body: JSON.stringify(body),
    });
  const get = (url: string, session = analyst) => platform.app.request(url, { headers: session.headers({ 'accept-language': 'en' }) });
  const counts = async () => {
    const db = platform.database.db;
    const n = async (table: 'actor' | 'actor_tie' | 'workshop' | 'workshop_actor' | 'workshop_cluster') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    return { actors: await n('actor'), ties: await n('actor_tie'), workshops: await n('workshop'), onPosters: await n('workshop_actor'), clusters: await n('workshop_cluster') };
  };

  /** A small poster: the town as key actor, the club from the registry, two new actors, three ties, one cluster. */
  function poster(name = 'Workshop März 2026') {
    const id = randomUUID();
    const cafe = randomUUID();
    const mosque = randomUUID();
    const cluster = randomUUID();
    return {
      ids: { id, cafe, mosque, cluster },
      body: {
        id,
        name,
        heldOn: '2026-03-12',
        topic: 'Ankommen im Ort',
        fieldOfAction: 'arrival',
        keyActorId: registry.town,
        clusters: [{ id: cluster, name: 'Begegnung', dots: 4 }],
        actors: [
          { id: registry.town, x: 0.5, y: 0.5, clusterId: null, dots: 1 },
          { id: registry.club, x: 0.2, y: 0.3, clusterId: cluster, dots: 0 },
          { id: cafe, new: { name: 'Sprachcafé Bücherei', kind: 'initiative', fieldsOfAction: ['language_education'] }, x: 0.8, y: 0.2, clusterId: cluster, dots: 3 },
          { id: mosque, new: { name: 'Moscheegemeinde', kind: 'religious_community' }, x: 0.7, y: 0.8, clusterId: null, dots: 2 },
        ],
        ties: [
          { from: registry.town, to: cafe, kind: 'funding', frequency: 'several_times_a_year' },
          { from: cafe, to: registry.club, kind: 'shared_premises' },
          { from: mosque, to: cafe, kind: 'joint_projects', frequency: 'monthly' },
        ],
      },
    };
  }

  let stored: ReturnType<typeof poster>;

  it('stores a poster once as a dated workshop wave: new actors (non-public), ties with source workshop, cluster and dots; a repeat is a duplicate', async () => {
    stored = poster();
    const before = await counts();
    const first = await sync(stored.body);
    expect(first.status, await first.clone().text()).toBe(201);
    const answer = (await first.json()) as { status: string; workshop: Workshop };
    expect(answer.status).toBe('stored');
    expect(await counts()).toEqual({ actors: before.actors + 2, ties: before.ties + 3, workshops: before.workshops + 1, onPosters: before.onPosters + 4, clusters: before.clusters + 1 });

    // The same sync again (a lost answer, a second press): nothing more is stored.
    const again = await sync(stored.body);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { status: string }).status).toBe('duplicate');
    expect(await counts()).toEqual({ actors: before.actors + 2, ties: before.ties + 3, workshops: before.workshops + 1, onPosters: before.onPosters + 4, clusters: before.clusters + 1 });

    const db = platform.database.db;
    const cafe = await db.selectFrom('actor').select(['name', 'kind', 'is_public', 'fields_of_action']).where('id', '=', stored.ids.cafe).executeTakeFirstOrThrow();
    expect(cafe).toEqual({ name: 'Sprachcafé Bücherei', kind: 'initiative', is_public: false, fields_of_action: ['language_education'] });
    const ties = await db.selectFrom('actor_tie').select(['source', 'workshop_wave', 'workshop_id', 'kind']).select((eb) => eb.cast<string>('observed_on', 'text').as('observed_on')).where('workshop_id', '=', stored.ids.id).execute();
    expect(ties).toHaveLength(3);
    expect(new Set(ties.map((tie) => `${tie.source}|${tie.workshop_wave}|${tie.observed_on}`))).toEqual(new Set(['workshop|Workshop März 2026|2026-03-12']));

    const audit = await db.selectFrom('audit_log').select(['action', 'details']).where('target', '=', stored.ids.id).orderBy('id').execute();
    expect(audit.map((entry) => [entry.action, (entry.details as { status: string }).status])).toEqual([
      ['workshop.sync', 'stored'],
      ['workshop.sync', 'duplicate'],
    ]);

    // Read back: the list and the poster with its cluster and dots.
    const list = (await (await get('/api/workshops')).json()) as { workshops: { id: string; name: string; actorCount: number; tieCount: number; clusterCount: number; keyActorName: string }[] };
    expect(list.workshops.find((w) => w.id === stored.ids.id)).toMatchObject({ name: 'Workshop März 2026', actorCount: 4, tieCount: 3, clusterCount: 1, keyActorName: 'Gemeindeverwaltung' });
    const detail = ((await (await get(`/api/workshops/${stored.ids.id}`, coordinator)).json()) as { workshop: Workshop }).workshop;
    expect(detail.clusters).toEqual([{ id: stored.ids.cluster, name: 'Begegnung', dots: 4, actorIds: expect.arrayContaining([registry.club, stored.ids.cafe]) }]);
    expect(detail.clusters[0]!.actorIds).toHaveLength(2);
    expect(Object.fromEntries(detail.actors.map((actor) => [actor.name, actor.dots]))).toEqual({ Gemeindeverwaltung: 1, 'TSV Worfelden': 0, 'Sprachcafé Bücherei': 3, Moscheegemeinde: 2 });
    expect(detail.actors.find((actor) => actor.id === stored.ids.mosque)).toMatchObject({ addedHere: true, x: 0.7, y: 0.8 });
    expect(detail.ties).toHaveLength(3);
  });

  it('refuses the same id with other content (409) and stores nothing', async () => {
    const before = await counts();
    const changed = { ...stored.body, actors: stored.body.actors.map((actor) => (actor.id === registry.club ? { ...actor, dots: 5 } : actor)) };
    const response = await sync(changed, coordinator, 'de');
    expect(response.status).toBe(409);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe('workshop_conflict');
    expect(body.error.message).toContain('Nichts wurde gespeichert');
    expect(await counts()).toEqual(before);
  });

  const refusals: [string, (p: ReturnType<typeof poster>) => unknown, number, string, string?][] = [
    ['a tie to an actor neither on the poster nor in the registry', (p) => ({ ...p.body, ties: [...p.body.ties, { from: p.ids.cafe, to: randomUUID(), kind: 'information' }] }), 422, 'workshop_tie_unknown_actor'],
    ['a registry actor that does not exist', (p) => ({ ...p.body, actors: [...p.body.actors, { id: randomUUID(), x: 0.1, y: 0.1, dots: 0 }] }), 422, 'workshop_unknown_actor'],
    ['a retired registry actor', (p) => ({ ...p.body, actors: [...p.body.actors, { id: registry.retired, x: 0.1, y: 0.1, dots: 0 }] }), 409, 'workshop_actor_retired'],
    ['a self-tie', (p) => ({ ...p.body, ties: [...p.body.ties, { from: p.ids.cafe, to: p.ids.cafe, kind: 'information' }] }), 422, 'workshop_self_tie'],
    ['a duplicate tie (the other way round, same kind)', (p) => ({ ...p.body, ties: [...p.body.ties, { from: p.ids.cafe, to: p.ids.mosque, kind: 'joint_projects' }] }), 422, 'workshop_tie_duplicate'],
    ['a duplicate tie between registry actors', (p) => ({ ...p.body, ties: [...p.body.ties, { from: registry.town, to: registry.club, kind: 'information' }, { from: registry.club, to: registry.town, kind: 'information' }] }), 422, 'workshop_tie_duplicate'],
    ['an unknown tie kind', (p) => ({ ...p.body, ties: [{ ...p.body.ties[0]!, kind: 'friendship' }] }), 422, 'invalid_fields', 'ties.0.kind'],
    ['an unknown actor kind', (p) => ({ ...p.body, actors: p.body.actors.map((a) => (a.id === p.ids.mosque ? { ...a, new: { name: 'Moscheegemeinde', kind: 'person' } } : a)) }), 422, 'invalid_fields', 'actors.3.new.kind'],
    ['negative dots on an actor', (p) => ({ ...p.body, actors: p.body.actors.map((a, i) => (i === 1 ? { ...a, dots: -1 } : a)) }), 422, 'invalid_fields', 'actors.1.dots'],
    ['negative dots on a cluster', (p) => ({ ...p.body, clusters: [{ ...p.body.clusters[0]!, dots: -2 }] }), 422, 'invalid_fields', 'clusters.0.dots'],
    ['a cluster not on the poster', (p) => ({ ...p.body, actors: p.body.actors.map((a, i) => (i === 0 ? { ...a, clusterId: randomUUID() } : a)) }), 422, 'workshop_unknown_cluster'],
    ['a key actor added on the poster rather than picked from the registry', (p) => ({ ...p.body, keyActorId: p.ids.cafe }), 422, 'workshop_key_actor'],
    ['the same actor twice', (p) => ({ ...p.body, actors: [...p.body.actors, p.body.actors[1]!] }), 422, 'workshop_duplicate_id'],
    ['a new actor under the id of an existing one', (p) => ({ ...p.body, actors: p.body.actors.map((a) => (a.id === p.ids.mosque ? { ...a, id: registry.awo } : a)), ties: p.body.ties.map((t) => ({ ...t, from: t.from === p.ids.mosque ? registry.awo : t.from })) }), 409, 'workshop_conflict'],
    ['a position off the poster', (p) => ({ ...p.body, actors: p.body.actors.map((a, i) => (i === 0 ? { ...a, x: 1.5 } : a)) }), 422, 'invalid_fields', 'actors.0.x'],
  ];

  it.each(refusals)('refuses %s, in the requester’s language, and stores nothing', async (_what, make, status, code, field) => {
    const before = await counts();
    const p = poster('Workshop Juni 2026');
    for (const locale of ['de', 'en']) {
      const response = await sync(make(p), coordinator, locale);
      const body = (await response.json()) as ErrorBody;
      expect([response.status, body.error.code]).toEqual([status, code]);
      expect(body.error.message.length).toBeGreaterThan(0);
      if (field) expect(body.errors?.map((error) => error.field)).toContain(field);
      else expect(body.error.message).toMatch(locale === 'de' ? /Nichts wurde gespeichert/ : /Nothing was stored/);
      if (code === 'workshop_tie_duplicate') expect(body.error.message).toMatch(/(Sprachcafé Bücherei|TSV Worfelden).*(Moscheegemeinde|Gemeindeverwaltung)/);
    }
    expect(await counts()).toEqual(before);
  });

  it('lets coordinators, analysts and admins in; interviewers and anonymous requests not', async () => {
    expect((await get('/api/workshops/registry', coordinator)).status).toBe(200);
    const registryAnswer = (await (await get('/api/workshops/registry', analyst)).json()) as { actors: { id: string; name: string }[]; tieKinds: string[] };
    expect(registryAnswer.actors.map((a) => a.id)).toContain(registry.club);
    expect(registryAnswer.actors.map((a) => a.id)).not.toContain(registry.retired);
    expect(registryAnswer.tieKinds).toHaveLength(5);
    expect((await get('/api/workshops', interviewer)).status).toBe(403);
    expect((await platform.app.request('/api/workshops')).status).toBe(401);
    expect((await sync(poster('Workshop Interviewer').body, interviewer)).status).toBe(403);
    expect((await get(`/api/workshops/${randomUUID()}`)).status).toBe(404);
    expect((await get('/api/workshops/not-an-id')).status).toBe(404);
  });

  it('filters the network by tie source and by wave: the wave alone, the inventory alone, both together', async () => {
    type Net = { nodes: { id: string; name: string }[]; edges: { source: string; target: string }[] };
    const network = async (query: string) => {
      const response = await get(`/api/analysis/network${query}`);
      expect(response.status, await response.clone().text()).toBe(200);
      return (await response.json()) as Net;
    };
    const names = (net: Net) => net.nodes.map((node) => node.name).sort();
    const all = await network('');
    expect(all.edges).toHaveLength(4);
    const wave = await network(`?wave=${encodeURIComponent('Workshop März 2026')}`);
    expect(names(wave)).toEqual(['Gemeindeverwaltung', 'Moscheegemeinde', 'Sprachcafé Bücherei', 'TSV Worfelden']);
    expect(wave.edges).toHaveLength(3);
    const workshop = await network('?source=workshop');
    expect(workshop.edges).toHaveLength(3);
    const staff = await network('?source=staff');
    expect(names(staff)).toEqual(['AWO Ortsverein', 'Gemeindeverwaltung']);
    expect(staff.edges).toHaveLength(1);
    const together = await network('?source=staff,workshop');
    expect(together.edges).toHaveLength(4);
    // Before the workshop's day, the wave is not there yet.
    expect((await network(`?wave=${encodeURIComponent('Workshop März 2026')}&at=2026-03-01`)).edges).toHaveLength(0);
    // Exports take the same filter; a wave that matches nothing is a clear answer, not an empty file.
    const gexf = await get(`/api/analysis/network.gexf?wave=${encodeURIComponent('Workshop März 2026')}`);
    expect(gexf.status).toBe(200);
    const text = await gexf.text();
    expect(text).toContain('Moscheegemeinde');
    expect(text).not.toContain('AWO Ortsverein');
    const graphml = await get('/api/analysis/network.graphml?source=staff');
    expect(graphml.status).toBe(200);
    expect(await graphml.text()).not.toContain('Moscheegemeinde');
    // The waves to choose from: synced workshops (with their id) and older waves known only by name.
    const older = await platform.app.request('/api/actors/ties', {
      method: 'POST',
      headers: analyst.writeHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ from: registry.club, to: registry.awo, kind: 'information', observedOn: '2025-10-01', source: { kind: 'workshop', wave: 'Workshop Herbst 2025' } }),
    });
    expect(older.status).toBe(201);
    const listed = (await (await get('/api/analysis/network')).json()) as { waves: { name: string; heldOn: string; workshopId: string | null }[] };
    expect(listed.waves).toEqual([
      { name: 'Workshop Herbst 2025', heldOn: '2025-10-01', workshopId: null },
      { name: 'Workshop März 2026', heldOn: '2026-03-12', workshopId: stored.ids.id },
    ]);
    expect((await network(`?wave=${encodeURIComponent('Workshop Herbst 2025')}`)).edges).toHaveLength(1);
    expect((await network('?source=workshop')).edges).toHaveLength(4);
    const none = await get('/api/analysis/network.gexf?wave=Kein%20Workshop');
    expect(none.status).toBe(422);
    expect((await get('/api/analysis/network?source=survey')).status).toBe(422);
  });
  it('follows a merge: a poster actor merged into another stays on the poster as the actor it became', async () => {
    // A duplicate of the new café, added by hand, with its own poster place in a second workshop.
    const duplicate = await platform.app.request('/api/actors', { method: 'POST', headers: analyst.writeHeaders({ 'content-type': 'application/json' }), body: JSON.stringify({ name: 'Sprachcafe Buecherei', kind: 'initiative' }) });
    const duplicateId = ((await duplicate.json()) as { actor: { id: string } }).actor.id;
    const second = poster('Workshop Mai 2026');
    const body = {
      ...second.body,
      clusters: [],
      actors: [...second.body.actors.filter((a) => a.id !== second.ids.cafe), { id: duplicateId, x: 0.3, y: 0.3, clusterId: null, dots: 2 }].map((a) => ({ ...a, clusterId: null })),
      ties: [{ from: registry.town, to: duplicateId, kind: 'information' }],
    };
    expect((await sync(body)).status).toBe(201);
    const merged = await platform.app.request(`/api/actors/${duplicateId}/merge`, { method: 'POST', headers: analyst.writeHeaders({ 'content-type': 'application/json' }), body: JSON.stringify({ into: stored.ids.cafe }) });
    expect(merged.status, await merged.clone().text()).toBe(200);
    const detail = ((await (await get(`/api/workshops/${second.ids.id}`)).json()) as { workshop: Workshop }).workshop;
    expect(detail.actors.map((a) => a.id)).toContain(stored.ids.cafe);
    expect(detail.actors.map((a) => a.id)).not.toContain(duplicateId);
    expect(detail.actors.find((a) => a.id === stored.ids.cafe)!.dots).toBe(2);
    expect(detail.ties.map((t) => [t.from, t.to])).toEqual([[registry.town, stored.ids.cafe]]);
  });
});
