/** The dimensions population figures are given in. */
export type MarginDimension = 'age_band' | 'gender';

/**
 * The answer codes of the baseline questionnaire's `age_band` and `gender` questions (without
 * "no answer"): the categories population figures are given in, so that the weighting can rake the
 * answers to them. Shared by the API and the admin page; a test holds them to surveys/resident-baseline.json.
 */
export const MARGIN_CATEGORIES: Record<MarginDimension, readonly string[]> = {
  age_band: ['16-20', '21-29', '30-44', '45-64', '65-74', '75+'],
  gender: ['female', 'male', 'diverse'],
};

/** A district's code: what links, QR codes and answers carry. */
export const DISTRICT_CODE_PATTERN = /^[a-z0-9][a-z0-9-]{0,59}$/;

/** A code for a district name: lower case, umlauts spelled out, other characters as hyphens. */
export function districtCodeFromName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}
