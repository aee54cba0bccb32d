import { parse } from 'csv-parse/sync';
import { DISTRICT_CODE_PATTERN, districtCodeFromName, MARGIN_CATEGORIES } from '../shared/margin-codes.ts';
import type { ImportedDistrict, Population } from '../shared/districts.ts';
import { checkPopulation } from './population-check.ts';

/** A problem on one line of the file (line 1 is the header); `line: 0` for the file as a whole. */
export interface ImportProblem {
  line: number;
  code: string;
  params: Record<string, string | number>;
}

export interface ImportPlan {
  districts: ImportedDistrict[];
  problems: ImportProblem[];
}

const COLUMNS = ['district', 'age_band', 'gender', 'count'] as const;

/**
 * Reads a statistics office's file `district;age_band;gender;count` (`;` or `,`, UTF-8 with or
 * without BOM). A line names an age band or a gender; a line with neither gives the district's
 * total population (without one, the total is the sum of its age bands). The `district` column is
 * a district's code or its name. Nothing is saved here: the caller shows the plan and its problems.
 */
export function planDistrictImport(bytes: Uint8Array, options: { year?: number | null; source?: string | null } = {}): ImportPlan {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { districts: [], problems: [{ line: 0, code: 'csv_unreadable', params: { details: 'not UTF-8' } }] };
  }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let rows: string[][];
  try {
    rows = parse(text, { delimiter, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (error) {
    return { districts: [], problems: [{ line: 0, code: 'csv_unreadable', params: { details: (error as Error).message.slice(0, 200) } }] };
  }
  const header = (rows[0] ?? []).map((cell) => cell.toLowerCase());
  const missing = COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) return { districts: [], problems: [{ line: 1, code: 'csv_missing_columns', params: { columns: missing.join(', ') } }] };
  const at = Object.fromEntries(COLUMNS.map((column) => [column, header.indexOf(column)])) as Record<(typeof COLUMNS)[number], number>;

  const problems: ImportProblem[] = [];
  const byCode = new Map<string, { name: string; total: number | null; byAgeBand: Record<string, number>; byGender: Record<string, number>; firstLine: number }>();
  const seen = new Map<string, number>();
  rows.slice(1).forEach((row, index) => {
    const line = index + 2;
    const name = row[at.district] ?? '';
    const ageBand = row[at.age_band] ?? '';
    const gender = row[at.gender] ?? '';
    const countText = (row[at.count] ?? '').replace(/[\s.'’]/g, '');
    const code = DISTRICT_CODE_PATTERN.test(name) ? name : districtCodeFromName(name);
    if (!code || !DISTRICT_CODE_PATTERN.test(code)) return problems.push({ line, code: 'district_code_invalid', params: {} });
    if (!/^\d+$/.test(countText)) return problems.push({ line, code: 'csv_invalid_count', params: {} });
    if (ageBand && gender) return problems.push({ line, code: 'csv_needs_one_dimension', params: {} });
    const dimension = ageBand ? 'age_band' : gender ? 'gender' : null;
    const category = ageBand || gender;
    if (dimension && !MARGIN_CATEGORIES[dimension].includes(category)) {
      return problems.push({ line, code: 'margin_unknown_category', params: { category, allowed: MARGIN_CATEGORIES[dimension].join(', ') } });
    }
    const key = `${code}|${dimension ?? 'total'}|${category}`;
    const earlier = seen.get(key);
    if (earlier) return problems.push({ line, code: 'csv_duplicate_line', params: { line: earlier } });
    seen.set(key, line);
    const entry = byCode.get(code) ?? { name, total: null, byAgeBand: {}, byGender: {}, firstLine: line };
    byCode.set(code, entry);
    const count = Number(countText);
    if (dimension === 'age_band') entry.byAgeBand[category] = count;
    else if (dimension === 'gender') entry.byGender[category] = count;
    else entry.total = count;
  });

  const districts: ImportedDistrict[] = [];
  for (const [code, entry] of byCode) {
    const population: Population = {
      total: entry.total ?? Object.values(entry.byAgeBand).reduce((a, b) => a + b, 0),
      year: options.year ?? null,
      source: options.source ?? null,
      byAgeBand: entry.byAgeBand,
      byGender: entry.byGender,
    };
    for (const problem of checkPopulation(population)) problems.push({ line: entry.firstLine, code: problem.code, params: { ...problem.params, district: code } });
    districts.push({ code, name: entry.name, population });
  }
  problems.sort((a, b) => a.line - b.line);
  return { districts, problems };
}
