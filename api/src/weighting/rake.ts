/**
 * Raking (iterative proportional fitting) of respondents to district population margins: within
 * each district by age band and by gender, which also fixes the district totals. This is R's
 * `rake(design, list(~district+age_band, ~district+gender), …)` on an unweighted design, computed
 * on cells (district × age band × gender with their respondent counts): every respondent of a cell
 * ends with the same weight, so the cells are all the work there is. Pure computation, no SQL.
 */

/** The code of a respondent's age band or gender when none was given (or "no answer"). */
export const NOT_STATED = '_not_stated';
/** The district of respondents without one (as in the analysis breakdowns). */
export const NO_DISTRICT = '_none';

export type WeightingDimension = 'age_band' | 'gender';
export const WEIGHTING_DIMENSIONS: readonly WeightingDimension[] = ['age_band', 'gender'];

/** Respondents of one district × age band × gender (NOT_STATED / NO_DISTRICT where unknown). */
export interface SampleCell {
  district: string;
  age_band: string;
  gender: string;
  n: number;
}

/** A district's population count for one category of one dimension. */
export interface PopulationCount {
  district: string;
  dimension: WeightingDimension;
  category: string;
  count: number;
}

export interface TrimOptions {
  /** Weights above cap × mean weight are cut to it (like `trimWeights(design, upper = cap * mean(w))`). */
  cap: number;
  /** Repeat until no weight is above the cap (`strict = TRUE`); otherwise one pass, as R by default. */
  strict?: boolean;
}

export interface RakeOptions {
  /** Passes (one adjustment to each dimension's margins) at most. */
  maxIterations: number;
  /** Converged when no weighted margin is further than this, relative, from its target. */
  tolerance: number;
  trim?: TrimOptions;
}

export const DEFAULT_RAKE_OPTIONS: RakeOptions = { maxIterations: 50, tolerance: 1e-6 };

/** Something that makes weighting impossible: the analyst (or admin) must fix the margins. */
export type WeightingProblem =
  | { code: 'margins_missing'; district: string; dimension: WeightingDimension; respondents: number }
  | { code: 'margins_inconsistent'; district: string; age_band: number; gender: number }
  | { code: 'margin_zero_with_respondents'; district: string; dimension: WeightingDimension; category: string; respondents: number }
  | { code: 'cell_without_margin'; district: string; dimension: WeightingDimension; category: string; respondents: number };

/** Something the weighting handled by its documented rule, reported so nobody is surprised. */
export type WeightingNote =
  | { code: 'not_stated'; district: string; dimension: WeightingDimension; respondents: number; share: number }
  | { code: 'no_district'; respondents: number; share: number }
  | { code: 'empty_cell'; district: string; dimension: WeightingDimension; category: string; population: number }
  | { code: 'district_without_respondents'; district: string; population: number };

/** One target of the raking: the weighted count that a district × category must reach. */
export interface RakeTarget {
  district: string;
  dimension: WeightingDimension;
  category: string;
  target: number;
}

export interface WeightedCell extends SampleCell {
  /** Each respondent's weight in this cell (sums to the population over all respondents). */
  weight: number;
}

export interface RakeResult {
  cells: WeightedCell[];
  targets: RakeTarget[];
  iterations: number;
  converged: boolean;
  /** The largest |weighted margin − target| / target when raking stopped (before trimming). */
  largestDeviation: number;
  trimming: { cap: number; upper: number; trimmed: number; largestDeviation: number } | null;
  n: number;
  populationTotal: number;
  weights: { min: number; max: number; mean: number; sum: number };
  /** Kish's design effect of unequal weights, n·Σw²/(Σw)², and n / deff. */
  designEffect: number;
  effectiveN: number;
  notes: WeightingNote[];
}

export type RakeOutcome = { ok: true; result: RakeResult } | { ok: false; problems: WeightingProblem[]; notes: WeightingNote[] };

type CategoryCounts = Map<string, number>;

function add(map: CategoryCounts, key: string, value: number) {
  map.set(key, (map.get(key) ?? 0) + value);
}

/**
 * The targets per district and dimension, after the documented rules (docs/analysis.md):
 * - respondents without a district form a district of their own whose total is their share of the
 *   sample times the town's population, with the town's age and gender distribution; the real
 *   districts' margins shrink by the same share;
 * - within a district, respondents without an age band (or gender) form a NOT_STATED category whose
 *   target is their share of that district's respondents times its total; the stated categories
 *   share the rest in proportion to their population;
 * - a category with population but no respondents (an empty cell) cannot be weighted: its
 *   population goes to the district's other categories in proportion, so the district total holds.
 */
