import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { isRevisedInventory } from '../network/inventory-ingest.ts';
import { listActors } from '../network/repository.ts';
import { storeResponse } from '../responses/service.ts';
import { findSurveyVersion } from '../surveys/repository.ts';

/**
 * The demo town's stakeholder inventory: seven of the demo network's organisations (same names as
 * in demo-network.ts, so the ingest links each response to its actor) answered the revised
 * inventory with their offers, so that the dashboard's inventory of offers and the public
 * directory `/offers` have something to show. Invented, like the rest of the demo town. No
 * partners are named here: the demo network's ties come from its workshops (demo-network.ts), and
 * every offer's field of action and districts are the actor's own, so the ingest changes nothing
 * in the network. Two offers are not in the public directory: one without consent to publication,
 * and the Jobcenter's (the actor is not public).
 */
export interface DemoInventoryResponse {
  /** Fixed, so a restart finds it stored and writes nothing twice. */
  id: string;
  /** The demo actor's name (demo-network.ts), answered as `org_name`. */
  actor: string;
  answers: Record<string, unknown>;
}

const offer = (fields: Record<string, unknown>) => ({ offer_all_districts: false, ...fields });

export const demoInventoryResponses: DemoInventoryResponse[] = [
  {
    id: '6d3a1c2e-0b1f-4c47-9a41-000000000001',
    actor: 'Volkshochschule Außenstelle',
    answers: {
      org_name: 'Volkshochschule Außenstelle',
      org_type: 'university_adult_education',
      org_fields: ['language_education'],
      districts_active: ['buettelborn'],
      org_public: true,
      offers: [
        offer({
          offer_title: 'Sprachcafé: Deutsch üben bei Kaffee und Tee',
          offer_field: 'language_education',
          offer_target_groups: ['newcomers', 'refugees', 'everyone'],
          offer_districts: ['buettelborn'],
          offer_where: 'VHS-Raum im Bürgerhaus',
          offer_languages: ['german', 'easy_language'],
          offer_frequency: 'weekly',
          offer_cost: 'free',
          offer_times: ['weekday_afternoon'],
          offer_accessibility: ['step_free', 'accessible_toilet', 'public_transport'],
          offer_capacity: 20,
          offer_public: true,
        }),
      ],
    },
  },
  {
    id: '6d3a1c2e-0b1f-4c47-9a41-000000000002',
    actor: 'Grundschule am Bach',
    answers: {
      org_name: 'Grundschule am Bach',
      org_type: 'school',
      org_fields: ['language_education', 'youth'],
      districts_active: ['klein-gerau'],
      org_public: true,
      offers: [
        offer({
          offer_title: 'Hausaufgabenhilfe',
          offer_field: 'language_education',
          offer_target_groups: ['children'],
          offer_districts: ['klein-gerau'],
          offer_where: 'Schulbibliothek',
          offer_languages: ['german', 'turkish', 'arabic'],
          offer_frequency: 'weekly',
          offer_cost: 'free',
          offer_times: ['weekday_afternoon'],
          offer_accessibility: ['step_free'],
          offer_capacity: 15,
          offer_public: true,
        }),
      ],
    },
  },
  {
    id: '6d3a1c2e-0b1f-4c47-9a41-000000000003',
    actor: 'Migrationsberatung',
    answers: {
      org_name: 'Migrationsberatung',
      org_type: 'counselling',
      org_fields: ['arrival', 'work_economy'],
      districts_active: ['buettelborn'],
      org_public: true,
      offers: [
        offer({
          offer_title: 'Beratung auf Arabisch und Türkisch',
          offer_field: 'arrival',
          offer_target_groups: ['newcomers', 'refugees', 'families'],
          offer_all_districts: true,
          offer_where: 'Beratungsstelle am Rathausplatz',
          offer_languages: ['arabic', 'turkish', 'german'],
          offer_frequency: 'weekly',
          offer_cost: 'free',
          offer_times: ['weekday_morning', 'by_arrangement'],
          offer_accessibility: ['step_free', 'public_transport'],
          offer_capacity: 8,
          offer_public: true,
        }),
      ],
    },
  },
  {
    id: '6d3a1c2e-0b1f-4c47-9a41-000000000004',
    actor: 'Turnverein 1890',
    answers: {
      org_name: 'Turnverein 1890',
      org_type: 'club',
      org_fields: ['sport_culture', 'youth'],
      districts_active: ['worfelden'],
      org_public: true,
      offers: [
        offer({
          offer_title: 'Frauensportgruppe mit Kinderbetreuung',
          offer_field: 'sport_culture',
          offer_target_groups: ['women'],
          offer_districts: ['worfelden'],
          offer_where: 'Kleine Turnhalle',
          offer_languages: ['german', 'arabic', 'farsi_dari'],
          offer_frequency: 'weekly',
          offer_cost: 'reduced',
          offer_times: ['weekday_morning'],
          offer_accessibility: ['childcare', 'step_free'],
          offer_capacity: 18,
          offer_public: true,
        }),
      ],
    },
  },
  {
    id: '6d3a1c2e-0b1f-4c47-9a41-000000000005',
    actor: 'AWO Ortsverein',
    answers: {
      org_name: 'AWO Ortsverein',
      org_type: 'welfare_association',
      org_fields: ['arrival', 'health'],
      districts_active: ['buettelborn', 'worfelden'],
      org_public: true,
      offers: [
        offer({
          offer_title: 'Beratung in Leichter Sprache',
          offer_field: 'arrival',
          offer_target_groups: ['people_with_disabilities', 'seniors', 'newcomers'],
          offer_districts: ['buettelborn', 'worfelden'],
          offer_where: 'AWO-Begegnungsstätte',
          offer_languages: ['easy_language', 'german'],
          offer_frequency: 'monthly',
          offer_cost: 'free',
          offer_times: ['weekday_afternoon', 'by_arrangement'],
          offer_accessibility: ['step_free', 'accessible_toilet', 'hearing_loop'],
          offer_capacity: 6,
          offer_public: true,
        }),
        offer({
          offer_title: 'Infoabend Gesundheitsversorgung mit Gebärdensprachdolmetschung (DGS)',
          offer_field: 'health',
          offer_target_groups: ['people_with_disabilities', 'everyone'],
          offer_all_districts: true,
          offer_where: 'Bürgerhaus, großer Saal',
          offer_languages: ['german', 'sign_language'],
          offer_frequency: 'once',
          offer_cost: 'free',
          offer_times: ['weekday_evening'],
          offer_accessibility: ['step_free', 'accessible_toilet', 'hearing_loop', 'public_transport'],
          offer_capacity: 60,
          offer_public: true,
        }),
        // No consent to publication: in the staff's inventory, never in the public directory.
        offer({
          offer_title: 'Schuldnerberatung (Einzeltermine)',
          offer_field: 'health',
          offer_target_groups: ['families', 'job_seekers'],
          offer_districts: ['buettelborn'],
          offer_languages: ['german'],
          offer_frequency: 'weekly',
          offer_cost: 'free',
          offer_times: ['by_arrangement'],
          offer_accessibility: ['none'],
          offer_capacity: 4,
          offer_public: false,
        }),
      ],
    },
  },
  {
    id: '6d3a1c2e-0b1f-4c47-9a41-000000000006',
    actor: 'Internationales Elterncafé',
    answers: {
      org_name: 'Internationales Elterncafé',
      org_type: 'migrant_organisation',
      org_fields: ['encounter', 'youth'],
      districts_active: ['klein-gerau'],
      org_public: true,
      offers: [
        offer({
          offer_title: 'Elternfrühstück international',
          offer_field: 'encounter',
          offer_target_groups: ['families', 'women', 'newcomers'],
          offer_districts: ['klein-gerau'],
          offer_where: 'Grundschule am Bach, Mehrzweckraum',
          offer_languages: ['german', 'turkish', 'arabic', 'russian', 'ukrainian'],
          offer_frequency: 'monthly',
          offer_cost: 'free',
          offer_times: ['weekday_morning'],
          offer_accessibility: ['childcare', 'step_free'],
          offer_capacity: 25,
          offer_public: true,
        }),
      ],
    },
  },
  {
    id: '6d3a1c2e-0b1f-4c47-9a41-000000000007',
    actor: 'Jobcenter Kreis',
    answers: {
      org_name: 'Jobcenter Kreis',
      org_type: 'jobcenter',
      org_fields: ['work_economy'],
      districts_active: ['buettelborn'],
      // The Jobcenter is not named publicly: its offer stays out of the public directory.
      org_public: false,
      offers: [
        offer({
          offer_title: 'Bewerbungstraining für Zugewanderte',
          offer_field: 'work_economy',
          offer_target_groups: ['job_seekers', 'newcomers'],
          offer_all_districts: true,
          offer_languages: ['german', 'english'],
          offer_frequency: 'monthly',
          offer_cost: 'free',
          offer_times: ['weekday_morning'],
          offer_accessibility: ['step_free', 'public_transport'],
          offer_capacity: 12,
          offer_public: true,
        }),
      ],
    },
  },
];

