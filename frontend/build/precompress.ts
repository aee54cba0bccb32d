import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/**
 * Writes `<file>.br` and `<file>.gz` beside every compressible file of the build, at the highest
 * levels (done once at build time, so the server never compresses static files per request). A
 * variant that would not be smaller is not written. Run after `vite build`.
 */
const COMPRESSIBLE = /\.(html|js|mjs|css|json|svg|txt|webmanifest|xml|map)$/;
const MIN_BYTES = 512;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

export async function precompress(dir: string): Promise<{ files: number; raw: number; brotli: number; gzip: number }> {
  const totals = { files: 0, raw: 0, brotli: 0, gzip: 0 };
  for await (const file of filesUnder(dir)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const content = await fs.readFile(file);
    if (content.length < MIN_BYTES) continue;
    const [br, gz] = await Promise.all([
      brotli(content, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length,
          [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        },
      }),
      gzip(content, { level: zlib.constants.Z_BEST_COMPRESSION }),
    ]);
    totals.files++;
    totals.raw += content.length;
    if (br.length < content.length) {
      await fs.writeFile(`${file}.br`, br);
      totals.brotli += br.length;
    }
    if (gz.length < content.length) {
      await fs.writeFile(`${file}.gz`, gz);
      totals.gzip += gz.length;
    }
  }
  return totals;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '../dist'));
  const totals = await precompress(dir);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  console.log(`precompressed ${totals.files} files in ${path.relative(process.cwd(), dir) || dir}: ${kb(totals.raw)} → brotli ${kb(totals.brotli)}, gzip ${kb(totals.gzip)}`);
}
