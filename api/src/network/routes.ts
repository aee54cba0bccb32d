import { Hono, type Context } from 'hono';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import { requireRole } from '../auth/index.ts';
import type { Database, TieKind, TieSource } from '../db/schema.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { fieldError, invalidFields, parseFields } from '../http/field-errors.ts';
import { readJsonBody } from '../http/read-json.ts';
import { ACTOR_KINDS, FIELDS_OF_ACTION, TIE_FREQUENCIES, TIE_KINDS } from './codes.ts';
import type { Locale } from '../shared/locales.ts';
import { networkGexf, networkGraphml } from './exports.ts';
import { forceLayout } from './layout.ts';
import { networkMapSvg } from './map-svg.ts';
import { codeLabelsFor, labelIn, mapTextsFor } from './map-texts.ts';
import { listDistricts } from '../districts/index.ts';
import { compareNetwork, networkAnalysis, type NetworkFilter } from './network-service.ts';
import { svgToPngOfSize } from './map-png.ts';
import { NETWORK_COLOR_MODES, NETWORK_SIZE_METRICS, type NetworkColorMode, type NetworkSizeMetric } from '../shared/network-map.ts';
import * as registry from './registry-service.ts';
import { findActor, listActors, listTies, referenceCounts, responsesOfActor } from './repository.ts';

export interface NetworkRoutesDeps {
  db: Kysely<Database>;
  /** The instruments' folder: the map's legend names kinds from its shared code lists. */
  surveysDir?: string;
}

// Names of organisations: printable text only, so that every export (XML included) can carry them.
const actorName = z
  .string()
  .trim()
  .min(1, 'field_required')
  .max(200, 'field_too_long')
  .regex(/^[^\p{Cc}\p{Cs}\uFFFE\uFFFF]*$/u, 'field_invalid');
const codeList = <T extends readonly [string, ...string[]]>(codes: T) =>
  z.array(z.enum(codes as unknown as [string, ...string[]], { errorMap: () => ({ message: 'field_invalid' }) })).max(codes.length);

const actorFields = {
  name: actorName,
  kind: z.enum(ACTOR_KINDS, { errorMap: () => ({ message: 'field_invalid' }) }),
  fieldsOfAction: codeList(FIELDS_OF_ACTION).default([]),
  districts: z.array(z.string().max(60)).max(200).default([]),
  isPublic: z.boolean().default(false),
};
const newActorSchema = z.object(actorFields).strict();
const actorEditSchema = z
  .object({
    name: actorFields.name.optional(),
    kind: actorFields.kind.optional(),
    fieldsOfAction: codeList(FIELDS_OF_ACTION).optional(),
    districts: z.array(z.string().max(60)).max(200).optional(),
    isPublic: z.boolean().optional(),
  })
  .strict();

const uuid = z.string().uuid('field_invalid');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'field_invalid_date')
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text), 'field_invalid_date');

const tieSchema = z
  .object({
    from: uuid,
    to: uuid,
    kind: z.enum(TIE_KINDS, { errorMap: () => ({ message: 'field_invalid' }) }),
    frequency: z.enum(TIE_FREQUENCIES, { errorMap: () => ({ message: 'field_invalid' }) }).nullable().default(null),
    observedOn: isoDate,
    source: z.discriminatedUnion(
      'kind',
      [
        z.object({ kind: z.literal('inventory'), responseId: uuid }).strict(),
        z.object({ kind: z.literal('workshop'), wave: z.string().trim().min(1, 'field_required').max(120, 'field_too_long') }).strict(),
        z.object({ kind: z.literal('staff') }).strict(),
      ],
      { errorMap: () => ({ message: 'field_invalid' }) },
    ),
  })
  .strict();

function actorId(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? '';
  if (!uuid.safeParse(id).success) throw new ApiError(404, 'actor_not_found');
  return id;
}

