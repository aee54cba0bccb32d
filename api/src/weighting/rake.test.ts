import { describe, expect, it } from 'vitest';
import { csvFor, R_MISSING, readRCsv, runR } from '../../../tests/support/r-survey.ts';
import { NOT_STATED, NO_DISTRICT, rake, type PopulationCount, type RakeResult, type SampleCell } from './rake.ts';

const AGE_BANDS = ['16-20', '21-29', '30-44', '45-64', '65-74', '75+'];
const GENDERS = ['female', 'male', 'diverse'];

/** A small deterministic generator (mulberry32), so every data set is fixed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, values: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = next() * total;
  for (let i = 0; i < values.length; i += 1) if ((x -= weights[i]!) < 0) return values[i]!;
  return values.at(-1)!;
}

interface Respondent {
  district: string;
  age_band: string;
  gender: string;
}

/** Margins of a district: its adults split by fixed shares (largest remainders), both adding up. */
function districtMargins(district: string, adults: number, ageShares: number[], genderShares: number[]): PopulationCount[] {
  const split = (shares: number[]) => {
    const exact = shares.map((share) => adults * share);
    const counts = exact.map(Math.floor);
    let missing = adults - counts.reduce((a, b) => a + b, 0);
    for (const i of exact.map((value, i) => [value % 1, i] as const).sort((a, b) => b[0] - a[0]).map(([, i]) => i)) if (missing-- > 0) counts[i]! += 1;
    return counts;
  };
  return [
    ...split(ageShares).map((count, i) => ({ district, dimension: 'age_band' as const, category: AGE_BANDS[i]!, count })),
    ...split(genderShares).map((count, i) => ({ district, dimension: 'gender' as const, category: GENDERS[i]!, count })),
  ];
}

const TOWN_MARGINS: PopulationCount[] = [
  ...districtMargins('north', 5040, [0.06, 0.13, 0.22, 0.33, 0.13, 0.13], [0.505, 0.49, 0.005]),
  ...districtMargins('south', 3100, [0.08, 0.16, 0.24, 0.3, 0.12, 0.1], [0.51, 0.485, 0.005]),
  ...districtMargins('west', 1800, [0.05, 0.1, 0.2, 0.35, 0.15, 0.15], [0.5, 0.49, 0.01]),
];

/** Online-survey-like skew: older and female respondents over-represented, age and gender associated. */
function sample(seed: number, size: number, options: { notStated?: number; noDistrict?: number } = {}): Respondent[] {
  const next = random(seed);
  const respondents: Respondent[] = [];
  for (let i = 0; i < size; i += 1) {
    const district = next() < (options.noDistrict ?? 0) ? NO_DISTRICT : pick(next, ['north', 'south', 'west'], [5, 3, 2]);
    const age_band = next() < (options.notStated ?? 0) ? NOT_STATED : pick(next, AGE_BANDS, [1, 2, 4, 7, 5, 3]);
    const older = AGE_BANDS.indexOf(age_band) >= 4;
    const gender = next() < (options.notStated ?? 0) ? NOT_STATED : pick(next, GENDERS, older ? [3, 1, 0.05] : [1.2, 1, 0.1]);
    respondents.push({ district, age_band, gender });
  }
  return respondents;
}

function cellsOf(respondents: readonly Respondent[]): SampleCell[] {
  const cells = new Map<string, SampleCell>();
  for (const r of respondents) {
    const key = `${r.district}|${r.age_band}|${r.gender}`;
    const cell = cells.get(key) ?? { ...r, n: 0 };
    cell.n += 1;
    cells.set(key, cell);
  }
  return [...cells.values()];
}

/**
 * R's reference: the same "not stated", "no district" and empty-cell rules written independently
 * in R, then survey::rake on an unweighted design (and trimWeights when asked). Writes one weight
 * per respondent, whether rake warned that it did not converge, and Kish's deff from R's weights.
 */
