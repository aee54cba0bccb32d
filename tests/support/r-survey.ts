import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The line a run without R prints: what is missing and where it comes from. */
export const R_MISSING =
  'Rscript with the R package "survey" is needed: install the Debian packages r-base-core r-cran-survey (listed in .ci/system-packages)';

/**
 * Runs an R script (R's `survey` package loaded) in a fresh temporary directory holding `files`,
 * and returns the files the script wrote there. The reference figures are computed in the run,
 * never frozen. Without Rscript or the package this fails with R_MISSING, never skips.
 */
export async function runR(
  script: string,
  files: Record<string, string>,
  outputs: readonly string[],
  options: { rscript?: string } = {},
): Promise<Record<string, string>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vs-r-'));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    await writeFile(path.join(dir, 'script.R'), `suppressPackageStartupMessages(library(survey))\nsetwd(${JSON.stringify(dir)})\n${script}`);
    await new Promise<void>((resolve, reject) => {
      execFile(options.rscript ?? 'Rscript', ['--vanilla', path.join(dir, 'script.R')], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') reject(new Error(R_MISSING));
        else if (error && /there is no package called .survey./.test(stderr)) reject(new Error(R_MISSING));
        else if (error) reject(new Error(`Rscript failed: ${stderr}`));
        else resolve();
      });
    });
    const result: Record<string, string> = {};
    for (const name of outputs) result[name] = await readFile(path.join(dir, name), 'utf8');
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Records as a plain CSV for R's read.csv (the test data holds no commas or quotes). */
export function csvFor(header: readonly string[], rows: readonly (string | number)[][]): string {
  return [header.join(','), ...rows.map((row) => row.join(','))].join('\n') + '\n';
}

/** R's write.csv output (quoted header and strings) as records. */
export function readRCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\n').map((line) => line.split(',').map((cell) => cell.replace(/^"|"$/g, '')));
  return lines.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i]!])));
}
