import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../db/connect.ts';
import { z } from 'zod';
import { recordAudit } from '../audit/index.ts';
import { requireRole } from '../auth/index.ts';
import type { Database } from '../db/schema.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { readJsonBody } from '../http/read-json.ts';
import { isLocale, type Locale } from '../shared/locales.ts';
import { getSuppressionThreshold, MAX_SUPPRESSION_K, MIN_SUPPRESSION_K, setSuppressionThreshold } from '../settings/index.ts';
import { listCurrentVersions } from '../surveys/repository.ts';
import { ALL, parseBreakdown, type Dimension } from './breakdown.ts';
import { buildBreakdownGrid, defaultOption, gridReference, GridInputError, type GridSort } from '../shared/breakdown-grid.ts';
import { RTL_LOCALES } from '../shared/locales.ts';
import { perturbationBound } from './disclosure/cell-key.ts';
import { gridChartSvg } from './charts/grid-chart-svg.ts';
import { barChartSvg } from './charts/bar-chart-svg.ts';
import { chartDefinition } from './charts/chart-definition.ts';
import { svgToPng } from './charts/render-png.ts';
import { aggregateRecords, AGGREGATE_COLUMNS, WEIGHTED_COLUMNS } from './csv/aggregate-csv.ts';
import { CODEBOOK_COLUMNS, codebookRecords } from './csv/codebook-csv.ts';
import { crosstabHeader, crosstabRecords, type CrosstabValue } from './csv/crosstab-csv.ts';
import { csvHeaders, csvStream, parseDialect, type CsvValue } from './csv/csv-writer.ts';
import { responseColumns, type ResponseColumn } from './csv/response-columns.ts';
import { numberedResponseLines, RESPONSE_PAGING, responseLines, type NumberedResponseLine } from './csv/responses-csv.ts';
import { responsesXlsx, xlsxHeaders } from './xlsx/responses-xlsx.ts';
import { adminExportReason } from './admin-export.ts';
import { analysisLabels } from './labels.ts';
import { deidentifiedLines, deidentifiedPages, deidentifiedPlan, deidentify } from './deidentify/deidentified-export.ts';
import { findSurveyWithVersions } from './repository.ts';
import { questionChanges } from '../surveys/version-changes.ts';
import { computeReturns } from './returns.ts';
import { computeAggregate, dimensionValues, itemsOf, loadAnalysisContext, type Aggregate } from './service.ts';
import { WEIGHTS_COLUMNS, weightsLines } from './csv/weights-csv.ts';
import { computeRepresentativeness } from './representativeness.ts';
import { weightedEstimates, type WeightedEstimates } from './weighted-aggregate.ts';
import { computeWeighting, parseTrimCap, requireWeights } from '../weighting/service.ts';
import { weightingReport } from '../weighting/report.ts';

export interface AnalysisRoutesDeps {
  db: Kysely<Database>;
  dbKind?: DatabaseKind;
}


async function* once<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

function actor(c: Context<AppEnv>) {
  const user = c.get('user');
  if (!user) throw new ApiError(401, 'unauthenticated');
  return user;
}

/** `?weights=raked` (weighted estimates beside the counts) or nothing. */
function parseWeights(value: string | undefined): boolean {
  if (value === undefined || value === '') return false;
  if (value === 'raked') return true;
  throw new ApiError(400, 'invalid_weights', { weights: value });
}

/** `?sort=<column code|_total|label>:<asc|desc>` of the grid image, as the dashboard sorts. */
function parseGridSort(value: string | undefined): GridSort | null {
  if (value === undefined || value === '') return null;
  const match = /^([A-Za-z0-9_.-]+):(asc|desc)$/.exec(value);
  if (!match) throw new ApiError(400, 'invalid_request', { details: 'sort must be <column>:asc or <column>:desc' });
  return { by: match[1]!, direction: match[2] === 'asc' ? 'ascending' : 'descending' };
}

