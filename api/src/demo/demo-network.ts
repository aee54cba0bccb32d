import type { SeedActor, SeedTie } from '../network/index.ts';

/**
 * The demo town's network of actors: invented organisations of the kinds a small town has, in its
 * three districts, with ties from two workshops (March and May 2026) and a few entered by staff,
 * so that the map, the table and the comparison of two dates have something to show. One actor
 * has no tie (an isolate), one bridges sport and work.
 */
export const demoNetworkActors: SeedActor[] = [
  { key: 'rathaus', name: 'Rathaus, Fachbereich Soziales', kind: 'administration', fieldsOfAction: ['administration_openness', 'arrival'], districts: ['buettelborn'], isPublic: true },
  { key: 'beirat', name: 'Ausländerbeirat', kind: 'advisory_council', fieldsOfAction: ['political_participation'], districts: ['buettelborn'], isPublic: true },
  { key: 'vhs', name: 'Volkshochschule Außenstelle', kind: 'university_adult_education', fieldsOfAction: ['language_education'], districts: ['buettelborn'], isPublic: true },
  { key: 'grundschule', name: 'Grundschule am Bach', kind: 'school', fieldsOfAction: ['language_education', 'youth'], districts: ['klein-gerau'], isPublic: true },
  { key: 'kita', name: 'Kita Sonnenblume', kind: 'daycare', fieldsOfAction: ['language_education', 'youth'], districts: ['worfelden'], isPublic: true },
  { key: 'tv', name: 'Turnverein 1890', kind: 'club', fieldsOfAction: ['sport_culture', 'youth'], districts: ['worfelden'], isPublic: true },
  { key: 'moschee', name: 'Moscheegemeinde', kind: 'religious_community', fieldsOfAction: ['interreligious_dialogue', 'encounter'], districts: ['buettelborn'], isPublic: true },
  { key: 'kirche', name: 'Evangelische Kirchengemeinde', kind: 'religious_community', fieldsOfAction: ['interreligious_dialogue', 'encounter'], districts: ['klein-gerau'], isPublic: true },
  { key: 'awo', name: 'AWO Ortsverein', kind: 'welfare_association', fieldsOfAction: ['arrival', 'health'], districts: ['buettelborn', 'worfelden'], isPublic: true },
  { key: 'jobcenter', name: 'Jobcenter Kreis', kind: 'jobcenter', fieldsOfAction: ['work_economy'], districts: ['buettelborn'], isPublic: false },
  { key: 'gewerbe', name: 'Gewerbeverein', kind: 'business', fieldsOfAction: ['work_economy'], districts: ['klein-gerau'], isPublic: true },
  { key: 'helferkreis', name: 'Helferkreis Asyl', kind: 'initiative', fieldsOfAction: ['arrival', 'civic_engagement'], districts: ['worfelden'], isPublic: true },
  { key: 'elterncafe', name: 'Internationales Elterncafé', kind: 'migrant_organisation', fieldsOfAction: ['encounter', 'youth'], districts: ['klein-gerau'], isPublic: true },
  { key: 'beratung', name: 'Migrationsberatung', kind: 'counselling', fieldsOfAction: ['arrival', 'work_economy'], districts: ['buettelborn'], isPublic: true },
  { key: 'wohnbau', name: 'Wohnungsbaugesellschaft', kind: 'housing_company', fieldsOfAction: ['housing_neighbourhood'], districts: ['buettelborn', 'klein-gerau', 'worfelden'], isPublic: false },
];

const march = 'Workshop März 2026';
const may = 'Workshop Mai 2026';
const tie = (from: string, to: string, kind: SeedTie['kind'], observedOn: string, wave: string | null, frequency: SeedTie['frequency'] = null): SeedTie => ({
  from,
  to,
  kind,
  frequency,
  observedOn,
  wave,
});

export const demoNetworkTies: SeedTie[] = [
  tie('rathaus', 'beirat', 'information', '2026-03-12', march, 'monthly'),
  tie('rathaus', 'vhs', 'joint_projects', '2026-03-12', march, 'several_times_a_year'),
  tie('rathaus', 'awo', 'funding', '2026-03-12', march),
  tie('rathaus', 'helferkreis', 'information', '2026-03-12', march, 'monthly'),
  tie('rathaus', 'beratung', 'referrals', '2026-03-12', march, 'weekly'),
  tie('vhs', 'beratung', 'referrals', '2026-03-12', march, 'weekly'),
  tie('vhs', 'jobcenter', 'referrals', '2026-03-12', march, 'monthly'),
  tie('jobcenter', 'beratung', 'information', '2026-03-12', march),
  tie('jobcenter', 'gewerbe', 'joint_projects', '2026-03-12', march, 'rarely'),
  tie('grundschule', 'kita', 'information', '2026-03-12', march, 'several_times_a_year'),
  tie('grundschule', 'elterncafe', 'shared_premises', '2026-03-12', march, 'weekly'),
  tie('kita', 'elterncafe', 'information', '2026-03-12', march),
  tie('moschee', 'kirche', 'joint_projects', '2026-03-12', march, 'several_times_a_year'),
  tie('kirche', 'helferkreis', 'shared_premises', '2026-03-12', march, 'weekly'),
  tie('awo', 'helferkreis', 'joint_projects', '2026-03-12', march, 'monthly'),
  tie('awo', 'beratung', 'referrals', '2026-03-12', march, 'weekly'),
  tie('tv', 'gewerbe', 'funding', '2026-02-20', null),
  // The May workshop: new ties across fields (the sports club reaches the school, the mosque the parents' café).
  tie('tv', 'grundschule', 'joint_projects', '2026-05-07', may, 'weekly'),
  tie('tv', 'helferkreis', 'information', '2026-05-07', may),
  tie('moschee', 'elterncafe', 'joint_projects', '2026-05-07', may, 'monthly'),
  tie('beirat', 'moschee', 'information', '2026-05-07', may),
  tie('beirat', 'elterncafe', 'information', '2026-05-07', may),
  tie('vhs', 'kita', 'joint_projects', '2026-05-07', may, 'several_times_a_year'),
];
