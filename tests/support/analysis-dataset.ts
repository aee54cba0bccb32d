import type { SeededResponse } from './insert-responses.ts';

/** A small deterministic random generator (mulberry32), so every run seeds the same data. */
export function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[], weights?: readonly number[]): T => {
    const w = weights ?? items.map(() => 1);
    let r = next() * w.reduce((a, b) => a + b, 0);
    for (let i = 0; i < items.length; i += 1) {
      r -= w[i]!;
      if (r < 0) return items[i]!;
    }
    return items[items.length - 1]!;
  };
  return { next, pick, chance: (p: number) => next() < p };
}

/**
 * The target groups of the demo town, written again in plain JavaScript: the tests count with
 * these, independently of survey-core's evaluation in the application.
 */
export function expectedTargetGroups(answers: Record<string, unknown>): string[] {
  const groups: string[] = [];
  const languages = Array.isArray(answers.languages_home) ? (answers.languages_home as string[]) : [];
  if (answers.age_band === '16-20') groups.push('young_people');
  if (answers.age_band === '65-74' || answers.age_band === '75+') groups.push('seniors');
  if (answers.children === 'yes') groups.push('families_with_children');
  if (typeof answers.years_in_town === 'number' && answers.years_in_town < 3) groups.push('new_residents');
  if (['own', 'parents', 'grandparents'].includes(answers.migration_history as string)) groups.push('migration_history');
  if (languages.some((language) => language !== 'german')) groups.push('other_language_at_home');
  if (['attend_event', 'join_group', 'organise_myself'].includes(answers.participation_wish as string)) groups.push('wants_to_take_part');
  return groups;
}

export const DATASET_SLUG = 'baseline-lite';

/**
 * Responses to the `baseline-lite` fixture: three districts of very different size (Worfelden small
 * enough to produce cells under k), a few without district, both modes, five languages.
 */
export function analysisDataset(seed = 20261126): SeededResponse[] {
  const random = randomSource(seed);
  const plan: [string | null, number][] = [
    ['buettelborn', 90],
    ['klein-gerau', 60],
    ['worfelden', 22],
    [null, 2],
  ];
  const responses: SeededResponse[] = [];
  for (const [district, count] of plan) {
    for (let i = 0; i < count; i += 1) {
      const answers: Record<string, unknown> = {};
      if (district) answers.district = district;
      if (random.chance(0.95)) answers.satisfaction_district = random.pick([1, 2, 3, 4, 5], [1, 2, 4, 6, 3]);
      if (random.chance(0.9)) {
        const matrix: Record<string, number> = {};
        if (random.chance(0.95)) matrix.feel_welcome = random.pick([1, 2, 3], [1, 3, 6]);
        if (random.chance(0.8)) matrix.neighbours_help = random.pick([1, 2, 3], [2, 3, 3]);
        answers.living_together = matrix;
      }
      if (random.chance(0.85)) {
        answers.barriers_health = ['barrier_language', 'barrier_time', 'barrier_cost'].filter((_, index) => random.chance([0.15, 0.5, 0.3][index]!));
      }
      if (random.chance(0.5)) answers.improvement_ideas = random.pick(['Mehr Bänke am Spielplatz', 'Ein Sprachcafé', '   ', 'Bessere Busverbindung']);
      if (random.chance(0.9)) answers.participation_wish = random.pick(['not_now', 'keep_informed', 'attend_event', 'join_group'], [4, 4, 2, 1]);
      if (random.chance(0.93)) answers.age_band = random.pick(['16-20', '21-29', '30-44', '45-64', '65-74', '75+', 'no_answer'], [1, 2, 4, 5, 3, 2, 1]);
      if (random.chance(0.9)) {
        const languages = ['german', 'turkish', 'arabic', 'farsi_dari'].filter((_, index) => random.chance([0.9, 0.15, 0.1, 0.04][index]!));
        if (languages.length > 0) answers.languages_home = languages;
      }
      if (random.chance(0.9)) answers.children = random.pick(['yes', 'no', 'no_answer'], [4, 5, 1]);
      if (random.chance(0.85)) answers.years_in_town = random.pick([0.5, 1, 2, 4, 8, 15, 25, 40]);
      if (random.chance(0.8)) answers.age = 16 + Math.floor(random.next() * 70);
      if (random.chance(0.6)) answers.volunteers = random.chance(0.3);
      responses.push({
        slug: DATASET_SLUG,
        district,
        mode: random.chance(0.2) ? 'interview' : 'online',
        locale: random.pick(['de', 'tr', 'ar', 'en', 'fa'], [70, 10, 8, 7, 5]),
        answers,
        targetGroups: expectedTargetGroups(answers),
        submittedAt: new Date(Date.UTC(2026, 10, 2 + Math.floor(random.next() * 10), 8 + Math.floor(random.next() * 10))),
      });
    }
  }
  return responses;
}
