import fs from 'node:fs/promises';
import path from 'node:path';
import { checkInstrumentSource, type CheckResult } from './definition-check.ts';
import { listInstrumentFiles } from './catalogue.ts';
import { checkContent } from './content-rules/index.ts';
import { readCodeLists } from './content-rules/code-lists.ts';
import type { InstrumentFile } from './instrument-file.ts';

// `npm run check-surveys [dir-or-files…]`: every content rule on every instrument; non-zero exit on
// any problem or content error (content warnings are printed; a reviewer accepts them in the file).
// Prints a completeness table per instrument and locale and the Leichte Sprache figures.
const targets = process.argv.slice(2);
const files = targets.length === 0 ? await listInstrumentFiles(path.resolve('surveys')) : await expand(targets);

async function expand(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const target of paths) {
    const stat = await fs.stat(target);
    out.push(...(stat.isDirectory() ? await listInstrumentFiles(target) : [path.resolve(target)]));
  }
  return out;
}

if (files.length === 0) {
  console.error('no instruments found (surveys/*.json)');
  process.exit(1);
}

let problemCount = 0;
const results: [string, CheckResult][] = [];
for (const file of files) {
  const result = checkInstrumentSource(await fs.readFile(file, 'utf8'));
  results.push([path.basename(file), result]);
  for (const problem of result.problems) {
    problemCount += 1;
    console.error(`${path.basename(file)}: ${problem.where}: ${problem.message}`);
  }
}

const parsed = results.flatMap(([file, result]) => (result.file ? [{ file, instrument: result.file as InstrumentFile }] : []));
const surveysDir = targets.length === 0 ? path.resolve('surveys') : path.dirname(files[0]!);
const content = checkContent(parsed, readCodeLists(surveysDir));
let warningCount = 0;
for (const found of content.findings) {
  const line = `${found.file}: ${found.where}${found.locale ? ` [${found.locale}]` : ''}: ${found.severity} ${found.rule}: ${found.message}`;
  if (found.severity === 'error') {
    problemCount += 1;
    console.error(line);
  } else {
    warningCount += 1;
    console.warn(line);
  }
}

console.log(formatCompletenessTable(results));
console.log('\nLeichte Sprache (distinct de-x-easy texts)');
const easyRows = [['instrument', 'texts', 'sentences', 'over 12 words', 'negations', 'LIX']];
for (const [file, figures] of content.easy) {
  easyRows.push([file, String(figures.strings), String(figures.sentences), String(figures.sentencesOverMax), String(figures.negations), String(figures.lix)]);
}
console.log(formatRows(easyRows));
console.log('\nEstimated duration in minutes (a reading and answering model, not a measurement: docs/instruments.md)');
const durationRows = [['instrument', 'questions', 'German', 'Leichte Sprache']];
for (const [file, estimate] of content.duration) {
  const range = (minutes: { low: number; high: number }) => `${minutes.low}–${minutes.high}`;
  durationRows.push([file, `${estimate.de.shortest.questions}–${estimate.de.longest.questions}`, range(estimate.de.minutes), estimate.easy ? range(estimate.easy.minutes) : '–']);
}
console.log(formatRows(durationRows));
console.log(`\n${warningCount} content warning(s) to review, ${content.acceptedCount} accepted in the files`);
if (problemCount > 0) {
  console.error(`\n${problemCount} problem(s) in ${files.length} instrument(s)`);
  process.exit(1);
}
console.log(`\n${files.length} instrument(s) checked, no problems`);

function formatCompletenessTable(entries: [string, CheckResult][]): string {
  const rows: string[][] = [['instrument', 'locale', 'translated', 'complete', 'status']];
  for (const [file, result] of entries) {
    for (const entry of result.completeness) {
      const percent = entry.total === 0 ? 100 : Math.floor((entry.translated / entry.total) * 1000) / 10;
      rows.push([file, entry.locale, `${entry.translated}/${entry.total}`, `${percent}%`, result.file?.translationStatus[entry.locale] ?? '?']);
    }
  }
  return formatRows(rows);
}

function formatRows(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')).join('\n');
}
