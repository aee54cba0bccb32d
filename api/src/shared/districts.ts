/**
 * The districts as the admin page edits them: the list, one district's name and population figures
 * (`PUT /api/admin/districts/:code`, whose schema in `districts/population-check.ts` must infer
 * exactly `DistrictInput`) and the districts a statistics office's file describes. Types only.
 */
import type { LocalisedName } from './town.ts';

/** The district's total population, and its residents aged 16 and over by the baseline's age bands and by gender. */
export interface Population {
  total: number;
  byAgeBand: Record<string, number>;
  byGender: Record<string, number>;
  year?: number | null;
  source?: string | null;
}

export interface DistrictInput {
  name: LocalisedName;
  population: Population;
}

/** One district as the CSV describes it. */
export interface ImportedDistrict {
  code: string;
  /** The name as the file gives it (becomes the German name of a new district). */
  name: string;
  population: Population;
}

/** A district as the admin page shows it. */
export interface AdminDistrict {
  code: string;
  name: Record<string, string>;
  sortOrder: number;
  retired: boolean;
  responses: number;
  population: { total: number | null; year: number | null; source: string | null; byAgeBand: Record<string, number>; byGender: Record<string, number> };
}
