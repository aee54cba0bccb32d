export {
  countDistricts,
  insertDistricts,
  listActiveDistricts,
  listDistrictCodes,
  listDistricts,
  listPopulationMargins,
  replacePopulationMargins,
  type PopulationMargin,
} from './repository.ts';
export { createDistrictAdminRoutes } from './routes.ts';
export { MARGIN_CATEGORIES } from '../shared/margin-codes.ts';

/** A district as clients see it: its code and its name in every locale that has one. */
export interface PublicDistrict {
  code: string;
  name: Record<string, string>;
}
