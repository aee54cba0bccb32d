import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAsDemo, type StaffSession } from '../../../tests/support/staff-session.ts';
import { REPO_ROOT, openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { deleteAnswers } from '../retention/repository.ts';
import type { NormalisedOffer } from '../shared/offers.ts';
import { dayInTown } from '../shared/town-day.ts';
import { isRevisedInventory } from './inventory-ingest.ts';

type Json = Record<string, unknown>;
const SLUG = 'stakeholder-inventory';

/**
 * The revised stakeholder inventory fills the actor registry and its ties as responses arrive
 * through the public API. The tests name questions and codes only (INVENTORY-SPEC), never wording.
 */
describe('revised stakeholder-inventory responses in the actor registry', () => {
  let platform: TestPlatform;
  let analyst: StaffSession;
  let version: number;
  const responses: Record<string, string> = {};

  const db = () => platform.database.db;
  const post = (answers: Json, id = randomUUID()) =>
    platform.app.request(`/api/surveys/${SLUG}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id, version, locale: 'de', answers }),
    });
  const questionsIn = async (res: Response) => ((await res.json()) as { errors: { question: string }[] }).errors.map((error) => error.question);
  const actors = () =>
    db().selectFrom('actor').select(['id', 'name', 'kind', 'fields_of_action', 'districts', 'is_public', 'merged_into']).orderBy('name').execute();
  const actorNamed = async (name: string) => (await actors()).find((actor) => actor.name === name)!;
  const tiesOf = (responseId: string) =>
    db()
      .selectFrom('actor_tie')
      .innerJoin('actor as f', 'f.id', 'actor_tie.from_actor_id')
      .innerJoin('actor as t', 't.id', 'actor_tie.to_actor_id')
      .select(['f.name as from', 't.name as to', 'actor_tie.kind', 'actor_tie.frequency', 'actor_tie.source'])
      .where('actor_tie.response_id', '=', responseId)
      .orderBy('t.name')
      .orderBy('actor_tie.kind')
      .execute();
  const linkOf = async (responseId: string) =>
    (await db().selectFrom('actor_response').select('actor_id').where('response_id', '=', responseId).executeTakeFirst())?.actor_id ?? null;

  const awo = {
    org_name: 'AWO Ortsverein Worfelden',
    org_type: 'welfare_association',
    org_fields: ['arrival'],
    districts_active: ['worfelden'],
    org_public: true,
    partners: [
      { partner_name: 'Tafel Büttelborn', partner_kind: 'initiative', partner_tie_kinds: ['information', 'referrals'], partner_frequency: 'monthly' },
      { partner_name: 'Tafel Büttelborn e.V.', partner_kind: 'initiative', partner_tie_kinds: ['information', 'funding'] },
      { partner_name: 'AWO OV Worfelden', partner_kind: 'welfare_association', partner_tie_kinds: ['joint_projects'] },
    ],
    offers: [
      {
        offer_title: 'Sprachcafé',
        offer_field: 'language_education',
        offer_target_groups: ['newcomers'],
        offer_all_districts: false,
        offer_districts: ['klein-gerau'],
        offer_cost: 'free',
        offer_times: ['weekday_evening', 'weekend'],
        offer_accessibility: ['none'],
        offer_capacity: 12,
        offer_public: true,
      },
      { offer_title: 'Schuldnerberatung', offer_field: 'work_economy', offer_all_districts: true, offer_cost: 'paid', offer_accessibility: ['step_free'], offer_public: false },
    ],
  };

  beforeAll(async () => {
    platform = await openTestPlatform();
    analyst = await loginAsDemo(platform.app, 'analyst');
    const served = (await (await platform.app.request(`/api/surveys/${SLUG}`)).json()) as { version: number; definition: Json };
    version = served.version;
    expect(isRevisedInventory(served.definition)).toBe(true);
  });
  afterAll(async () => platform?.close());

  it('tells the revised inventory by its questions: version 1 (partners as types) is not it', () => {
    const v1 = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'surveys/history/stakeholder-inventory.v1.json'), 'utf8')) as { definition: unknown };
    expect(isRevisedInventory(v1.definition)).toBe(false);
    expect(isRevisedInventory({ pages: [{ elements: [{ type: 'paneldynamic', name: 'partners', templateElements: [] }] }] })).toBe(true);
  });

  it('creates the organisation and its partners, links the response and records one tie per partner and kind', async () => {
    const id = randomUUID();
    const res = await post(awo, id);
    expect(res.status).toBe(201);
    responses.first = id;
    const rows = await actors();
    expect(rows).toEqual([
      {
        id: expect.any(String),
        name: 'AWO Ortsverein Worfelden',
        kind: 'welfare_association',
        fields_of_action: ['arrival', 'language_education', 'work_economy'],
        districts: ['worfelden'],
        is_public: true,
        merged_into: null,
      },
      // The two spellings of the Tafel are one actor; "AWO OV Worfelden" is the organisation itself.
      { id: expect.any(String), name: 'Tafel Büttelborn', kind: 'initiative', fields_of_action: [], districts: [], is_public: false, merged_into: null },
    ]);
    expect(await linkOf(id)).toBe((await actorNamed('AWO Ortsverein Worfelden')).id);
    expect(await tiesOf(id)).toEqual([
      { from: 'AWO Ortsverein Worfelden', to: 'Tafel Büttelborn', kind: 'funding', frequency: null, source: 'inventory' },
      { from: 'AWO Ortsverein Worfelden', to: 'Tafel Büttelborn', kind: 'information', frequency: 'monthly', source: 'inventory' },
      { from: 'AWO Ortsverein Worfelden', to: 'Tafel Büttelborn', kind: 'referrals', frequency: 'monthly', source: 'inventory' },
    ]);
    const { submitted_at } = await db().selectFrom('response').select('submitted_at').where('id', '=', id).executeTakeFirstOrThrow();
    const observed = await db().selectFrom('actor_tie').select((eb) => eb.fn<string>('to_char', [eb.ref('observed_on'), eb.val('YYYY-MM-DD')]).as('day')).where('response_id', '=', id).execute();
    expect(new Set(observed.map((row) => row.day))).toEqual(new Set([dayInTown(new Date(submitted_at))]));
    // Audited as the system's doing, with the response it came from (how staff recognise them).
    const audit = await db()
      .selectFrom('audit_log')
      .select(['actor_id', 'action', 'details'])
      .where('action', 'in', ['actor.create', 'actor_tie.create'])
      .orderBy('id')
      .execute();
    expect(audit.map((row) => [row.actor_id, row.action, (row.details as Json).fromResponse])).toEqual([
      [null, 'actor.create', id],
      [null, 'actor.create', id],
      [null, 'actor_tie.create', id],
      [null, 'actor_tie.create', id],
      [null, 'actor_tie.create', id],
    ]);
  });

  it('a second response naming the organisation in another spelling joins the same actor, which keeps its kind and public flag', async () => {
    const id = randomUUID();
    const res = await post(
      {
        org_name: 'AWO OV Worfelden e.V.',
        org_type: 'club',
        org_fields: ['youth'],
        districts_active: ['buettelborn'],
        org_public: false,
        partners: [{ partner_name: 'Gemeinde Büttelborn', partner_kind: 'administration', partner_tie_kinds: ['funding'], partner_frequency: 'weekly' }],
      },
      id,
    );
    expect(res.status).toBe(201);
    responses.second = id;
    const organisation = await actorNamed('AWO Ortsverein Worfelden');
    expect(organisation).toMatchObject({
      kind: 'welfare_association',
      is_public: true,
      fields_of_action: ['arrival', 'language_education', 'work_economy', 'youth'],
      districts: ['worfelden', 'buettelborn'],
    });
    expect(await linkOf(id)).toBe(organisation.id);
    expect((await actors()).map((actor) => actor.name)).toEqual(['AWO Ortsverein Worfelden', 'Gemeinde Büttelborn', 'Tafel Büttelborn']);
    expect(await tiesOf(id)).toEqual([{ from: 'AWO Ortsverein Worfelden', to: 'Gemeinde Büttelborn', kind: 'funding', frequency: 'weekly', source: 'inventory' }]);
  });

  // survey-core's verdict, reached by the server's validator: the expression validator
  // `{panel.partner_name} <> {org_name}`, the panel's keyName, a required checkbox in a panel.
  it('refuses the own organisation as a partner and the same partner twice, and then creates no actor', async () => {
    const before = await actors();
    const self = await post({ ...awo, org_name: 'Neue Initiative', partners: [{ partner_name: 'Neue Initiative', partner_kind: 'initiative', partner_tie_kinds: ['information'] }] });
    expect(self.status).toBe(422);
    expect(await questionsIn(self)).toEqual(['partners[0].partner_name']);
    const twice = await post({
      ...awo,
      org_name: 'Neue Initiative',
      partners: [
        { partner_name: 'Sportverein Worfelden', partner_kind: 'club', partner_tie_kinds: ['information'] },
        { partner_name: 'Sportverein Worfelden', partner_kind: 'club', partner_tie_kinds: ['funding'] },
      ],
    });
    expect(twice.status).toBe(422);
    expect(await questionsIn(twice)).toEqual(['partners[1].partner_name']);
    const noTieKind = await post({ ...awo, org_name: 'Neue Initiative', partners: [{ partner_name: 'Sportverein Worfelden', partner_kind: 'club', partner_tie_kinds: [] }] });
    expect(noTieKind.status).toBe(422);
    expect(await questionsIn(noTieKind)).toEqual(['partners[0].partner_tie_kinds']);
    expect(await actors()).toEqual(before);
    expect(await db().selectFrom('response').select('id').where('survey_slug', '=', SLUG).execute()).toHaveLength(2);
  });

  it('a failure while filling the registry stores neither the response nor any actor', async () => {
    // A real failure in the database: a trigger refuses ties to one partner's name, for this test only.
    await sql`create function refuse_tie() returns trigger language plpgsql as $$
      begin
        if (select name from actor where id = new.to_actor_id) = 'Verweigerte Partnerin' then raise exception 'refused by test'; end if;
        return new;
      end $$`.execute(db());
    await sql`create trigger refuse_tie before insert on actor_tie for each row execute function refuse_tie()`.execute(db());
    try {
      const before = await actors();
      const id = randomUUID();
      const res = await post({ org_name: 'Neuer Verein', org_type: 'club', partners: [{ partner_name: 'Verweigerte Partnerin', partner_kind: 'club', partner_tie_kinds: ['information'] }] }, id);
      expect(res.status).toBe(500);
      expect(await db().selectFrom('response').select('id').where('id', '=', id).execute()).toEqual([]);
      expect(await actors()).toEqual(before);
    } finally {
      await sql`drop trigger refuse_tie on actor_tie`.execute(db());
      await sql`drop function refuse_tie()`.execute(db());
    }
  });

  it('a similar but different name becomes a new actor that the duplicate suggestions offer, and merging keeps both responses’ links and ties', async () => {
    const id = randomUUID();
    const res = await post(
      {
        org_name: 'AWO Ortsvrein Worfelden',
        org_type: 'welfare_association',
        org_public: true,
        partners: [{ partner_name: 'Tafel Büttelborn', partner_kind: 'initiative', partner_tie_kinds: ['shared_premises'] }],
      },
      id,
    );
    expect(res.status).toBe(201);
    responses.third = id;
    const original = await actorNamed('AWO Ortsverein Worfelden');
    const typo = await actorNamed('AWO Ortsvrein Worfelden');
    expect(typo).toMatchObject({ kind: 'welfare_association', is_public: true });
    const suggestions = (await (await platform.app.request('/api/actors/duplicates', { headers: analyst.headers() })).json()) as {
      suggestions: { a: { id: string }; b: { id: string } }[];
    };
    expect(suggestions.suggestions.some((pair) => new Set([pair.a.id, pair.b.id]).size === 2 && [pair.a.id, pair.b.id].sort().join() === [original.id, typo.id].sort().join())).toBe(true);

    const merge = await platform.app.request(`/api/actors/${typo.id}/merge`, {
      method: 'POST',
      headers: analyst.writeHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ into: original.id }),
    });
    expect(merge.status).toBe(200);
    for (const responseId of [responses.first!, responses.second!, responses.third!]) expect(await linkOf(responseId)).toBe(original.id);
    expect(await tiesOf(id)).toEqual([{ from: 'AWO Ortsverein Worfelden', to: 'Tafel Büttelborn', kind: 'shared_premises', frequency: null, source: 'inventory' }]);
    expect(await tiesOf(responses.first!)).toHaveLength(3);

    // After the merge, the merged name leads to the survivor.
    const fourth = randomUUID();
    expect((await post({ org_name: 'AWO Ortsvrein Worfelden', org_type: 'welfare_association' }, fourth)).status).toBe(201);
    responses.fourth = fourth;
    expect(await linkOf(fourth)).toBe(original.id);
  });

  it('shows the revised offers with cost, times, accessibility and capacity, and publishes only consented offers of public actors', async () => {
    // A non-public organisation's consented offer stays out of the directory.
    expect(
      (
        await post({
          org_name: 'Kita Regenbogen',
          org_type: 'daycare',
          org_public: false,
          offers: [{ offer_title: 'Elterncafé', offer_field: 'encounter', offer_all_districts: true, offer_public: true }],
        })
      ).status,
    ).toBe(201);
    const inventory = (await (await platform.app.request('/api/analysis/offers', { headers: analyst.headers() })).json()) as { offers: NormalisedOffer[] };
    const byTitle = new Map(inventory.offers.map((offer) => [offer.title, offer]));
    expect(byTitle.get('Sprachcafé')).toMatchObject({
      actor: { name: 'AWO Ortsverein Worfelden', isPublic: true },
      districts: ['klein-gerau'],
      districtsFrom: 'offer',
      cost: 'free',
      times: ['weekday_evening', 'weekend'],
      accessibility: [],
      capacity: 12,
      publicationConsent: true,
    });
    expect(byTitle.get('Schuldnerberatung')).toMatchObject({ cost: 'paid', times: null, accessibility: ['step_free'], capacity: null, publicationConsent: false, districtsFrom: 'town_wide' });
    expect(byTitle.get('Elterncafé')).toMatchObject({ actor: { name: 'Kita Regenbogen', isPublic: false }, publicationConsent: true });

    const directory = (await (await platform.app.request('/api/offers')).json()) as { offers: Json[] };
    expect(directory.offers.map((offer) => [offer.title, offer.organisation, offer.cost, offer.times, offer.accessibility, offer.capacity])).toEqual([
      ['Sprachcafé', 'AWO Ortsverein Worfelden', 'free', ['weekday_evening', 'weekend'], [], 12],
    ]);
  });

  it('labels cost, times and accessibility with the instrument’s own choices, in the dashboard and the directory page', async () => {
    const served = (await (await platform.app.request(`/api/surveys/${SLUG}`)).json()) as { definition: Json };
    const choiceText = (question: string, value: string): string => {
      let found: string | undefined;
      const walk = (node: unknown) => {
        if (Array.isArray(node)) for (const item of node) walk(item);
        else if (node !== null && typeof node === 'object') {
          const element = node as Json;
          if (element.name === question) {
            const choice = (element.choices as { value: string; text: Record<string, string> }[]).find((item) => item.value === value)!;
            found = choice.text.en;
          }
          for (const key of ['pages', 'elements', 'templateElements']) if (key in element) walk(element[key]);
        }
      };
      walk(served.definition);
      return found!;
    };
    const inventory = (await (
      await platform.app.request('/api/analysis/offers', { headers: analyst.headers({ 'accept-language': 'en' }) })
    ).json()) as { labels: Record<string, Record<string, string>> };
    expect(inventory.labels.costs!.free).toBe(choiceText('offer_cost', 'free'));
    expect(inventory.labels.times!.weekend).toBe(choiceText('offer_times', 'weekend'));
    expect(inventory.labels.accessibility!.step_free).toBe(choiceText('offer_accessibility', 'step_free'));
    const page = await (await platform.app.request('/offers?lang=en')).text();
    expect(page).toContain(choiceText('offer_cost', 'free'));
    expect(page).toContain(choiceText('offer_times', 'weekday_evening'));
    expect(page).not.toContain('Schuldnerberatung');
  });

  it('serves the inventory with the public actors’ names as suggestions, never a non-public one’s, and sees a new public actor at once', async () => {
    const dataLists = async () => {
      const served = (await (await platform.app.request(`/api/surveys/${SLUG}`)).json()) as { definition: Json };
      const out: Record<string, unknown> = {};
      const walk = (node: unknown) => {
        if (Array.isArray(node)) for (const item of node) walk(item);
        else if (node !== null && typeof node === 'object') {
          const element = node as Json;
          if (element.name === 'org_name' || element.name === 'partner_name') out[element.name as string] = element.dataList;
          for (const key of ['pages', 'elements', 'templateElements']) if (key in element) walk(element[key]);
        }
      };
      walk(served.definition);
      return out;
    };
    expect(await dataLists()).toEqual({ org_name: ['AWO Ortsverein Worfelden'], partner_name: ['AWO Ortsverein Worfelden'] });
    const created = await platform.app.request('/api/actors', {
      method: 'POST',
      headers: analyst.writeHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ name: 'Volkshochschule Kreis Groß-Gerau', kind: 'university_adult_education', isPublic: true }),
    });
    expect(created.status).toBe(201);
    expect(await dataLists()).toEqual({
      org_name: ['AWO Ortsverein Worfelden', 'Volkshochschule Kreis Groß-Gerau'],
      partner_name: ['AWO Ortsverein Worfelden', 'Volkshochschule Kreis Groß-Gerau'],
    });
  });

  it('organisations answering at the same time and naming the same new partner create that partner once', async () => {
    const partner = 'Nachbarschaftshilfe Dornheim';
    const answering = Array.from({ length: 6 }, (_, i) => ({
      org_name: `Gleichzeitiger Verein ${i + 1}`,
      org_type: 'club',
      org_fields: ['sport_culture'],
      districts_active: ['buettelborn'],
      org_public: false,
      partners: [{ partner_name: partner, partner_kind: 'initiative', partner_tie_kinds: ['information'] }],
    }));
    const ids = answering.map(() => randomUUID());
    const statuses = await Promise.all(answering.map(async (answers, i) => (await post(answers, ids[i])).status));
    expect(statuses).toEqual(answering.map(() => 201));
    const named = (await actors()).filter((actor) => actor.name === partner);
    expect(named).toHaveLength(1);
    for (const id of ids) expect(await tiesOf(id)).toEqual([{ from: expect.stringMatching(/^Gleichzeitiger Verein/), to: partner, kind: 'information', frequency: null, source: 'inventory' }]);
  });

  it('deleting the answers (retention) removes their ties and links but keeps the actors', async () => {
    const before = await actors();
    await db().transaction().execute((trx) => deleteAnswers(trx, SLUG));
    expect(await db().selectFrom('actor_tie').select('id').where('source', '=', 'inventory').execute()).toEqual([]);
    expect(await db().selectFrom('actor_response').select('response_id').execute()).toEqual([]);
    expect(await actors()).toEqual(before);
  });
});