/** District codes must be the town's (retired ones included: an actor may still name one). */
async function checkDistricts(c: Context<AppEnv>, db: Kysely<Database>, codes: readonly string[] | undefined): Promise<void> {
  if (!codes || codes.length === 0) return;
  const known = new Set((await db.selectFrom('district').select('code').execute()).map((row) => row.code));
  const unknown = codes.findIndex((code) => !known.has(code));
  if (unknown >= 0) throw invalidFields([fieldError(c, `districts.${unknown}`, 'field_invalid')]);
}

/** Names of the kinds, fields of action and districts in the requester's language: for filters, forms, legend and tables. */
function codeLabelsOf(db: Kysely<Database>, surveysDir: string | undefined) {
  const codeLabels = codeLabelsFor(surveysDir);
  return async (locale: Locale) => {
    const districts = await listDistricts(db);
    const nameOf = (name: unknown) => (typeof name === 'string' ? (JSON.parse(name) as Record<string, string>) : (name as Record<string, string>));
    return {
      ...codeLabels(locale, { kinds: ACTOR_KINDS, fieldsOfAction: FIELDS_OF_ACTION }),
      districts: Object.fromEntries(districts.map((district) => [district.code, labelIn({ [district.code]: nameOf(district.name) }, district.code, locale)])),
    };
  };
}

/** The actor registry: staff (analyst, admin) list, add, edit, retire and merge actors and record ties. */
export function createActorRoutes({ db, surveysDir }: NetworkRoutesDeps) {
  const labels = codeLabelsOf(db, surveysDir);
  return new Hono<AppEnv>()
    .use('*', requireRole('analyst', 'admin'))
    .get('/', async (c) => {
      const [actors, counts, names] = await Promise.all([
        listActors(db, {
          includeRetired: c.req.query('includeRetired') === 'true',
          includeMerged: c.req.query('includeMerged') === 'true',
        }),
        referenceCounts(db),
        labels(c.get('locale')),
      ]);
      // The registry page shows what a merge would move: each actor's ties (either end) and response links.
      return c.json({
        actors: actors.map((actor) => ({ ...actor, ties: counts.get(actor.id)?.ties ?? 0, responses: counts.get(actor.id)?.responses ?? 0 })),
        labels: names,
      });
    })
    .post('/', async (c) => {
      const input = parseFields(c, newActorSchema, await readJsonBody(c, z.unknown()));
      await checkDistricts(c, db, input.districts);
      const actor = await registry.createActor(db, c.get('user')!.id, input);
      return c.json({ actor }, 201);
    })
    .get('/duplicates', async (c) => {
      const text = c.req.query('threshold');
      const threshold = text === undefined ? undefined : Number(text);
      if (threshold !== undefined && !(threshold >= 0.5 && threshold <= 1)) throw invalidFields([fieldError(c, 'threshold', 'field_invalid')]);
      return c.json({ suggestions: await registry.duplicateSuggestions(db, threshold) });
    })
    .post('/ties', async (c) => {
      const input = parseFields(c, tieSchema, await readJsonBody(c, z.unknown()));
      const tie = await registry.addTie(db, c.get('user')!.id, {
        fromActorId: input.from,
        toActorId: input.to,
        kind: input.kind,
        frequency: input.frequency,
        observedOn: input.observedOn,
        source: input.source,
      });
      return c.json({ tie }, 201);
    })
    .get('/:id', async (c) => {
      const id = actorId(c);
      const actor = await findActor(db, id);
      if (!actor) throw new ApiError(404, 'actor_not_found');
      return c.json({ actor, ties: await listTies(db, { actorId: id }), responses: await responsesOfActor(db, id) });
    })
    .patch('/:id', async (c) => {
      const id = actorId(c);
      const input = parseFields(c, actorEditSchema, await readJsonBody(c, z.unknown()));
      await checkDistricts(c, db, input.districts);
      return c.json({ actor: await registry.editActor(db, c.get('user')!.id, id, input) });
    })
    .post('/:id/retirement', async (c) => {
      const id = actorId(c);
      const { retired } = parseFields(c, z.object({ retired: z.boolean() }).strict(), await readJsonBody(c, z.unknown()));
      return c.json({ actor: await registry.setRetired(db, c.get('user')!.id, id, retired) });
    })
    .post('/:id/merge', async (c) => {
      const id = actorId(c);
      const { into } = parseFields(c, z.object({ into: uuid }).strict(), await readJsonBody(c, z.unknown()));
      return c.json(await registry.mergeActors(db, c.get('user')!.id, id, into));
    });
}

