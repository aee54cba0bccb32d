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

function projectImports(file: string): { target: string }[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((match) => ({ target: path.resolve(path.dirname(file), match[3] ?? match[4]!) }));
}

/** Every module a file names, relative or not: `import … from`, `export … from`, bare `import '…'`, `import('…')`. */
function moduleSpecifiers(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifier = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...text.matchAll(specifier)].map((match) => match[1] ?? match[2] ?? match[3]!);
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

  it('bring no server code along and declare what they share: they import and re-export, types included, only from each other and npm packages', () => {
    // A value import would put server code in a bundle. A type imported or re-exported from a
    // feature's internals would put the feature, not this folder, in charge of the shape: changing
    // the feature would change what the front end receives without touching this folder.
    const files = sourceFiles(SHARED);
    expect(files.length).toBeGreaterThan(3);
    const offending = files.flatMap((file) =>
      moduleSpecifiers(file)
        .filter((specifier) =>
          /^\.{1,2}\//.test(specifier)
            ? !inside(path.resolve(path.dirname(file), specifier), SHARED)
            : specifier.startsWith('/') || specifier.startsWith('node:'),
        )
        .map((specifier) => `${path.relative(REPO_ROOT, file)} → ${specifier}`),
    );
    expect(offending).toEqual([]);
  });
});
