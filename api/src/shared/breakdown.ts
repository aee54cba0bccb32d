/**
 * What a table can be broken down by, declared here because published snapshots name their groups'
 * dimensions (shared/results.ts) and the front end reads them. District, mode and locale split
 * respondents; target groups overlap.
 */
export const DIMENSIONS = ['district', 'target_group', 'mode', 'locale'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
