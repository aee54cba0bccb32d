export {
  countDistricts,
  insertDistricts,
  listDistrictCodes,
  listDistricts,
  listPopulationMargins,
  replacePopulationMargins,
  type PopulationMargin,
} from './repository.ts';

/** A district as clients see it: its code and its name in every locale that has one. */
export interface PublicDistrict {
  code: string;
  name: Record<string, string>;
}
