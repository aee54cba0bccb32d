/**
 * `npm run bench:analysis` — analysis exports on a large data set, each beside a baseline in the
 * same run. PostgreSQL only (DATABASE_URL): a scratch database is created and dropped afterwards
 * (BENCH_KEEP_DATABASE=1 keeps it and prints its URL; BENCH_DATABASE_URL reuses a kept one).
 *
 * 1. Generates BENCH_RESPONSES (default 1,000,000) responses to the resident baseline across 20
 *    districts in SQL (generate_series), with target groups as the demo rules define them.
 * 2. Times aggregate.csv by district × target group, downloaded through the real app in its own
 *    process, beside one hand-written GROUP BY through psql (COPY … TO STDOUT).
 * 3. Times responses.csv the same way, beside `COPY (select * from response …) TO STDOUT` through psql.
 * Reports seconds, ratios, rows/s and the export process's peak RSS (bundled as the server is). Not part of `npm test`.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { sql, type Kysely } from 'kysely';
import { loadAnalysisContext } from '../api/src/analysis/service.ts';
import type { Database } from '../api/src/db/schema.ts';
import { openPlatform } from '../api/src/platform.ts';
import { createScratchDatabaseUrl } from '../tests/support/test-database.ts';

const RESPONSES = Number(process.env.BENCH_RESPONSES ?? 1_000_000);
const ANALYSIS_SETTINGS =
  "set jit = off; set work_mem = '128MB'; set enable_sort = off; set enable_incremental_sort = off; set enable_memoize = off;";
const BATCH = 100_000;
const SLUG = 'resident-baseline';
const REPO_ROOT = path.resolve(import.meta.dirname, '..');
const SURVEYS_DIR = path.join(REPO_ROOT, 'surveys');
const run = promisify(execFile);

async function psqlSeconds(url: string, statement: string): Promise<{ seconds: number; bytes: number }> {
  const started = performance.now();
  // Output goes to a pipe we count and discard, as a client downloading it would.
  const child = spawn('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', statement], { stdio: ['ignore', 'pipe', 'inherit'] });
  let bytes = 0;
  child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
  const code = await new Promise<number>((resolve) => child.on('close', (exit) => resolve(exit ?? 1)));
  if (code !== 0) throw new Error(`psql failed (${code}): ${statement.slice(0, 80)}`);
  return { seconds: (performance.now() - started) / 1000, bytes };
}

const EXPORT_SOURCE = path.join(REPO_ROOT, 'bench/support/analysis-export.ts');
// Inside the repository, so that the bundle's packages resolve from node_modules.
const EXPORT_BUNDLE = path.join(REPO_ROOT, 'bench/.build/analysis-export.mjs');

/**
 * The export process is bundled the way `npm run build:server` bundles the server, so its memory is
 * what production's is; `runner: 'tsx'` runs the sources instead, as the development tools do.
 */
async function exportProcess(databaseUrl: string, url: string, dataDir: string, runner: 'bundle' | 'tsx' = 'bundle') {
  const entry = runner === 'bundle' ? [EXPORT_BUNDLE] : ['--import', 'tsx', EXPORT_SOURCE];
  const { stdout } = await run(process.execPath, [...entry, databaseUrl, url, SURVEYS_DIR, dataDir], { maxBuffer: 1 << 20, cwd: REPO_ROOT });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { seconds: number; bytes: number; rows: number; peakRssMb: number; maxRssMb: number };
}

/** 17 more districts, so the demo town's three become twenty (populations illustrative). */
async function addDistricts(db: Kysely<Database>) {
  const rows = Array.from({ length: 17 }, (_, index) => ({
    code: `bench-${String(index + 4).padStart(2, '0')}`,
    name: JSON.stringify({ default: `Ortsteil ${index + 4}` }),
    population: 1500 + index * 300,
    population_source: 'benchmark',
    sort_order: index + 4,
  }));
  await db.insertInto('district').values(rows).onConflict((oc) => oc.column('code').doNothing()).execute();
}