const RAKE_SCRIPT = `
args <- as.list(read.csv('args.csv'))
s <- read.csv('sample.csv', colClasses = 'character')
m <- read.csv('margins.csv', colClasses = c('character', 'character', 'character', 'numeric'))
s$w0 <- 1
genders <- m[m$dimension == 'gender', ]
tot <- tapply(genders$count, genders$district, sum)
town <- sum(tot)
s0 <- mean(s$district == '_none')
targets <- function(dim) {
  out <- NULL
  for (d in unique(s$district)) {
    if (d == '_none') {
      total <- town * s0
      pop <- aggregate(count ~ category, m[m$dimension == dim, ], sum)
    } else {
      total <- tot[[d]] * (1 - s0)
      pop <- m[m$district == d & m$dimension == dim, c('category', 'count')]
    }
    x <- s[[dim]][s$district == d]
    ns <- mean(x == '_not_stated')
    seen <- pop[pop$category %in% x & pop$count > 0, ]
    f <- data.frame(district = d, category = seen$category, Freq = seen$count / sum(seen$count) * total * (1 - ns))
    if (ns > 0) f <- rbind(f, data.frame(district = d, category = '_not_stated', Freq = ns * total))
    out <- rbind(out, f)
  }
  names(out)[2] <- dim
  out
}
design <- svydesign(ids = ~1, weights = ~w0, data = s)
not_converged <- FALSE
raked <- withCallingHandlers(
  rake(design, list(~district + age_band, ~district + gender), list(targets('age_band'), targets('gender')),
       control = list(maxit = args$maxit, epsilon = args$epsilon)),
  warning = function(w) { if (grepl('did not converge', conditionMessage(w))) not_converged <<- TRUE; invokeRestart('muffleWarning') })
if (!is.na(args$trim)) raked <- trimWeights(raked, upper = args$trim * mean(weights(raked)))
w <- weights(raked)
write.csv(data.frame(id = s$id, weight = sprintf('%.17g', w)), 'weights.csv', row.names = FALSE)
n <- length(w)
writeLines(c(sprintf('converged=%s', !not_converged), sprintf('deff=%.17g', n * sum(w^2) / sum(w)^2),
             sprintf('neff=%.17g', sum(w)^2 / sum(w^2))), 'summary.txt')
`;

async function rakeInR(respondents: readonly Respondent[], margins: readonly PopulationCount[], control: { maxit: number; epsilon: number; trim?: number }) {
  const out = await runR(
    RAKE_SCRIPT,
    {
      'args.csv': csvFor(['maxit', 'epsilon', 'trim'], [[control.maxit, control.epsilon, control.trim ?? 'NA']]),
      'sample.csv': csvFor(['id', 'district', 'age_band', 'gender'], respondents.map((r, i) => [i + 1, r.district, r.age_band, r.gender])),
      'margins.csv': csvFor(['district', 'dimension', 'category', 'count'], margins.map((m) => [m.district, m.dimension, m.category, m.count])),
    },
    ['weights.csv', 'summary.txt'],
  );
  const summary = Object.fromEntries(out['summary.txt']!.trim().split('\n').map((line) => line.split('=') as [string, string]));
  return {
    weights: readRCsv(out['weights.csv']!).map((row) => Number(row.weight)),
    converged: summary.converged === 'TRUE',
    deff: Number(summary.deff),
    neff: Number(summary.neff),
  };
}

function weightsPerRespondent(result: RakeResult, respondents: readonly Respondent[]): number[] {
  const byCell = new Map(result.cells.map((cell) => [`${cell.district}|${cell.age_band}|${cell.gender}`, cell.weight]));
  return respondents.map((r) => byCell.get(`${r.district}|${r.age_band}|${r.gender}`)!);
}

function expectSameWeights(ours: readonly number[], theirs: readonly number[]) {
  expect(ours.length).toBe(theirs.length);
  let largest = 0;
  for (let i = 0; i < ours.length; i += 1) largest = Math.max(largest, Math.abs(ours[i]! - theirs[i]!));
  expect(largest).toBeLessThan(1e-6);
}