/** The dashboard's JSON: the same published tables as the CSV, with labels in the analyst's language. */
function aggregateJson(aggregate: Aggregate, locale: Locale, weighted?: WeightedEstimates) {
  const labels = analysisLabels(aggregate.context, locale);
  const { frame } = aggregate;
  return {
    slug: aggregate.context.slug,
    k: aggregate.context.k,
    by: frame.dims,
    // Each dimension's values with labels, for tables that put one dimension down and one across.
    dimensions: Object.fromEntries(frame.dims.map((dim) => [dim, frame.values[dim].map((code) => ({ code, label: labels.dimensionValue(dim, code) }))])),
    groups: frame.groups.map((group) => ({
      key: Object.fromEntries(frame.dims.map((dim) => [dim, group[dim] === ALL ? null : group[dim]])),
      label: labels.group(frame.dims, group),
    })),
    items: aggregate.items.map((item) => ({
      key: item.key,
      question: item.question.name,
      row: item.row?.code ?? null,
      type: item.kind,
      label: labels.question(item),
      base: item.base,
      options: item.options.map((option, o) => ({
        code: option.code,
        label: labels.option(option),
        counts: item.counts[o],
        shares: item.shares[o],
        ...(weighted && (item.kind === 'single' || item.kind === 'multiple')
          ? { weighted: (weighted.get(item.key)?.[o] ?? []).map((estimate) => estimate && { share: estimate.share, ciLow: estimate.ciLow, ciHigh: estimate.ciHigh, nEffective: estimate.nEffective }) }
          : {}),
      })),
      ...(item.kind === 'number' ? { mean: item.mean, median: item.median } : {}),
    })),
  };
}

/** `?variant=`: the de-identified raw data (default) or the full file (admins, with a reason). */
function parseVariant(value: string | undefined): 'deidentified' | 'full' {
  if (value === undefined || value === '' || value === 'deidentified') return 'deidentified';
  if (value === 'full') return 'full';
  throw new ApiError(400, 'invalid_export_variant', { variant: value });
}

/** `?text=include` puts free text into the de-identified file; by default it is left out. */
function parseIncludeText(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'omit') return false;
  if (value === 'include') return true;
  throw new ApiError(400, 'invalid_request', { details: 'text must be include or omit' });
}

/** The full raw file: admins only, and only with a reason (written to the audit log). */
const fullExportReason = (role: string, reason: string | undefined) =>
  adminExportReason(role, reason, { forbidden: 'raw_export_admin_only', reasonRequired: 'raw_export_reason_required' });

const settingsSchema = z.object({ suppressionK: z.number().int().min(MIN_SUPPRESSION_K).max(MAX_SUPPRESSION_K) });

/**
 * Analysis for analysts and admins: dashboard JSON, CSV exports, chart images. Every count goes
 * through the cell key method (disclosure/cell-key.ts) before it leaves; every download, JSON
 * included, is written to the audit log.
 */