/** The SQL expression for a random answer to each baseline question; null leaves it out. */
async function answersExpression(db: Kysely<Database>): Promise<string> {
  const context = await loadAnalysisContext(db, SLUG);
  const literal = (value: unknown) => `'${JSON.stringify(value).replace(/'/g, "''")}'::jsonb`;
  const pairs: string[] = [];
  for (const question of context.questions) {
    const maybe = (p: number, expression: string) => `case when random() < ${p} then ${expression} end`;
    let expression: string | null = null;
    if (question.type === 'single' && question.districtChoices) expression = 'to_jsonb(b.district)';
    else if (question.type === 'single') {
      const codes = question.choices.map((choice) => (/^\d+$/.test(choice.code) && question.surveyType === 'rating' ? Number(choice.code) : choice.code));
      expression = maybe(0.9, `(${literal(codes)} -> floor(random() * ${codes.length})::int)`);
    } else if (question.type === 'multiple') {
      const codes = question.choices.map((choice) => choice.code);
      expression = maybe(0.8, `(select coalesce(jsonb_agg(c), '[]'::jsonb) from jsonb_array_elements(${literal(codes)}) c where random() < 0.2 and b.i is not null)`);
    } else if (question.type === 'matrix') {
      const columns = question.choices.map((choice) => Number(choice.code));
      expression = maybe(
        0.85,
        `(select jsonb_object_agg(r, ${literal(columns)} -> floor(random() * ${columns.length})::int) from unnest(array[${question.rows.map((row) => `'${row.code}'`).join(',')}]) r where random() < 0.95 and b.i is not null)`,
      );
    } else if (question.type === 'number') expression = maybe(0.85, 'to_jsonb(floor(random() * 40)::int)');
    else if (question.type === 'text') expression = maybe(0.3, `to_jsonb('Idee Nummer ' || (b.i % 997)::text)`);
    if (expression) pairs.push(`'${question.name}', ${expression}`);
  }
  const chunks: string[] = [];
  for (let start = 0; start < pairs.length; start += 40) chunks.push(`jsonb_build_object(${pairs.slice(start, start + 40).join(', ')})`);
  return `jsonb_strip_nulls(${chunks.join(' || ')})`;
}

/** The demo rules as SQL (the application evaluates them with survey-core; 1M of those would take minutes). */
const TARGET_GROUPS_SQL = `(select coalesce(jsonb_agg(code order by ord), '[]'::jsonb) from (values
  (1, 'young_people', a.answers->>'age_band' = '16-20'),
  (2, 'seniors', a.answers->>'age_band' in ('65-74', '75+')),
  (3, 'families_with_children', a.answers->>'children' = 'yes'),
  (4, 'new_residents', (a.answers->>'years_in_town')::numeric < 3),
  (5, 'migration_history', a.answers->>'migration_history' in ('own', 'parents', 'grandparents')),
  (6, 'other_language_at_home', exists (select 1 from jsonb_array_elements_text(a.answers->'languages_home') l where l <> 'german')),
  (7, 'wants_to_take_part', a.answers->>'participation_wish' in ('attend_event', 'join_group', 'organise_myself'))
) t(ord, code, hit) where hit)`;