const SLUG = 'stakeholder-inventory';

/**
 * Writes the demo inventory responses through the normal response storage (validation against
 * the current version and the ingest into the registry), after the instruments are registered.
 * Idempotent: a response whose id is stored already is skipped, and so is one whose actor is not
 * in the registry (the demo network was not seeded: the registry had actors of its own). Nothing
 * is written unless the current stakeholder inventory is the revised one. Returns how many were
 * written.
 */
export async function seedDemoInventory(db: Kysely<Database>, log: (line: string) => void = () => {}): Promise<number> {
  const version = await findSurveyVersion(db, SLUG);
  if (!version || !isRevisedInventory(version.definition)) return 0;
  const stored = new Set(
    (await db.selectFrom('response').select('id').where('id', 'in', demoInventoryResponses.map((response) => response.id)).execute()).map((row) => row.id),
  );
  const actors = new Set((await listActors(db)).map((actor) => actor.name));
  let written = 0;
  for (const response of demoInventoryResponses) {
    if (stored.has(response.id) || !actors.has(response.actor)) continue;
    try {
      const outcome = await storeResponse(
        { db },
        { id: response.id, slug: SLUG, version: version.version, mode: 'online', locale: 'de', district: null, channel: 'demo', answers: response.answers },
      );
      if (outcome.status === 'stored') written += 1;
    } catch (error) {
      // A closed inventory or answers a later version refuses: the demo goes without this one.
      if (!(error instanceof ApiError)) throw error;
      log(`demo inventory: "${response.actor}" not written (${error.code})`);
    }
  }
  if (written > 0) log(`demo inventory: ${written} responses with offers (invented)`);
  return written;
}