export function createAnalysisRoutes({ db, dbKind = 'postgres' }: AnalysisRoutesDeps) {
  const paging = RESPONSE_PAGING[dbKind];
  const app = new Hono<AppEnv>();
  app.use('*', requireRole('analyst', 'admin'));

  app.get('/settings', async (c) => c.json({ suppressionK: await getSuppressionThreshold(db), minimum: MIN_SUPPRESSION_K }));

  app.put('/settings', requireRole('admin'), async (c) => {
    const { suppressionK } = await readJsonBody(c, settingsSchema);
    const previous = await getSuppressionThreshold(db);
    await setSuppressionThreshold(db, suppressionK);
    await recordAudit(db, { actorId: actor(c).id, action: 'setting.suppression_k', details: { previous, suppressionK } });
    return c.json({ suppressionK });
  });

  // Every survey, closed ones included: the analysis for the strategy report mostly happens after
  // a survey has closed (the public list, GET /api/surveys, shows open ones only).
  app.get('/surveys', async (c) => {
    const surveys = await listCurrentVersions(db);
    return c.json({
      surveys: surveys.map((survey) => ({
        slug: survey.slug,
        kind: survey.kind,
        status: survey.status,
        version: survey.version,
        title: survey.definition.title ?? survey.slug,
      })),
    });
  });

  // The question list of the explorer: from the instrument's versions alone, no counting.
  app.get('/:slug/questions', async (c) => {
    const context = await loadAnalysisContext(db, c.req.param('slug'));
    const labels = analysisLabels(context, c.get('locale'));
    const items = context.questions.flatMap((question) => itemsOf(context, question));
    return c.json({
      k: context.k,
      items: items.map((item) => ({ key: item.key, question: item.question.name, row: item.row?.code ?? null, type: item.kind, label: labels.question(item) })),
    });
  });

  app.get('/:slug/aggregate', async (c) => {
    const slug = c.req.param('slug');
    const dims = parseBreakdown(c.req.query('by'));
    const question = c.req.query('question') || undefined;
    const context = await loadAnalysisContext(db, slug);
    const withWeights = parseWeights(c.req.query('weights'));
    const trimCap = parseTrimCap(c.req.query('trim'));
    const aggregate = await computeAggregate(db, context, dims, { question });
    // The same numbers as aggregate.csv, so the same entry in the audit log.
    await recordAudit(db, { actorId: actor(c).id, action: 'export.aggregate_json', target: slug, details: { by: dims, question: question ?? null, k: context.k, weights: withWeights ? 'raked' : null } });
    const weighted = withWeights ? await weightedEstimates(db, aggregate, await requireWeights(db, context.slug, { trimCap })) : undefined;
    return c.json({ ...aggregateJson(aggregate, c.get('locale'), weighted), ...(withWeights ? { weights: 'raked' } : {}) });
  });

  // The raking report: how the weights came about, or what in the margins prevents them.
  app.get('/:slug/weights', async (c) => {
    const context = await loadAnalysisContext(db, c.req.param('slug'));
    const trimCap = parseTrimCap(c.req.query('trim'));
    return c.json(weightingReport(context.slug, await computeWeighting(db, context.slug, { trimCap }), c.get('locale')));
  });

  // Sample vs population per district by age band and gender (published counts like every table).
  app.get('/:slug/representativeness', async (c) => {
    const context = await loadAnalysisContext(db, c.req.param('slug'));
    return c.json(await computeRepresentativeness(db, context, analysisLabels(context, c.get('locale'))));
  });

  // A weight is a function of the district × age band × gender cell, so weights.csv tells that cell
  // for every row of the full raw file: admins only, with a reason, like that file (docs/analysis.md).
  app.get('/:slug/weights.csv', requireRole('admin'), async (c) => {
    const slug = c.req.param('slug');
    const dialect = parseDialect(c.req.query('dialect'), { allowStats: true });
    const trimCap = parseTrimCap(c.req.query('trim'));
    const user = actor(c);
    const reason = adminExportReason(user.role, c.req.query('reason'), { forbidden: 'forbidden', reasonRequired: 'weights_export_reason_required' });
    const context = await loadAnalysisContext(db, slug);
    const weighting = await requireWeights(db, context.slug, { trimCap });
    await recordAudit(db, { actorId: user.id, action: 'export.weights_csv', target: slug, details: { reason, dialect, trim: trimCap ?? null } });
    return new Response(csvStream(WEIGHTS_COLUMNS, weightsLines(db, slug, weighting, { dialect, paging }), dialect), { headers: csvHeaders(`${slug}-weights.csv`) });
  });

  app.get('/:slug/aggregate.csv', async (c) => {
    const slug = c.req.param('slug');
    const dims = parseBreakdown(c.req.query('by'));
    const headerParam = c.req.query('header') ?? 'codes';
    if (headerParam !== 'codes' && headerParam !== 'labels') throw new ApiError(400, 'invalid_request', { details: 'header must be codes or labels' });
    const headerLabels = headerParam === 'labels';
    const dialect = parseDialect(c.req.query('dialect'), { allowStats: true });
    const withWeights = parseWeights(c.req.query('weights'));
    const trimCap = parseTrimCap(c.req.query('trim'));
    const context = await loadAnalysisContext(db, slug);
    // `question=`: one question's tables (the dashboard's grid download), as the JSON allows.
    const question = c.req.query('question') || undefined;
    const aggregate = await computeAggregate(db, context, dims, { question });
    const weighted = withWeights ? await weightedEstimates(db, aggregate, await requireWeights(db, slug, { trimCap })) : undefined;
    await recordAudit(db, {
      actorId: actor(c).id,
      action: 'export.aggregate_csv',
      target: slug,
      details: { by: dims, question: question ?? null, dialect, k: context.k, ...(withWeights ? { weights: 'raked', trim: trimCap ?? null } : {}) },
    });
    const labels = analysisLabels(context, c.get('locale'));
    const codes = weighted ? [...AGGREGATE_COLUMNS, ...WEIGHTED_COLUMNS] : AGGREGATE_COLUMNS;
    // The stable codes by default (scripts rely on them); `header=labels`: in the requester's language.
    const header = headerLabels ? codes.map((code) => labels.t(`analysis.columns.${code}`)) : codes;
    return new Response(csvStream(header, once(aggregateRecords(aggregate, labels, weighted)), dialect), {
      headers: csvHeaders(`${slug}-aggregate${question ? `-${question}` : ''}${dims.length ? `-${dims.join('-')}` : ''}.csv`),
    });
  });

  app.get('/:slug/crosstab.csv', async (c) => {
    const slug = c.req.param('slug');
    const dims = parseBreakdown(c.req.query('by'));
    const dialect = parseDialect(c.req.query('dialect'), { allowStats: true });
    const valueParam = c.req.query('value') ?? 'percent';
    if (valueParam !== 'percent' && valueParam !== 'n') throw new ApiError(400, 'invalid_request', { details: 'value must be percent or n' });
    const value: CrosstabValue = valueParam;
    const withWeights = parseWeights(c.req.query('weights'));
    if (withWeights && value !== 'percent') throw new ApiError(400, 'invalid_request', { details: 'weights=raked gives percentages: use value=percent' });
    const trimCap = parseTrimCap(c.req.query('trim'));
    const context = await loadAnalysisContext(db, slug);
    // `question=`: one question's tables (the dashboard's grid download), as the JSON allows.
    const question = c.req.query('question') || undefined;
    const aggregate = await computeAggregate(db, context, dims, { question });
    const weighted = withWeights ? await weightedEstimates(db, aggregate, await requireWeights(db, slug, { trimCap })) : undefined;
    await recordAudit(db, {
      actorId: actor(c).id,
      action: 'export.crosstab_csv',
      target: slug,
      details: { by: dims, question: question ?? null, dialect, value, k: context.k, ...(withWeights ? { weights: 'raked', trim: trimCap ?? null } : {}) },
    });
    const labels = analysisLabels(context, c.get('locale'));
    return new Response(csvStream(crosstabHeader(aggregate, labels), once(crosstabRecords(aggregate, labels, value, weighted)), dialect), {
      headers: csvHeaders(`${slug}-crosstab${question ? `-${question}` : ''}${dims.length ? `-${dims.join('-')}` : ''}.csv`),
    });
  });

  // The raw data. Analysts get the de-identified file (deidentify/: quasi-identifiers coarsened
  // or withheld until every combination has k respondents, free text only on request); the full
  // file is for admins, with a reason that goes into the audit log. CSV or XLSX (typed cells).
  const rawExport = async (c: Context<AppEnv>, format: 'csv' | 'xlsx') => {
    const slug = c.req.param('slug')!;
    const dialect = format === 'csv' ? parseDialect(c.req.query('dialect'), { allowStats: true }) : 'rfc4180';
    const labelsParam = c.req.query('labels') ?? 'codes';
    if (labelsParam !== 'codes' && !isLocale(labelsParam)) throw new ApiError(400, 'invalid_labels', { labels: labelsParam });
    const labels: Locale | null = labelsParam === 'codes' ? null : labelsParam;
    const variant = parseVariant(c.req.query('variant'));
    const user = actor(c);
    const context = await loadAnalysisContext(db, slug);
    const targetGroups = dimensionValues(context).target_group;
    const action = `export.responses_${format}`;
    const common = { labels: labelsParam, ...(format === 'csv' ? { dialect } : {}) };
    const cellDialect = format === 'csv' ? dialect : 'cells';
    let columns: ResponseColumn[];
    let pages: AsyncIterable<NumberedResponseLine[]>;
    let lines: () => AsyncIterable<string>;
    if (variant === 'full') {
      const reason = fullExportReason(user.role, c.req.query('reason'));
      columns = responseColumns(context, targetGroups);
      await recordAudit(db, { actorId: user.id, action, target: slug, details: { variant, reason, ...common } });
      pages = numberedResponseLines(db, slug, columns, { labels, dialect: cellDialect, paging });
      lines = () => responseLines(db, slug, columns, { labels, dialect, paging });
    } else {
      const includeText = parseIncludeText(c.req.query('text'));
      const plan = deidentifiedPlan(context, targetGroups, { includeText });
      const deidentification = await deidentify(db, context, plan);
      columns = plan.columns;
      await recordAudit(db, {
        actorId: user.id,
        action,
        target: slug,
        details: { variant, k: context.k, text: includeText ? 'include' : 'omit', ...common, rows: deidentification.releases.length, omitted: deidentification.omitted, withheld: deidentification.withheld },
      });
      pages = deidentifiedPages(db, slug, plan, deidentification, { labels, dialect: cellDialect, paging });
      lines = () => deidentifiedLines(db, slug, plan, deidentification, { labels, dialect, paging });
    }
    const fileName = `${slug}-responses${variant === 'full' ? '-full' : ''}.${format}`;
    if (format === 'csv') return new Response(csvStream(columns.map((column) => column.name), lines(), dialect), { headers: csvHeaders(fileName) });
    const changedIn = questionChanges((await findSurveyWithVersions(db, slug))?.versions ?? []);
    return new Response(responsesXlsx(columns, pages, { labels, locale: c.get('locale'), changedIn }), { headers: xlsxHeaders(fileName) });
  };
  app.get('/:slug/responses.csv', (c) => rawExport(c, 'csv'));
  app.get('/:slug/responses.xlsx', (c) => rawExport(c, 'xlsx'));

  app.get('/:slug/codebook.csv', async (c) => {
    const slug = c.req.param('slug');
    const dialect = parseDialect(c.req.query('dialect'), { allowStats: true });
    const variant = parseVariant(c.req.query('variant'));
    const includeText = parseIncludeText(c.req.query('text'));
    const context = await loadAnalysisContext(db, slug);
    const targetGroups = dimensionValues(context).target_group;
    // The codebook of the file asked for: the de-identified one by default.
    const columns = variant === 'full' ? responseColumns(context, targetGroups) : deidentifiedPlan(context, targetGroups, { includeText }).columns;
    await recordAudit(db, { actorId: actor(c).id, action: 'export.codebook_csv', target: slug, details: { dialect, locale: c.get('locale'), variant } });
    const changedIn = questionChanges((await findSurveyWithVersions(db, slug))?.versions ?? []);
    const records: CsvValue[][] = codebookRecords(columns, c.get('locale'), changedIn);
    return new Response(csvStream(CODEBOOK_COLUMNS, once([records]), dialect), { headers: csvHeaders(`${slug}-codebook.csv`) });
  });

  app.get('/:slug/returns', async (c) => {
    const targetParam = c.req.query('target');
    const target = targetParam === undefined || targetParam === '' ? undefined : Number(targetParam);
    if (target !== undefined && !(Number.isInteger(target) && target > 0 && target <= 10_000_000)) {
      throw new ApiError(400, 'invalid_request', { details: 'target must be a positive whole number' });
    }
    const slug = c.req.param('slug');
    const context = await loadAnalysisContext(db, slug);
    const returns = await computeReturns(db, context, analysisLabels(context, c.get('locale')), { target });
    await recordAudit(db, { actorId: actor(c).id, action: 'export.returns_json', target: slug, details: { target: target ?? null, k: context.k } });
    return c.json(returns);
  });

  // The breakdown grid as an image: the dashboard's grid of one option (shared/breakdown-grid.ts),
  // built from the same JSON as `aggregate`, folded and sorted as the analyst sees it.
  const gridChart = async (
    c: Context<AppEnv>,
    { aggregate, item, dims, format }: { aggregate: Aggregate; item: Aggregate['items'][number]; dims: Dimension[]; format: 'svg' | 'png' | 'json' },
  ) => {
    const { context } = aggregate;
    const slug = context.slug;
    const locale = c.get('locale');
    if (dims.length !== 2) throw new ApiError(400, 'invalid_request', { details: 'layout=grid needs by=<rows>,<columns>' });
    if (item.kind !== 'single' && item.kind !== 'multiple') throw new ApiError(400, 'invalid_request', { details: 'layout=grid shows choice questions' });
    const withWeights = parseWeights(c.req.query('weights'));
    const trimCap = parseTrimCap(c.req.query('trim'));
        const sort = parseGridSort(c.req.query('sort'));
    const showEmpty = c.req.query('empty') === 'show';
    const showInterval = c.req.query('ci') === 'show';
    const weighted = withWeights ? await weightedEstimates(db, { ...aggregate, items: [item] }, await requireWeights(db, slug, { trimCap })) : undefined;
    const json = { ...aggregateJson({ ...aggregate, items: [item] }, locale, weighted), ...(withWeights ? { weights: 'raked' as const } : {}) };
    const option = c.req.query('option') || defaultOption(json.items[0]!, withWeights);
    let grid;
    try {
      grid = buildBreakdownGrid(json, item.key, { rows: dims[0]!, columns: dims[1]!, option: option ?? '', weighted: withWeights, showEmpty, sort }, locale);
    } catch (error) {
      if (error instanceof GridInputError) throw new ApiError(400, 'invalid_request', { details: error.message });
      throw error;
    }
    await recordAudit(db, {
      actorId: actor(c).id,
      action: `export.chart_${format}`,
      target: slug,
      details: { question: item.key, by: dims, layout: 'grid', option: grid.option.code, k: context.k, weights: withWeights ? 'raked' : null },
    });
    if (format === 'json') return c.json(grid);
    const labels = analysisLabels(context, locale);
    const t = labels.t;
    const reference = gridReference(grid);
    const svg = gridChartSvg(
      grid,
      {
        title: labels.question(item),
        valueLabel: `${t(withWeights ? 'analysis.unit.weighted_percent' : 'analysis.chart.unit_percent')} · ${grid.option.label}`,
        rowHeading: t(`analysis.columns.${dims[0]}`),
        suppressed: t('analysis.chart.suppressed'),
        caption: t('analysis.chart.caption', { n: item.base[0] ?? 0 }),
        legend: t('analysis.chart.legend', { k: context.k, min: context.k + perturbationBound(context.k) }),
        heatLegend: t('analysis.chart.grid_legend', { total: reference === null ? '–' : `${new Intl.NumberFormat(locale === 'de-x-easy' ? 'de' : locale, { maximumFractionDigits: 1 }).format(reference * 100)} %` }),
      },
      { locale, rtl: RTL_LOCALES.has(locale), showInterval: showInterval && withWeights },
    );
    const fileName = `${slug}-${item.key}-grid-${dims.join('-')}-${grid.option.code}.${format}`.replace(/[^A-Za-z0-9._-]/g, '_');
    const headers = { 'content-disposition': `inline; filename="${fileName}"`, 'cache-control': 'private, no-store' };
    if (format === 'svg') return c.body(svg, 200, { ...headers, 'content-type': 'image/svg+xml; charset=utf-8' });
    return c.body(new Uint8Array(await svgToPng(svg)), 200, { ...headers, 'content-type': 'image/png' });
  };

  app.get('/:slug/charts/:file', async (c) => {
    const slug = c.req.param('slug');
    const file = c.req.param('file');
    const match = /^(.+)\.(svg|png|json)$/.exec(file);
    if (!match) throw new ApiError(404, 'not_found');
    const [, question, format] = match as unknown as [string, string, 'svg' | 'png' | 'json'];
    const dims = parseBreakdown(c.req.query('by'));
    const context = await loadAnalysisContext(db, slug);
    const aggregate = await computeAggregate(db, context, dims, { question });
    const item = aggregate.items.find((candidate) => candidate.key === question) ?? aggregate.items[0]!;
    if (c.req.query('layout') === 'grid') return gridChart(c, { aggregate, item, dims, format });
    if (c.req.query('layout') !== undefined && c.req.query('layout') !== '') throw new ApiError(400, 'invalid_request', { details: 'layout must be grid or nothing' });
    const chart = chartDefinition(item, aggregate.frame, analysisLabels(context, c.get('locale')), context.k);
    await recordAudit(db, { actorId: actor(c).id, action: `export.chart_${format}`, target: slug, details: { question: item.key, by: dims } });
    if (format === 'json') return c.json(chart);
    const svg = barChartSvg(chart);
    const fileName = `${slug}-${item.key}${dims.length ? `-${dims.join('-')}` : ''}.${format}`.replace(/[^A-Za-z0-9._-]/g, '_');
    const headers = { 'content-disposition': `inline; filename="${fileName}"`, 'cache-control': 'private, no-store' };
    if (format === 'svg') return c.body(svg, 200, { ...headers, 'content-type': 'image/svg+xml; charset=utf-8' });
    return c.body(new Uint8Array(await svgToPng(svg)), 200, { ...headers, 'content-type': 'image/png' });
  });

  return app;
}