/** A comma-separated list of codes from `allowed`; an unknown code is a 422 naming the parameter. */
function codesParam<T extends string>(c: Context<AppEnv>, name: string, allowed: readonly T[] | null): T[] | undefined {
  const text = c.req.query(name);
  if (text === undefined || text.trim() === '') return undefined;
  const codes = text.split(',').map((code) => code.trim()).filter((code) => code.length > 0);
  if (codes.length > 200 || (allowed && codes.some((code) => !allowed.includes(code as T)))) throw invalidFields([fieldError(c, name, 'field_invalid')]);
  return codes as T[];
}

const TIE_SOURCES: readonly TieSource[] = ['inventory', 'workshop', 'staff'];

/** `wave=<name>` (repeatable, or comma-free names): workshop waves by their names. */
function wavesParam(c: Context<AppEnv>): string[] | undefined {
  const names = (c.req.queries('wave') ?? []).map((name) => name.trim()).filter((name) => name.length > 0);
  if (names.length === 0) return undefined;
  if (names.length > 50 || names.some((name) => name.length > 120)) throw invalidFields([fieldError(c, 'wave', 'field_invalid')]);
  return names;
}

async function filterFrom(c: Context<AppEnv>, db: Kysely<Database>): Promise<NetworkFilter> {
  const at = c.req.query('at');
  if (at !== undefined && !isoDate.safeParse(at).success) throw invalidFields([fieldError(c, 'at', 'field_invalid_date')]);
  const districts = codesParam(c, 'district', null);
  if (districts) {
    const known = new Set((await db.selectFrom('district').select('code').execute()).map((row) => row.code));
    if (districts.some((code) => !known.has(code))) throw invalidFields([fieldError(c, 'district', 'field_invalid')]);
  }
  return {
    fieldsOfAction: codesParam(c, 'fieldOfAction', FIELDS_OF_ACTION),
    kinds: codesParam(c, 'kind', ACTOR_KINDS),
    districts,
    tieKinds: codesParam<TieKind>(c, 'tieKind', TIE_KINDS),
    sources: codesParam<TieSource>(c, 'source', TIE_SOURCES),
    waves: wavesParam(c),
    at,
  };
}

/**
 * Every workshop wave for the `wave=` filter, earliest first: the names on workshop ties (older
 * waves and the demo have only those) and the synced workshops (with their id, for their clusters
 * and dots at `/api/workshops/:id`), whether their posters have ties or not.
 */
async function workshopWaves(db: Kysely<Database>): Promise<{ name: string; heldOn: string; workshopId: string | null }[]> {
  const { rows } = await sql<{ name: string; held_on: string; workshop_id: string | null }>`
    select name, min(held_on)::text as held_on, max(workshop_id) as workshop_id from (
      select workshop_wave as name, observed_on as held_on, workshop_id::text as workshop_id from actor_tie where source = 'workshop'
      union all
      select name, held_on, id::text from workshop
    ) waves group by name order by min(held_on), name`.execute(db);
  return rows.map((row) => ({ name: row.name, heldOn: row.held_on, workshopId: row.workshop_id }));
}

/** One value of a fixed list, or the default; anything else a 422 naming the parameter. */
function choiceParam<T extends string>(c: Context<AppEnv>, name: string, allowed: readonly T[], fallback: T): T {
  const text = c.req.query(name);
  if (text === undefined || text === '') return fallback;
  if (!allowed.includes(text as T)) throw invalidFields([fieldError(c, name, 'field_invalid')]);
  return text as T;
}

/** A whole number of pixels within bounds, or the default. */
function pixelsParam(c: Context<AppEnv>, name: string, min: number, max: number, fallback: number): number {
  const text = c.req.query(name);
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw invalidFields([fieldError(c, name, 'field_invalid')]);
  return value;
}