async function generate(db: Kysely<Database>, count: number) {
  const answers = await answersExpression(db);
  const version = (await db.selectFrom('survey').select('current_version').where('slug', '=', SLUG).executeTakeFirstOrThrow()).current_version;
  const districts = (await db.selectFrom('district').select('code').orderBy('sort_order').execute()).map((row) => row.code);
  const districtArray = `array[${districts.map((code) => `'${code}'`).join(',')}]`;
  for (let start = 1; start <= count; start += BATCH) {
    const end = Math.min(count, start + BATCH - 1);
    const began = performance.now();
    await sql
      .raw(
        `insert into response (id, survey_slug, survey_version, mode, locale, district, channel, answers, target_groups, payload_hash, submitted_at)
         select gen_random_uuid(), '${SLUG}', ${version}, b.mode, b.locale, b.district, null, a.answers, ${TARGET_GROUPS_SQL}, 'bench', b.submitted_at
         from (
           select i,
             (${districtArray})[1 + floor(random() * ${districts.length})::int] as district,
             case when random() < 0.15 then 'interview' else 'online' end as mode,
             (array['de','de','de','de','de','de','de-x-easy','en','tr','tr','ar','ru','uk','pl','fa'])[1 + floor(random() * 15)::int] as locale,
             timestamptz '2026-09-01 08:00+02' + random() * interval '60 days' as submitted_at
           from generate_series(${start}, ${end}) i
         ) b
         cross join lateral (select ${answers} as answers) a`,
      )
      .execute(db);
    process.stdout.write(`  generated ${end.toLocaleString('en')} responses (${((performance.now() - began) / 1000).toFixed(1)} s for this batch)\n`);
  }
  await sql`analyze response`.execute(db);
}

