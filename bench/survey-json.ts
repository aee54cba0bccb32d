/**
 * Public survey JSON under load: `GET /api/surveys/resident-baseline` (~210 KB of JSON) from a few
 * parallel clients on loopback for a bounded time, as browsers ask for it (gzip, br), and once more
 * with If-None-Match (a returning browser). Prints requests per second. Bounded: 8 clients, 5 s per
 * phase, on the embedded database (or DATABASE_URL's server, in a scratch database).
 *
 *   npm run bench:survey-json
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { openPlatform } from '../api/src/platform.ts';
import { createScratchDatabaseUrl } from '../tests/support/test-database.ts';

const CLIENTS = 8;
const PHASE_MS = 5_000;
const REPO_ROOT = path.resolve(import.meta.dirname, '..');

/** One GET, the body read and dropped undecoded (the client must not be what is measured). */
function get(port: number, headers: Record<string, string>): Promise<{ status: number; etag: string | undefined; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/api/surveys/resident-baseline', headers, agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: res.headers.etag, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });

async function phase(port: number, headers: Record<string, string>) {
  let requests = 0;
  let bytes = 0;
  const until = Date.now() + PHASE_MS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) {
        const res = await get(port, headers);
        if (res.status !== 200 && res.status !== 304) throw new Error(`status ${res.status}`);
        requests += 1;
        bytes += res.bytes;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { requestsPerSecond: Math.round(requests / seconds), bytesPerReply: Math.round(bytes / requests) };
}

async function main() {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-bench-'));
  const scratch = await createScratchDatabaseUrl();
  const platform = await openPlatform({ port: 0, databaseUrl: scratch?.url ?? null, dataDir, surveysDir: path.join(REPO_ROOT, 'surveys'), seedDemo: false });
  const server = serve({ fetch: platform.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  try {
    const browser = { 'accept-encoding': 'gzip, deflate, br' };
    const first = await get(address.port, browser);
    const compressed = await phase(address.port, browser);
    const revalidated = first.etag ? await phase(address.port, { ...browser, 'if-none-match': first.etag }) : null;
    console.log(JSON.stringify({ bench: 'survey-json', db: platform.database.kind, clients: CLIENTS, phaseMs: PHASE_MS, compressed, revalidated }));
  } finally {
    agent.destroy();
    server.close();
    await platform.close();
    await scratch?.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

await main();