function compareParam(c: Context<AppEnv>): string | undefined {
  const text = c.req.query('compare');
  if (text === undefined || text === '') return undefined;
  if (!isoDate.safeParse(text).success) throw invalidFields([fieldError(c, 'compare', 'field_invalid_date')]);
  return text;
}

/**
 * `GET /api/analysis/network` (JSON), `network.gexf`, `network.graphml`, `network.svg`,
 * `network.png`: the actor network with its metrics and its map, for analysts and admins.
 * Organisations only, so there is no small-cell suppression here; non-public actors are named
 * because only staff see these routes.
 */
export function createNetworkAnalysisRoutes({ db, surveysDir }: NetworkRoutesDeps) {
  const mapTexts = mapTextsFor(surveysDir);
  const labels = codeLabelsOf(db, surveysDir);
  const mapFile = (format: 'svg' | 'png') => async (c: Context<AppEnv>) => {
    const filter = await filterFrom(c, db);
    const size = choiceParam<NetworkSizeMetric>(c, 'size', NETWORK_SIZE_METRICS, 'degree');
    const color = choiceParam<NetworkColorMode>(c, 'color', NETWORK_COLOR_MODES, 'kind');
    const width = pixelsParam(c, 'width', 320, 4096, 1200);
    const height = pixelsParam(c, 'height', 240, 4096, Math.round((width * 3) / 4));
    const analysis = await networkAnalysis(db, filter);
    // A blank picture in a report would look like "no network"; say why instead.
    if (analysis.nodes.length === 0) throw new ApiError(422, 'network_empty');
    const svg = networkMapSvg(analysis, { width, height, size, color, positions: forceLayout(analysis), texts: mapTexts(c.get('locale'), color, size) });
    await recordAudit(db, { actorId: c.get('user')!.id, action: `export.network_${format}`, details: { ...filter, size, color, width, height } });
    const headers = { 'content-disposition': `inline; filename="network.${format}"`, 'cache-control': 'private, no-store' };
    if (format === 'svg') return c.body(svg, 200, { ...headers, 'content-type': 'image/svg+xml; charset=utf-8' });
    return c.body(new Uint8Array(await svgToPngOfSize(svg, width, height)), 200, { ...headers, 'content-type': 'image/png' });
  };
  const exportFile = (format: 'gexf' | 'graphml') => async (c: Context<AppEnv>) => {
    const filter = await filterFrom(c, db);
    const analysis = await networkAnalysis(db, filter);
    // An empty file would open in Gephi as nothing at all; say why instead.
    if (analysis.nodes.length === 0) throw new ApiError(422, 'network_empty');
    await recordAudit(db, { actorId: c.get('user')!.id, action: `export.network_${format}`, details: { ...filter } });
    const body = format === 'gexf' ? networkGexf(analysis) : networkGraphml(analysis);
    c.header('Content-Type', format === 'gexf' ? 'application/gexf+xml; charset=utf-8' : 'application/graphml+xml; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="network.${format}"`);
    c.header('Cache-Control', 'no-store');
    return c.body(body);
  };
  return new Hono<AppEnv>()
    .use('/network', requireRole('analyst', 'admin'))
    .use('/network.*', requireRole('analyst', 'admin'))
    .get('/network', async (c) => {
      const filter = await filterFrom(c, db);
      const compare = compareParam(c);
      const withLayout = c.req.query('layout') === 'true';
      const analysis = await networkAnalysis(db, filter);
      c.header('Cache-Control', 'no-store');
      return c.json({
        filter,
        ...analysis,
        // The map's positions (unit square, y downwards): the same ForceAtlas2 layout as network.svg.
        ...(withLayout ? { layout: Object.fromEntries(forceLayout(analysis)) } : {}),
        ...(compare ? { comparison: await compareNetwork(db, filter, analysis, compare) } : {}),
        labels: await labels(c.get('locale')),
        waves: await workshopWaves(db),
      });
    })
    .get('/network.gexf', exportFile('gexf'))
    .get('/network.graphml', exportFile('graphml'))
    .get('/network.svg', mapFile('svg'))
    .get('/network.png', mapFile('png'));
}
