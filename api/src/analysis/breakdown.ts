import { ApiError } from '../http/errors.ts';
import { DIMENSIONS, type Dimension } from '../shared/breakdown.ts';

export { DIMENSIONS, type Dimension } from '../shared/breakdown.ts';

/** The margin of a dimension ("all districts"); never a real code (those are lower-case words). */
export const ALL = '*';
/** Responses without a district are a group of their own, so that districts still add up to the total. */
export const NO_DISTRICT = '_none';

/** Dimensions whose values partition respondents: their cells add up to the margin. */
export const isPartition = (dimension: Dimension) => dimension !== 'target_group';

/** Parses `?by=district,target_group`: known names, each once, in the order given. */
export function parseBreakdown(by: string | undefined): Dimension[] {
  if (by === undefined || by.trim() === '') return [];
  const names = by.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(DIMENSIONS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new ApiError(400, 'invalid_breakdown', { by, allowed: DIMENSIONS.join(', ') });
  }
  if (new Set(names).size !== names.length) throw new ApiError(400, 'invalid_breakdown', { by, allowed: DIMENSIONS.join(', ') });
  return names as Dimension[];
}

/** One column of a table: a value per dimension of the breakdown, ALL for a margin. */
export type GroupKey = Partial<Record<Dimension, string>>;

export function groupId(dims: readonly Dimension[], key: GroupKey): string {
  return dims.map((dim) => key[dim] ?? ALL).join('\u0000');
}

/** Every group of a breakdown, the total first, then margins before cells, each dimension in its order. */
export function enumerateGroups(dims: readonly Dimension[], values: Record<Dimension, string[]>): GroupKey[] {
  let groups: GroupKey[] = [{}];
  for (const dim of dims) {
    const next: GroupKey[] = [];
    for (const group of groups) {
      next.push({ ...group, [dim]: ALL });
      for (const value of values[dim]) next.push({ ...group, [dim]: value });
    }
    groups = next;
  }
  return groups;
}
