import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Encoding } from './accept-encoding.ts';
import { contentTypeFor } from './content-types.ts';

/** One file of the front-end build, with its precompressed variants, held in memory. */
export interface StaticFile {
  body: Buffer;
  variants: Partial<Record<Encoding, Buffer>>;
  contentType: string;
  /** Content hash: the ETag, so a no-cache page is revalidated with a 304 instead of re-sent. */
  hash: string;
  /** Vite puts content-hashed names under /assets/: such a file never changes, so it is cached for a year. */
  immutable: boolean;
}

/** The build by URL path (`/assets/respond-abc123.js`, `/respond.html`). */
export type StaticSite = ReadonlyMap<string, StaticFile>;

const VARIANT_SUFFIXES: Record<string, Encoding> = { '.br': 'br', '.gz': 'gzip' };

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

/**
 * Reads the whole build into memory (a few megabytes): every request is then answered without
 * touching the disk, and a rebuild while the server runs cannot serve half-written files. Returns
 * null when there is no complete build (no `index.html`, or files its pages need are missing).
 */
export async function loadStaticSite(distDir: string): Promise<StaticSite | null> {
  try {
    await fs.access(path.join(distDir, 'index.html'));
  } catch {
    return null;
  }
  const files = new Map<string, StaticFile>();
  const variants: { urlPath: string; encoding: Encoding; body: Buffer }[] = [];
  for await (const file of filesUnder(distDir)) {
    const urlPath = `/${path.relative(distDir, file).split(path.sep).join('/')}`;
    const body = await fs.readFile(file);
    const suffix = path.extname(file);
    const encoding = VARIANT_SUFFIXES[suffix];
    if (encoding) {
      variants.push({ urlPath: urlPath.slice(0, -suffix.length), encoding, body });
      continue;
    }
    files.set(urlPath, {
      body,
      variants: {},
      contentType: contentTypeFor(file),
      hash: createHash('sha256').update(body).digest('base64url').slice(0, 22),
      immutable: urlPath.startsWith('/assets/'),
    });
  }
  for (const variant of variants) {
    const original = files.get(variant.urlPath);
    if (original) original.variants[variant.encoding] = variant.body;
  }
  // Read while `npm run build` was writing: come back later rather than serve pages without their code.
  if (missingReferences(files).length > 0) return null;
  return files;
}

/**
 * Files the pages and scripts of a build refer to that the build does not contain: HTML `src`/`href`
 * to `/…`, and the relative imports (`"./chunk-abc.js"`) between Vite's chunks.
 */
export function missingReferences(files: ReadonlyMap<string, StaticFile>): string[] {
  const missing = new Set<string>();
  for (const [urlPath, file] of files) {
    if (urlPath.endsWith('.html')) {
      for (const match of file.body.toString('utf8').matchAll(/\s(?:src|href)="(\/[^"?#]+)"/g)) {
        if (!files.has(match[1]!)) missing.add(match[1]!);
      }
    } else if (urlPath.startsWith('/assets/') && urlPath.endsWith('.js')) {
      for (const match of file.body.toString('utf8').matchAll(/["'`]\.\/([\w.-]+\.(?:js|css))["'`]/g)) {
        const target = `/assets/${match[1]}`;
        if (!files.has(target)) missing.add(target);
      }
    }
  }
  return [...missing];
}
