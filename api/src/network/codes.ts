/**
 * The codes the actor registry accepts. They are the shared code lists of the instruments
 * (surveys/shared/code-lists.json); network.test.ts fails when the two drift apart. Kept as
 * constants here so that the registry does not depend on where the instruments folder lives.
 */

/** The seed's kinds of actors; the list's `resident` is left out: the registry holds no persons. */
export const ACTOR_KINDS = [
  'administration',
  'politics',
  'school',
  'daycare',
  'religious_community',
  'club',
  'initiative',
  'welfare_association',
  'migrant_organisation',
  'counselling',
  'business',
  'advisory_council',
  'university_adult_education',
  'chamber',
  'jobcenter',
  'housing_company',
  'police',
  'network',
] as const;

export const FIELDS_OF_ACTION = [
  'language_education',
  'work_economy',
  'health',
  'housing_neighbourhood',
  'sport_culture',
  'encounter',
  'administration_openness',
  'interreligious_dialogue',
  'civic_engagement',
  'political_participation',
  'inclusion_accessibility',
  'youth',
  'arrival',
] as const;

export const TIE_KINDS = ['information', 'joint_projects', 'referrals', 'shared_premises', 'funding'] as const;
export const TIE_FREQUENCIES = ['rarely', 'several_times_a_year', 'monthly', 'weekly'] as const;

export type ActorKind = (typeof ACTOR_KINDS)[number];
export type FieldOfAction = (typeof FIELDS_OF_ACTION)[number];
