import type { ReaderFilter } from './repository.ts';

export interface DistrictCount {
  district: string;
  /** In the target group of the filter (false for all when the filter names none). */
  inGroup: boolean;
  n: number;
}

/**
 * Whether the reader may show the texts of a selection of responses. Its texts can be attributed
 * to the people in it, so it must hold at least k responses; and because the wider selections
 * (the same district without the group, the same group in every district, everyone) can be read
 * too, what a wider one has beyond this one must be nobody or at least k as well: otherwise reading
 * both and setting the texts side by side would single out the texts of fewer than k people
 * ("everyone in Worfelden except the one who is not a senior"). Counts are exact and stay on the
 * server: a refusal says "fewer than k", as a suppressed cell does.
 */
export function readerSelectionAllowed(counts: readonly DistrictCount[], filter: ReaderFilter, k: number): boolean {
  const sum = (district: string | null, group: boolean) =>
    counts.filter((count) => (district === null || count.district === district) && (!group || count.inGroup)).reduce((total, count) => total + count.n, 0);
  const withGroup = filter.targetGroup !== null;
  const selected = sum(filter.district, withGroup);
  if (selected < k) return false;
  const wider: number[] = [];
  if (filter.district !== null) wider.push(sum(null, withGroup));
  if (withGroup) wider.push(sum(filter.district, false));
  if (filter.district !== null && withGroup) wider.push(sum(null, false));
  return wider.every((total) => total - selected === 0 || total - selected >= k);
}