export function rakeTargets(cells: readonly SampleCell[], margins: readonly PopulationCount[]): {
  targets: RakeTarget[];
  problems: WeightingProblem[];
  notes: WeightingNote[];
} {
  const problems: WeightingProblem[] = [];
  const notes: WeightingNote[] = [];
  const population = new Map<string, Record<WeightingDimension, CategoryCounts>>();
  for (const margin of margins) {
    let district = population.get(margin.district);
    if (!district) population.set(margin.district, (district = { age_band: new Map(), gender: new Map() }));
    add(district[margin.dimension], margin.category, margin.count);
  }
  const sample = new Map<string, { n: number } & Record<WeightingDimension, CategoryCounts>>();
  let n = 0;
  for (const cell of cells) {
    if (cell.n <= 0) continue;
    n += cell.n;
    let district = sample.get(cell.district);
    if (!district) sample.set(cell.district, (district = { n: 0, age_band: new Map(), gender: new Map() }));
    district.n += cell.n;
    add(district.age_band, cell.age_band, cell.n);
    add(district.gender, cell.gender, cell.n);
  }
  const sum = (counts: CategoryCounts | undefined) => [...(counts?.values() ?? [])].reduce((total, value) => total + value, 0);

  // District totals and their consistency (both dimensions must describe the same people).
  const totals = new Map<string, number>();
  for (const [district, dims] of population) {
    const age = sum(dims.age_band);
    const gender = sum(dims.gender);
    if (dims.age_band.size > 0 && dims.gender.size > 0 && age !== gender) {
      problems.push({ code: 'margins_inconsistent', district, age_band: age, gender });
    }
    totals.set(district, Math.max(age, gender));
    if (!sample.has(district) && district !== NO_DISTRICT && Math.max(age, gender) > 0) {
      notes.push({ code: 'district_without_respondents', district, population: Math.max(age, gender) });
    }
  }
  const townTotal = [...totals.values()].reduce((total, value) => total + value, 0);

  // Respondents without a district: a pseudo-district with the town's distribution.
  const noDistrict = sample.get(NO_DISTRICT);
  const noDistrictShare = noDistrict ? noDistrict.n / n : 0;
  const districtPopulation = new Map(population);
  const districtTotals = new Map([...totals].map(([district, total]) => [district, total * (1 - noDistrictShare)]));
  if (noDistrict) {
    notes.push({ code: 'no_district', respondents: noDistrict.n, share: noDistrictShare });
    const town: Record<WeightingDimension, CategoryCounts> = { age_band: new Map(), gender: new Map() };
    for (const dims of population.values()) {
      for (const dimension of WEIGHTING_DIMENSIONS) for (const [category, count] of dims[dimension]) add(town[dimension], category, count);
    }
    districtPopulation.set(NO_DISTRICT, town);
    districtTotals.set(NO_DISTRICT, townTotal * noDistrictShare);
  }

  const targets: RakeTarget[] = [];
  for (const [district, respondents] of sample) {
    const dims = districtPopulation.get(district);
    const total = districtTotals.get(district) ?? 0;
    for (const dimension of WEIGHTING_DIMENSIONS) {
      const counts = dims?.[dimension];
      if (!counts || counts.size === 0) {
        problems.push({ code: 'margins_missing', district, dimension, respondents: respondents.n });
        continue;
      }
      const notStated = respondents[dimension].get(NOT_STATED) ?? 0;
      const notStatedShare = notStated / respondents.n;
      let represented = 0;
      for (const [category, count] of respondents[dimension]) {
        if (category === NOT_STATED) continue;
        const people = counts.get(category);
        if (people === undefined) problems.push({ code: 'cell_without_margin', district, dimension, category, respondents: count });
        else if (people === 0) problems.push({ code: 'margin_zero_with_respondents', district, dimension, category, respondents: count });
        else represented += people;
      }
      for (const [category, people] of counts) {
        if (people > 0 && !respondents[dimension].has(category)) notes.push({ code: 'empty_cell', district, dimension, category, population: people });
      }
      if (notStated > 0) notes.push({ code: 'not_stated', district, dimension, respondents: notStated, share: notStatedShare });
      if (notStated > 0) targets.push({ district, dimension, category: NOT_STATED, target: notStatedShare * total });
      for (const category of respondents[dimension].keys()) {
        const people = counts.get(category);
        if (category === NOT_STATED || !people) continue;
        targets.push({ district, dimension, category, target: (people / represented) * total * (1 - notStatedShare) });
      }
    }
  }
  return { targets, problems, notes };
}