function rakeOk(respondents: readonly Respondent[], margins: readonly PopulationCount[], options: Parameters<typeof rake>[2]): RakeResult {
  const outcome = rake(cellsOf(respondents), margins, options);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome.result;
}

const DATA_SETS: Array<{ name: string; respondents: Respondent[] }> = [
  { name: 'a skewed sample of 400', respondents: sample(1, 400) },
  { name: 'with "not stated" age bands and genders and respondents without a district', respondents: sample(2, 500, { notStated: 0.08, noDistrict: 0.05 }) },
  {
    name: 'with empty cells (nobody aged 16-20 in the west, nobody diverse in the south)',
    respondents: sample(3, 300).filter((r) => !(r.district === 'west' && r.age_band === '16-20') && !(r.district === 'south' && r.gender === 'diverse')),
  },
];

describe('raking agrees with R survey::rake', () => {
  it('without Rscript the comparison fails with one line naming the Debian packages, never skips', async () => {
    await expect(runR('1', {}, [], { rscript: 'Rscript-not-installed' })).rejects.toThrow(R_MISSING);
    expect(R_MISSING).toMatch(/r-base-core r-cran-survey/);
  });

  for (const { name, respondents } of DATA_SETS) {
    it(`${name}: converged weights, margins hit, Kish deff and effective n`, async () => {
      const result = rakeOk(respondents, TOWN_MARGINS, { maxIterations: 200, tolerance: 1e-10 });
      expect(result.converged).toBe(true);
      expect(result.largestDeviation).toBeLessThanOrEqual(1e-10);
      // R with its own stopping rule (change of the full table below 1e-12 · n) reaches the same fixed point.
      const r = await rakeInR(respondents, TOWN_MARGINS, { maxit: 1000, epsilon: 1e-12 });
      expect(r.converged).toBe(true);
      expectSameWeights(weightsPerRespondent(result, respondents), r.weights);
      // And pass for pass: R stopped after exactly as many passes gives the same weights.
      const samePasses = await rakeInR(respondents, TOWN_MARGINS, { maxit: result.iterations, epsilon: 1e-300 });
      expectSameWeights(weightsPerRespondent(result, respondents), samePasses.weights);
      expect(result.designEffect).toBeCloseTo(r.deff, 9);
      expect(result.effectiveN).toBeCloseTo(r.neff, 6);
      expect(result.designEffect).toBeGreaterThan(1);
      expect(result.weights.sum).toBeCloseTo(result.populationTotal, 6);
    });
  }

  it('a sample that does not converge within the cap: reported as such, the same weights as R after the same passes', async () => {
    const respondents = sample(4, 250);
    const result = rakeOk(respondents, TOWN_MARGINS, { maxIterations: 2, tolerance: 1e-12 });
    expect(result.iterations).toBe(2);
    expect(result.converged).toBe(false);
    expect(result.largestDeviation).toBeGreaterThan(1e-12);
    const r = await rakeInR(respondents, TOWN_MARGINS, { maxit: 2, epsilon: 1e-12 });
    expect(r.converged).toBe(false);
    expectSameWeights(weightsPerRespondent(result, respondents), r.weights);
  });

  it('trimming to 2 × the mean weight agrees with survey::trimWeights, and the total holds', async () => {
    const respondents = sample(5, 300);
    const untrimmed = rakeOk(respondents, TOWN_MARGINS, { maxIterations: 200, tolerance: 1e-10 });
    const result = rakeOk(respondents, TOWN_MARGINS, { maxIterations: 200, tolerance: 1e-10, trim: { cap: 2 } });
    expect(untrimmed.weights.max).toBeGreaterThan(2 * untrimmed.weights.mean);
    expect(result.trimming!.trimmed).toBeGreaterThan(0);
    expect(result.weights.sum).toBeCloseTo(untrimmed.weights.sum, 6);
    expect(result.designEffect).toBeLessThan(untrimmed.designEffect);
    const r = await rakeInR(respondents, TOWN_MARGINS, { maxit: 1000, epsilon: 1e-12, trim: 2 });
    expectSameWeights(weightsPerRespondent(result, respondents), r.weights);
    expect(result.designEffect).toBeCloseTo(r.deff, 9);
  });
});

