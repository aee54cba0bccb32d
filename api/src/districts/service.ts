import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { Database, MarginDimension } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { countResponsesPerDistrict } from '../responses/index.ts';
import type { AdminDistrict, DistrictInput, ImportedDistrict, Population } from '../shared/districts.ts';
import * as repository from './repository.ts';

export async function listDistrictsForAdmin(db: Kysely<Database>): Promise<AdminDistrict[]> {
  const [districts, margins, responses] = await Promise.all([
    repository.listDistricts(db),
    repository.listPopulationMargins(db),
    countResponsesPerDistrict(db),
  ]);
  return districts.map((district) => {
    const own = margins.filter((m) => m.district === district.code);
    const of = (dimension: MarginDimension) => Object.fromEntries(own.filter((m) => m.dimension === dimension).map((m) => [m.category, m.count]));
    return {
      code: district.code,
      name: district.name,
      sortOrder: district.sort_order,
      retired: district.retired_at !== null,
      responses: responses.get(district.code) ?? 0,
      population: {
        total: district.population,
        year: district.population_year,
        source: district.population_source,
        byAgeBand: of('age_band'),
        byGender: of('gender'),
      },
    };
  });
}

const marginRows = (population: Population) => [
  ...Object.entries(population.byAgeBand).map(([category, count]) => ({ dimension: 'age_band' as const, category, count })),
  ...Object.entries(population.byGender).map(([category, count]) => ({ dimension: 'gender' as const, category, count })),
];

async function writeDistrict(db: Kysely<Database>, code: string, name: Record<string, string>, population: Population) {
  const outcome = await repository.upsertDistrict(db, {
    code,
    name,
    population: population.total,
    populationYear: population.year ?? null,
    populationSource: population.source ?? null,
  });
  await repository.replacePopulationMargins(db, code, marginRows(population));
  return outcome;
}

/** Creates or updates one district with its figures, in one transaction, audited. */
export async function saveDistrict(db: Kysely<Database>, actorId: string, code: string, input: DistrictInput): Promise<'created' | 'updated'> {
  return db.transaction().execute(async (trx) => {
    const outcome = await writeDistrict(trx, code, stripEmpty(input.name), input.population);
    await recordAudit(trx, { actorId, action: `district.${outcome === 'created' ? 'create' : 'update'}`, target: code, details: { total: input.population.total } });
    return outcome;
  });
}

/** Saves every district of an import or none (one transaction); existing districts keep their names. */
export async function importDistricts(db: Kysely<Database>, actorId: string, districts: ImportedDistrict[]) {
  return db.transaction().execute(async (trx) => {
    let created = 0;
    let updated = 0;
    for (const district of districts) {
      const existing = await repository.findDistrict(trx, district.code);
      const outcome = await writeDistrict(trx, district.code, existing?.name ?? { default: district.name }, district.population);
      if (outcome === 'created') created += 1;
      else updated += 1;
    }
    await recordAudit(trx, { actorId, action: 'district.import', details: { created, updated, districts: districts.map((d) => d.code) } });
    return { created, updated };
  });
}

export async function reorderDistricts(db: Kysely<Database>, actorId: string, codes: string[]): Promise<void> {
  const known = new Set((await repository.listDistricts(db)).map((d) => d.code));
  const unknown = codes.find((code) => !known.has(code));
  if (unknown) throw new ApiError(404, 'district_not_found', { code: unknown });
  await db.transaction().execute(async (trx) => {
    await repository.reorderDistricts(trx, codes);
    await recordAudit(trx, { actorId, action: 'district.reorder', details: { codes } });
  });
}

export async function setDistrictRetired(db: Kysely<Database>, actorId: string, code: string, retired: boolean): Promise<void> {
  if (!(await repository.setDistrictRetired(db, code, retired))) throw new ApiError(404, 'district_not_found', { code });
  await recordAudit(db, { actorId, action: retired ? 'district.retire' : 'district.restore', target: code });
}

/** Deletes a district nobody has answered for; one with responses is only ever retired. */
export async function deleteDistrict(db: Kysely<Database>, actorId: string, code: string): Promise<void> {
  if (!(await repository.findDistrict(db, code))) throw new ApiError(404, 'district_not_found', { code });
  if ((await countResponsesPerDistrict(db)).has(code)) throw new ApiError(409, 'district_has_responses', { code });
  await db.transaction().execute(async (trx) => {
    await repository.deleteDistrict(trx, code);
    await recordAudit(trx, { actorId, action: 'district.delete', target: code });
  });
}

function stripEmpty(name: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(name).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
}
