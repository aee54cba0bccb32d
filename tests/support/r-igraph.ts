import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The line a run without R's igraph prints: what is missing and where it comes from. */
export const R_IGRAPH_MISSING =
  'Rscript with the R package "igraph" is needed: install the Debian packages r-base-core r-cran-igraph (listed in .ci/system-packages)';

/**
 * Runs an R script with igraph loaded in a fresh temporary directory holding `files`, and returns
 * the files it wrote there: reference network metrics computed in the run, never frozen. Without
 * Rscript or igraph this fails with R_IGRAPH_MISSING, never skips (like tests/support/r-survey.ts).
 */
export async function runRIgraph(script: string, files: Record<string, string>, outputs: readonly string[]): Promise<Record<string, string>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vs-igraph-'));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
    await writeFile(path.join(dir, 'script.R'), `suppressPackageStartupMessages(library(igraph))\nsetwd(${JSON.stringify(dir)})\n${script}`);
    await new Promise<void>((resolve, reject) => {
      execFile('Rscript', ['--vanilla', path.join(dir, 'script.R')], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') reject(new Error(R_IGRAPH_MISSING));
        else if (error && /there is no package called .igraph./.test(stderr)) reject(new Error(R_IGRAPH_MISSING));
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
