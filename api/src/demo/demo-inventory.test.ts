import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAsDemo } from '../../../tests/support/staff-session.ts';
import { openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { demoInventoryResponses, seedDemoInventory } from './demo-inventory.ts';
import { demoNetworkActors, demoNetworkTies } from './demo-network.ts';

interface PublicOffer {
  title: string;
  organisation: string;
  cost: string | null;
  languages: string[];
  capacity: number | null;
}

const demoIds = demoInventoryResponses.map((response) => response.id);
const allTitles = demoInventoryResponses.flatMap((response) => (response.answers.offers as { offer_title: string }[]).map((offer) => offer.offer_title));

// The demo town's inventory responses (demo-inventory.ts), written at start-up with the demo
// network through the normal response storage: their offers reach the public directory, except one
// without consent and the non-public Jobcenter's; a second run writes nothing.
describe('the demo town’s stakeholder inventory', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await openTestPlatform({ config: { seedDemoNetwork: true } });
  }, 120_000);
  afterAll(() => platform?.close());

  const responseCount = async () =>
    Number((await platform.database.db.selectFrom('response').select((eb) => eb.fn.countAll().as('n')).where('id', 'in', demoIds).executeTakeFirstOrThrow()).n);

  it('puts the demo actors’ consenting offers in GET /api/offers, and not the others', async () => {
    const response = await platform.app.request('/api/offers', { headers: { 'accept-language': 'de' } });
    expect(response.status).toBe(200);
    const { offers } = (await response.json()) as { offers: PublicOffer[] };
    expect(offers.map((offer) => offer.title).sort()).toEqual(
      [
        'Beratung auf Arabisch und Türkisch',
        'Beratung in Leichter Sprache',
        'Elternfrühstück international',
        'Frauensportgruppe mit Kinderbetreuung',
        'Hausaufgabenhilfe',
        'Infoabend Gesundheitsversorgung mit Gebärdensprachdolmetschung (DGS)',
        'Sprachcafé: Deutsch üben bei Kaffee und Tee',
      ].sort(),
    );
    // No consent to publication; an actor not marked public.
    expect(offers.map((offer) => offer.title)).not.toContain('Schuldnerberatung (Einzeltermine)');
    expect(offers.map((offer) => offer.organisation)).not.toContain('Jobcenter Kreis');
    const sport = offers.find((offer) => offer.title.startsWith('Frauensport'))!;
    expect([sport.organisation, sport.cost, sport.capacity]).toEqual(['Turnverein 1890', 'reduced', 18]);
    expect(offers.find((offer) => offer.title.startsWith('Infoabend'))!.languages).toContain('sign_language');
  });

  it('links every response to its demo actor and leaves the network as the workshops drew it', async () => {
    expect(await responseCount()).toBe(demoInventoryResponses.length);
    const links = await platform.database.db
      .selectFrom('actor_response')
      .innerJoin('actor', 'actor.id', 'actor_response.actor_id')
      .select(['actor_response.response_id as responseId', 'actor.name as name'])
      .where('actor_response.response_id', 'in', demoIds)
      .execute();
    expect(Object.fromEntries(links.map((link) => [link.responseId, link.name]))).toEqual(
      Object.fromEntries(demoInventoryResponses.map((response) => [response.id, response.actor])),
    );
    const analyst = await loginAsDemo(platform.app, 'analyst');
    const network = (await (await platform.app.request('/api/analysis/network', { headers: analyst.headers() })).json()) as { nodes: unknown[]; edges: unknown[] };
    expect([network.nodes.length, network.edges.length]).toEqual([demoNetworkActors.length, demoNetworkTies.length]);
    // The staff's inventory has every offer, the one without consent too.
    const inventory = await (await platform.app.request('/api/analysis/offers', { headers: analyst.headers() })).text();
    for (const title of allTitles) expect(inventory).toContain(JSON.stringify(title));
  });

  it('writes nothing twice when the seed runs again', async () => {
    const before = await platform.database.db.selectFrom('actor').select('id').execute();
    expect(await seedDemoInventory(platform.database.db)).toBe(0);
    expect(await responseCount()).toBe(demoInventoryResponses.length);
    expect((await platform.database.db.selectFrom('actor').select('id').execute()).length).toBe(before.length);
  });
});

describe('without the demo network', () => {
  it('writes no demo inventory responses (tests start without them)', async () => {
    const platform = await openTestPlatform();
    try {
      const rows = await platform.database.db.selectFrom('response').select('id').where('id', 'in', demoIds).execute();
      expect(rows).toEqual([]);
      // And called directly, it finds none of the demo actors in the registry: still nothing.
      expect(await seedDemoInventory(platform.database.db)).toBe(0);
    } finally {
      await platform.close();
    }
  }, 120_000);
});
