import { createHash } from 'node:crypto';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { Encoding } from '../web/accept-encoding.ts';

/** A survey reply serialised once: its JSON, both precompressed variants and an entity tag. */
export interface PreparedSurveyJson {
  etag: string;
  body: Buffer;
  variants: Record<Encoding, Buffer>;
}

/** Enough for every version a town keeps open plus the older ones tablets still ask for. */
const MAX_ENTRIES = 32;

/**
 * The public survey reply is ~210 KB of JSON (the baseline in nine locales); serialising and
 * gzipping it on every request held one process to ~72 requests/s. What it holds changes only with
 * the version (immutable, known by its content hash), the district list and the schedule, so the
 * caller names those in `key` and the reply is built, compressed and hashed once per key.
 */
export class SurveyJsonCache {
  private readonly entries = new Map<string, PreparedSurveyJson>();

  async get(key: string, build: () => Promise<unknown>): Promise<PreparedSurveyJson> {
    const hit = this.entries.get(key);
    if (hit) {
      // Most recently used last, so the oldest is the one dropped.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const prepared = prepare(await build());
    this.entries.set(key, prepared);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return prepared;
  }
}

function prepare(reply: unknown): PreparedSurveyJson {
  const body = Buffer.from(JSON.stringify(reply));
  return {
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    body,
    variants: {
      gzip: gzipSync(body, { level: 9 }),
      br: brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }),
    },
  };
}

/** A key part for values that are small but many (districts, schedule): their hash. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 16);
}
