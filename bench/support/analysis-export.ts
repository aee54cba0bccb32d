/**
 * The export process of `bench/analysis.ts`, run as its own process so that its peak memory is the
 * export's alone. Opens the platform on DATABASE_URL (no seeding, no instrument loading: the parent
 * prepared the database), signs in as the demo analyst and downloads one export through the real
 * app, reading the stream as a client would. Prints one JSON line: seconds, bytes, rows, peak RSS.
 */
import { openPlatform } from '../../api/src/platform.ts';
import { demoAccounts } from '../../api/src/demo/demo-accounts.ts';

const [databaseUrl, url, surveysDir, dataDir] = process.argv.slice(2);
if (!databaseUrl || !url || !surveysDir || !dataDir) throw new Error('usage: analysis-export.ts <databaseUrl> <path> <surveysDir> <dataDir>');

const platform = await openPlatform({ port: 0, databaseUrl, dataDir, surveysDir, seedDemo: false });
try {
  const account = demoAccounts.find((candidate) => candidate.role === 'admin')!; // admin: the full raw file (responses.csv?variant=full) is theirs only
  const login = await platform.app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

  const rssBefore = process.memoryUsage().rss;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const response = await platform.app.request(url, { headers: { cookie } });
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  const reader = response.body!.getReader();
  let bytes = 0;
  let lines = 0;
  let peakRss = process.memoryUsage().rss;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    for (const byte of value) if (byte === 10) lines += 1;
    const rss = process.memoryUsage().rss;
    if (rss > peakRss) peakRss = rss;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(
    `${JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      bytes,
      rows: lines - 1,
      rssBeforeMb: rssBefore / 2 ** 20,
      peakRssMb: peakRss / 2 ** 20,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
} finally {
  await platform.close();
}
