import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/test-platform.ts';

/**
 * DESIGN.md: what the front end shares with the API lives in one place both import, not in
 * `api/src` internals. That place is `api/src/shared/`. Checked on the import statements themselves.
 */
const SHARED = path.join(REPO_ROOT, 'api/src/shared');
const API = path.join(REPO_ROOT, 'api/src');
const IMPORT = /(import|export)\s+(type\s+)?[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.ts$/.test(entry.name) ? [full] : [];
  });
}

function projectImports(file: string): { target: string; typeOnly: boolean }[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((match) => ({
    target: path.resolve(path.dirname(file), match[3] ?? match[4]!),
    typeOnly: Boolean(match[2]),
  }));
}

const inside = (file: string, dir: string) => file.startsWith(dir + path.sep);

describe('the modules the front end and the API share', () => {
  it('are the only API code the front end imports', () => {
    const offending = sourceFiles(path.join(REPO_ROOT, 'frontend/src')).flatMap((file) =>
      projectImports(file)
        .filter(({ target }) => inside(target, API) && !inside(target, SHARED))
        .map(({ target }) => `${path.relative(REPO_ROOT, file)} → ${path.relative(REPO_ROOT, target)}`),
    );
    expect(offending).toEqual([]);
  });

  it('bring no server code along: their own value imports stay inside the shared folder', () => {
    const files = sourceFiles(SHARED);
    expect(files.length).toBeGreaterThan(3);
    const offending = files.flatMap((file) =>
      projectImports(file)
        .filter(({ target, typeOnly }) => !typeOnly && !inside(target, SHARED))
        .map(({ target }) => `${path.relative(REPO_ROOT, file)} → ${path.relative(REPO_ROOT, target)}`),
    );
    expect(offending).toEqual([]);
  });
});