describe('the documented rules for incomplete answers and margins', () => {
  it('"not stated" keeps its sample share of the district, and respondents without a district theirs of the town', () => {
    const respondents = sample(6, 400, { notStated: 0.1, noDistrict: 0.1 });
    const result = rakeOk(respondents, TOWN_MARGINS, { maxIterations: 200, tolerance: 1e-10 });
    const town = TOWN_MARGINS.filter((m) => m.dimension === 'gender').reduce((a, m) => a + m.count, 0);
    const weightOf = (filter: (r: Respondent) => boolean) =>
      weightsPerRespondent(result, respondents).reduce((sum, w, i) => sum + (filter(respondents[i]!) ? w : 0), 0);
    const noDistrict = respondents.filter((r) => r.district === NO_DISTRICT).length / respondents.length;
    expect(weightOf((r) => r.district === NO_DISTRICT) / town).toBeCloseTo(noDistrict, 9);
    const north = respondents.filter((r) => r.district === 'north');
    const northNotStated = north.filter((r) => r.age_band === NOT_STATED).length / north.length;
    expect(weightOf((r) => r.district === 'north' && r.age_band === NOT_STATED) / weightOf((r) => r.district === 'north')).toBeCloseTo(northNotStated, 9);
    expect(result.notes).toContainEqual(expect.objectContaining({ code: 'no_district', respondents: Math.round(noDistrict * respondents.length) }));
    expect(result.notes).toContainEqual(expect.objectContaining({ code: 'not_stated', district: 'north', dimension: 'age_band' }));
  });

  it('an empty cell is reported and its population goes to the district\'s other categories', () => {
    const respondents = sample(3, 300).filter((r) => !(r.district === 'west' && r.age_band === '16-20'));
    const result = rakeOk(respondents, TOWN_MARGINS, { maxIterations: 200, tolerance: 1e-10 });
    const west = TOWN_MARGINS.find((m) => m.district === 'west' && m.dimension === 'age_band' && m.category === '16-20')!;
    expect(result.notes).toContainEqual({ code: 'empty_cell', district: 'west', dimension: 'age_band', category: '16-20', population: west.count });
    const westTotal = result.cells.filter((c) => c.district === 'west').reduce((sum, c) => sum + c.n * c.weight, 0);
    expect(westTotal).toBeCloseTo(1800, 6);
  });

  it('margins that do not add up, a zero margin with respondents, respondents without a margin: problems, no weights', () => {
    const respondents: SampleCell[] = [
      { district: 'north', age_band: '30-44', gender: 'female', n: 3 },
      { district: 'south', age_band: '45-64', gender: 'diverse', n: 2 },
      { district: 'west', age_band: '99+', gender: 'male', n: 1 },
      { district: 'east', age_band: '30-44', gender: 'male', n: 4 },
    ];
    const margins = TOWN_MARGINS.map((m) =>
      m.district === 'north' && m.category === 'female' ? { ...m, count: m.count + 1 } : m.district === 'south' && m.category === 'diverse' ? { ...m, count: 0 } : m,
    ).filter((m) => !(m.district === 'south' && m.category === 'male'));
    const outcome = rake(respondents, margins);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problems).toEqual(
      expect.arrayContaining([
        { code: 'margins_inconsistent', district: 'north', age_band: 5040, gender: 5041 },
        { code: 'margin_zero_with_respondents', district: 'south', dimension: 'gender', category: 'diverse', respondents: 2 },
        { code: 'cell_without_margin', district: 'west', dimension: 'age_band', category: '99+', respondents: 1 },
        { code: 'margins_missing', district: 'east', dimension: 'age_band', respondents: 4 },
        { code: 'margins_missing', district: 'east', dimension: 'gender', respondents: 4 },
      ]),
    );
  });
});
