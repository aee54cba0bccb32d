import { Hono, type Context } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { requireRole } from '../auth/index.ts';
import type { Database } from '../db/schema.ts';
import type { AppEnv } from '../http/app-env.ts';
import { ApiError } from '../http/errors.ts';
import { fieldError, invalidFields, parseFields } from '../http/field-errors.ts';
import { readJsonBody } from '../http/read-json.ts';
import { messageFor } from '../i18n/messages.ts';
import { planDistrictImport, type ImportPlan } from './csv-import.ts';
import { DISTRICT_CODE_PATTERN } from '../shared/margin-codes.ts';
import { checkPopulation, districtInputSchema } from './population-check.ts';
import * as service from './service.ts';

export interface DistrictRoutesDeps {
  db: Kysely<Database>;
}

/** A statistics office's file for a town of 50,000 is a few kilobytes; a megabyte is not one. */
const MAX_IMPORT_BYTES = 1024 * 1024;

function districtCode(c: Context<AppEnv>): string {
  const code = c.req.param('code') ?? '';
  if (!DISTRICT_CODE_PATTERN.test(code)) throw invalidFields([fieldError(c, 'code', 'district_code_invalid')]);
  return code;
}

async function readImport(c: Context<AppEnv>): Promise<ImportPlan> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > MAX_IMPORT_BYTES) throw new ApiError(413, 'payload_too_large');
  const yearText = c.req.query('year');
  const year = yearText ? Number(yearText) : null;
  if (year !== null && !(Number.isInteger(year) && year >= 1900 && year <= 2200)) throw invalidFields([fieldError(c, 'year', 'field_invalid')]);
  return planDistrictImport(bytes, { year, source: c.req.query('source')?.trim().slice(0, 300) || null });
}

/** The plan with each problem's message in the admin's language. */
function localisedPlan(c: Context<AppEnv>, plan: ImportPlan) {
  const t = messageFor(c.get('locale') ?? 'de');
  return {
    districts: plan.districts,
    problems: plan.problems.map((problem) => ({ ...problem, message: t(`errors.${problem.code}`, problem.params) })),
  };
}

/** Districts with their population figures; admin only. */
export function createDistrictAdminRoutes({ db }: DistrictRoutesDeps) {
  return new Hono<AppEnv>()
    .use('*', requireRole('admin'))
    .get('/', async (c) => c.json({ districts: await service.listDistrictsForAdmin(db) }))
    .put('/:code', async (c) => {
      const code = districtCode(c);
      const input = parseFields(c, districtInputSchema, await readJsonBody(c, z.unknown()));
      const problems = checkPopulation(input.population);
      if (problems.length > 0) throw invalidFields(problems.map((p) => fieldError(c, p.field, p.code, p.params)));
      const outcome = await service.saveDistrict(db, c.get('user')!.id, code, input);
      return c.json({ code, outcome }, outcome === 'created' ? 201 : 200);
    })
    .delete('/:code', async (c) => {
      await service.deleteDistrict(db, c.get('user')!.id, districtCode(c));
      return c.body(null, 204);
    })
    .post('/:code/retirement', async (c) => {
      const code = districtCode(c);
      const { retired } = await readJsonBody(c, z.object({ retired: z.boolean() }));
      await service.setDistrictRetired(db, c.get('user')!.id, code, retired);
      return c.json({ code, retired });
    })
    .post('/order', async (c) => {
      const { codes } = await readJsonBody(c, z.object({ codes: z.array(z.string().max(60)).min(1).max(500) }));
      await service.reorderDistricts(db, c.get('user')!.id, codes);
      return c.json({ districts: await service.listDistrictsForAdmin(db) });
    })
    .post('/import/preview', async (c) => c.json(localisedPlan(c, await readImport(c))))
    .post('/import', async (c) => {
      const plan = await readImport(c);
      if (plan.problems.length > 0 || plan.districts.length === 0) {
        throw new ApiError(422, 'invalid_fields', {}, localisedPlan(c, plan));
      }
      const result = await service.importDistricts(db, c.get('user')!.id, plan.districts);
      return c.json({ ...result, districts: await service.listDistrictsForAdmin(db) });
    });
}