/** The baseline: what an expert would type into psql for the same counts (categorical questions, district × target group, with margins). */
function handWrittenGroupBy(names: string[]): string {
  return `copy (
    select a.key, o.option, coalesce(r.district, '_none') as district, tg.code, count(*)
    from response r
    cross join lateral jsonb_each(r.answers) a
    cross join lateral (
      select a.value #>> '{}' as option where jsonb_typeof(a.value) in ('string', 'number', 'boolean')
      union all select e from jsonb_array_elements_text(case when jsonb_typeof(a.value) = 'array' then a.value end) e
      union all select m.key || '=' || (m.value #>> '{}') from jsonb_each(case when jsonb_typeof(a.value) = 'object' then a.value end) m
    ) o
    cross join lateral (select jsonb_array_elements_text(r.target_groups) as code union all select '*') tg
    where r.survey_slug = '${SLUG}' and a.key = any(array[${names.map((name) => `'${name}'`).join(',')}])
    group by a.key, o.option, tg.code, grouping sets ((coalesce(r.district, '_none')), ())
  ) to stdout`;
}

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    console.error('bench:analysis needs DATABASE_URL (PostgreSQL); PGlite is not what a town with a million responses runs.');
    process.exit(2);
  }
  await build({
    entryPoints: [EXPORT_SOURCE],
    outfile: EXPORT_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    target: 'node20',
    logLevel: 'warning',
  });
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-bench-analysis-'));
  const reuse = process.env.BENCH_DATABASE_URL;
  const scratch = reuse ? null : await createScratchDatabaseUrl();
  const databaseUrl = reuse ?? scratch!.url;
  const platform = await openPlatform({ port: 0, databaseUrl, dataDir, surveysDir: SURVEYS_DIR, seedDemo: true });
  try {
    const db = platform.database.db;
    const existing = (await db.selectFrom('response').select((eb) => eb.fn.countAll<number>().as('n')).where('survey_slug', '=', SLUG).executeTakeFirstOrThrow()).n;
    if (Number(existing) < RESPONSES) {
      await addDistricts(db);
      console.log(`Generating ${(RESPONSES - Number(existing)).toLocaleString('en')} responses on ${os.cpus().length} cores …`);
      await generate(db, RESPONSES - Number(existing));
    }
    const total = Number((await db.selectFrom('response').select((eb) => eb.fn.countAll<number>().as('n')).where('survey_slug', '=', SLUG).executeTakeFirstOrThrow()).n);
    const context = await loadAnalysisContext(db, SLUG);
    const categorical = context.questions.filter((question) => ['single', 'multiple', 'matrix'].includes(question.type)).map((question) => question.name);
    await platform.close();

    console.log(`\n${total.toLocaleString('en')} responses, ${context.districts.length} districts, ${context.targetGroups.length} target groups, k = ${context.k}`);
    // Warm the cache once so neither side pays for the first read from disk.
    await psqlSeconds(databaseUrl, `select count(*) from response where survey_slug = '${SLUG}'`);

    const baselineAggregate = await psqlSeconds(databaseUrl, handWrittenGroupBy(categorical));
    // The same GROUP BY with the planner settings the app uses for its aggregations (see
    // withAnalysisSettings in api/src/analysis/repository.ts): the fairer comparison.
    const baselineTuned = await psqlSeconds(databaseUrl, `${ANALYSIS_SETTINGS} ${handWrittenGroupBy(categorical)}`);
    const aggregate = await exportProcess(databaseUrl, `/api/analysis/${SLUG}/aggregate.csv?by=district,target_group`, dataDir);
    const copy = await psqlSeconds(databaseUrl, `copy (select * from response where survey_slug = '${SLUG}') to stdout with (format csv)`);
    const raw = await exportProcess(databaseUrl, `/api/analysis/${SLUG}/responses.csv?variant=full&reason=benchmark%20of%20the%20raw%20export`, dataDir);
    // The same export from the TypeScript sources under tsx, whose loader alone holds ~70 MB.
    const rawTsx = await exportProcess(databaseUrl, `/api/analysis/${SLUG}/responses.csv?variant=full&reason=benchmark%20of%20the%20raw%20export`, dataDir, 'tsx');

    const rows = [
      ['hand-written GROUP BY (psql, COPY TO STDOUT), default settings', baselineAggregate.seconds, '', '', ''],
      ['the same GROUP BY with the app’s planner settings', baselineTuned.seconds, '', '', ''],
      [
        'aggregate.csv?by=district,target_group',
        aggregate.seconds,
        `${(aggregate.seconds / baselineAggregate.seconds).toFixed(2)}× / ${(aggregate.seconds / baselineTuned.seconds).toFixed(2)}× baselines`,
        '',
        aggregate.maxRssMb.toFixed(0),
      ],
      ['COPY (select * from response) TO STDOUT (psql)', copy.seconds, '', Math.round(total / copy.seconds).toLocaleString('en'), ''],
      ['responses.csv', raw.seconds, ((total / raw.seconds) / (total / copy.seconds)).toFixed(2) + '× COPY rows/s', Math.round(total / raw.seconds).toLocaleString('en'), raw.maxRssMb.toFixed(0)],
      [
        'responses.csv, run from the sources under tsx (not how the server runs)',
        rawTsx.seconds,
        ((total / rawTsx.seconds) / (total / copy.seconds)).toFixed(2) + '× COPY rows/s',
        Math.round(total / rawTsx.seconds).toLocaleString('en'),
        rawTsx.maxRssMb.toFixed(0),
      ],
    ];
    console.log('\n| step | seconds | ratio | rows/s | peak RSS of export process (MB) |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const [step, seconds, ratio, perSecond, rss] of rows) console.log(`| ${step} | ${(seconds as number).toFixed(1)} | ${ratio} | ${perSecond} | ${rss} |`);
    console.log(`\naggregate.csv: ${aggregate.rows.toLocaleString('en')} records, ${(aggregate.bytes / 2 ** 20).toFixed(1)} MB; responses.csv: ${raw.rows.toLocaleString('en')} rows, ${(raw.bytes / 2 ** 20).toFixed(0)} MB`);
    console.log(
      `Goals: aggregate within 2× baseline: ${aggregate.seconds <= 2 * baselineAggregate.seconds ? 'met' : 'NOT met'} ` +
        `(${aggregate.seconds <= 2 * baselineTuned.seconds ? 'met' : 'NOT met'} against the tuned one); ` +
        `raw export ≥ 1/3 of COPY rows/s: ${raw.seconds <= 3 * copy.seconds ? 'met' : 'NOT met'}; ` +
        `export RSS < 300 MB: ${Math.max(aggregate.maxRssMb, raw.maxRssMb) < 300 ? 'met' : 'NOT met'}`,
    );
  } finally {
    if (scratch && process.env.BENCH_KEEP_DATABASE !== '1') await scratch.drop();
    else console.log(`database kept: ${databaseUrl}`);
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

await main();
