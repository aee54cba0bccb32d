import fs from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../../support/test-platform.ts';

export const FRONTEND_DIST_DIR = path.join(REPO_ROOT, 'frontend/dist');

/**
 * Browser tests run against the built front end, which `npm test` builds before vitest starts.
 * Building here instead would race with other test files building at the same time, so a missing
 * build is a clear failure, not a silent rebuild.
 */
export async function ensureFrontendBuilt(pages: string[] = ['index.html', 'respond.html']): Promise<void> {
  const missing: string[] = [];
  for (const page of pages) {
    try {
      await fs.access(path.join(FRONTEND_DIST_DIR, page));
    } catch {
      missing.push(page);
    }
  }
  if (missing.length > 0) {
    throw new Error(
      `The front end is not built (missing ${missing.map((p) => `frontend/dist/${p}`).join(', ')}). ` +
        'Run `npm run build` first — `npm test` does it before the tests.',
    );
  }
}