/** Trims like `survey::trimWeights`: cut to `upper`, the cut amount shared equally by the others. */
function trimWeights(cells: WeightedCell[], upper: number, strict: boolean): number {
  let trimmedCells = new Set<WeightedCell>();
  for (;;) {
    const outside = cells.filter((cell) => cell.weight > upper);
    if (outside.length === 0) break;
    const excess = outside.reduce((total, cell) => total + cell.n * (cell.weight - upper), 0);
    const insideCount = cells.reduce((total, cell) => total + (cell.weight > upper ? 0 : cell.n), 0);
    if (insideCount === 0) break;
    for (const cell of cells) {
      if (cell.weight > upper) cell.weight = upper;
      else cell.weight += excess / insideCount;
    }
    for (const cell of outside) trimmedCells.add(cell);
    if (!strict) break;
  }
  return [...trimmedCells].reduce((total, cell) => total + cell.n, 0);
}

/** The largest relative distance of a weighted margin from its target. */
function largestDeviation(cells: readonly WeightedCell[], targets: readonly RakeTarget[]): number {
  const weighted = new Map<string, number>();
  for (const cell of cells) {
    for (const dimension of WEIGHTING_DIMENSIONS) add(weighted, `${cell.district}\u0000${dimension}\u0000${cell[dimension]}`, cell.n * cell.weight);
  }
  let largest = 0;
  for (const target of targets) {
    const value = weighted.get(`${target.district}\u0000${target.dimension}\u0000${target.category}`) ?? 0;
    largest = Math.max(largest, Math.abs(value - target.target) / target.target);
  }
  return largest;
}

/** Rakes the sample cells to the margins; problems instead of weights when the margins do not allow it. */
export function rake(cells: readonly SampleCell[], margins: readonly PopulationCount[], options: RakeOptions = DEFAULT_RAKE_OPTIONS): RakeOutcome {
  const { targets, problems, notes } = rakeTargets(cells, margins);
  if (problems.length > 0) return { ok: false, problems, notes };
  const weighted: WeightedCell[] = cells.filter((cell) => cell.n > 0).map((cell) => ({ ...cell, weight: 1 }));
  const n = weighted.reduce((total, cell) => total + cell.n, 0);

  // Per dimension: each target's cells, so a pass is one loop over targets.
  const members = new Map<RakeTarget, WeightedCell[]>();
  const byKey = new Map(targets.map((target) => [`${target.district}\u0000${target.dimension}\u0000${target.category}`, target]));
  for (const cell of weighted) {
    for (const dimension of WEIGHTING_DIMENSIONS) {
      const target = byKey.get(`${cell.district}\u0000${dimension}\u0000${cell[dimension]}`)!;
      let list = members.get(target);
      if (!list) members.set(target, (list = []));
      list.push(cell);
    }
  }
  let iterations = 0;
  let deviation = largestDeviation(weighted, targets);
  while (deviation > options.tolerance && iterations < options.maxIterations) {
    // Age bands first, then genders, as R post-stratifies its margins in the order given.
    for (const dimension of WEIGHTING_DIMENSIONS) {
      for (const target of targets) {
        if (target.dimension !== dimension) continue;
        const list = members.get(target)!;
        const current = list.reduce((total, cell) => total + cell.n * cell.weight, 0);
        const factor = target.target / current;
        for (const cell of list) cell.weight *= factor;
      }
    }
    iterations += 1;
    deviation = largestDeviation(weighted, targets);
  }
  const converged = deviation <= options.tolerance;

  let trimming: RakeResult['trimming'] = null;
  if (options.trim) {
    const mean = weighted.reduce((total, cell) => total + cell.n * cell.weight, 0) / n;
    const upper = options.trim.cap * mean;
    const trimmed = trimWeights(weighted, upper, options.trim.strict ?? false);
    trimming = { cap: options.trim.cap, upper, trimmed, largestDeviation: largestDeviation(weighted, targets) };
  }

  let sum = 0;
  let sumOfSquares = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const cell of weighted) {
    sum += cell.n * cell.weight;
    sumOfSquares += cell.n * cell.weight * cell.weight;
    min = Math.min(min, cell.weight);
    max = Math.max(max, cell.weight);
  }
  const designEffect = (n * sumOfSquares) / (sum * sum);
  return {
    ok: true,
    result: {
      cells: weighted,
      targets,
      iterations,
      converged,
      largestDeviation: deviation,
      trimming,
      n,
      populationTotal: targets.filter((target) => target.dimension === 'gender').reduce((total, target) => total + target.target, 0),
      weights: { min, max, mean: sum / n, sum },
      designEffect,
      effectiveN: n / designEffect,
      notes,
    },
  };
}
