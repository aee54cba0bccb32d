import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import type { Database, TieFrequency, TieKind } from '../db/schema.ts';
import { ACTOR_KINDS, FIELDS_OF_ACTION, TIE_FREQUENCIES, TIE_KINDS } from './codes.ts';
import { normaliseActorName } from './name-similarity.ts';
import * as repo from './repository.ts';
import { dayInTown } from '../shared/town-day.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Json = Record<string, unknown>;

/**
 * Whether an instrument definition is the revised stakeholder inventory (issue #14): it names its
 * partners as organisations in a dynamic panel `partners`. Decided by the questions, not by the
 * version number: numbers count per database (docs/instruments.md, "Versions and history").
 */
export function isRevisedInventory(definition: unknown): boolean {
  let found = false;
  const walk = (node: unknown) => {
    if (found) return;
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (node !== null && typeof node === 'object') {
      const element = node as Json;
      if (element.name === 'partners' && element.type === 'paneldynamic') found = true;
      for (const key of ['pages', 'elements', 'templateElements']) if (key in element) walk(element[key]);
    }
  };
  walk(definition);
  return found;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
const codesOf = <T extends string>(value: unknown, allowed: readonly T[]): T[] =>
  Array.isArray(value) ? [...new Set(value.filter((item): item is T => typeof item === 'string' && (allowed as readonly string[]).includes(item)))] : [];
const codeOf = <T extends string>(value: unknown, allowed: readonly T[]): T | null =>
  typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : null;
const records = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter((item): item is Json => item !== null && typeof item === 'object' && !Array.isArray(item)) : [];
const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];


export interface IngestOutcome {
  organisationId: string;
  createdActorIds: string[];
  tieIds: string[];
}

/**
 * Resolves a name to the registry: a current actor (neither merged nor retired) whose name is the
 * same after normaliseActorName; a merged actor's name leads to the actor it was merged into, if
 * that one is current. Retired actors are not matched (ties to them are refused): the name gets a
 * new actor, which staff can merge or resolve. Among several matches, the oldest wins.
 */
class Resolver {
  private readonly byKey = new Map<string, repo.ActorRecord>();
  private constructor(private readonly trx: Db) {}

  static async load(trx: Db): Promise<Resolver> {
    const resolver = new Resolver(trx);
    const all = await repo.listActors(trx, { includeMerged: true, includeRetired: true });
    const byId = new Map(all.map((actor) => [actor.id, actor]));
    const survivor = (actor: repo.ActorRecord): repo.ActorRecord | null => {
      let current: repo.ActorRecord | undefined = actor;
      for (let hops = 0; current && current.mergedInto && hops < 50; hops += 1) current = byId.get(current.mergedInto);
      return current && !current.mergedInto && !current.retiredAt ? current : null;
    };
    // Current actors first (a name's own actor beats a forwarding address), oldest first.
    const ordered = [...all].sort(
      (a, b) => Number(a.mergedInto !== null) - Number(b.mergedInto !== null) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
    );
    for (const actor of ordered) {
      const target = survivor(actor);
      const key = normaliseActorName(actor.name);
      if (target && key !== '' && !resolver.byKey.has(key)) resolver.byKey.set(key, target);
    }
    return resolver;
  }

  find(name: string): repo.ActorRecord | null {
    return this.byKey.get(normaliseActorName(name)) ?? null;
  }

  remember(actor: repo.ActorRecord): void {
    this.byKey.set(normaliseActorName(actor.name), actor);
  }

  get db(): Db {
    return this.trx;
  }
}

async function createFromResponse(resolver: Resolver, responseId: string, values: repo.ActorValues): Promise<repo.ActorRecord> {
  const id = randomUUID();
  await repo.insertActor(resolver.db, id, values);
  // No staff account did this: the audit's actor is the system (null), the response is named.
  await recordAudit(resolver.db, { actorId: null, action: 'actor.create', target: id, details: { kind: values.kind, fromResponse: responseId } });
  const actor = (await repo.findActor(resolver.db, id))!;
  resolver.remember(actor);
  return actor;
}

/** Adds fields of action and districts to an existing actor; its kind and public flag stay (staff own those). */
async function widen(resolver: Resolver, responseId: string, actor: repo.ActorRecord, fields: string[], districts: string[]): Promise<repo.ActorRecord> {
  const fieldsOfAction = union(actor.fieldsOfAction, fields);
  const allDistricts = union(actor.districts, districts);
  if (fieldsOfAction.length === actor.fieldsOfAction.length && allDistricts.length === actor.districts.length) return actor;
  await repo.updateActor(resolver.db, actor.id, { fieldsOfAction, districts: allDistricts });
  await recordAudit(resolver.db, {
    actorId: null,
    action: 'actor.edit',
    target: actor.id,
    details: { fields: ['fieldsOfAction', 'districts'], fromResponse: responseId },
  });
  const widened = (await repo.findActor(resolver.db, actor.id))!;
  resolver.remember(widened);
  return widened;
}

/**
 * Writes what a revised stakeholder-inventory response says about the network: the responding
 * organisation (found by name or created) linked to the response, its partners (found or created,
 * not public) and one tie per partner and tie kind. Runs inside the transaction that stores the
 * response, so a response never exists without its links and a failure stores neither. Returns
 * null when the answers name no organisation (the instrument requires one; nothing to link).
 */
export async function ingestInventoryResponse(
  trx: Db,
  response: { id: string; answers: Json; submittedAt: Date },
): Promise<IngestOutcome | null> {
  const { answers } = response;
  const orgName = text(answers.org_name);
  const orgKind = codeOf(answers.org_type, ACTOR_KINDS);
  if (!orgName || !orgKind) return null;
  const offers = records(answers.offers);
  const fields = union(
    codesOf(answers.org_fields, FIELDS_OF_ACTION),
    offers.flatMap((offer) => codesOf([offer.offer_field], FIELDS_OF_ACTION)),
  );
  const districts = codesOf(answers.districts_active, districtCodes(answers.districts_active));

  // One inventory response at a time matches names: two organisations answering at the same time
  // and naming the same new partner would otherwise each miss the other's uncommitted actor and
  // create it twice. Held until the response's transaction ends; the registry is read after it.
  await sql`select pg_advisory_xact_lock(hashtext('vielstimmig:actor-registry-ingest'))`.execute(trx);
  const resolver = await Resolver.load(trx);
  const created: string[] = [];
  let organisation = resolver.find(orgName);
  if (organisation) organisation = await widen(resolver, response.id, organisation, fields, districts);
  else {
    organisation = await createFromResponse(resolver, response.id, {
      name: orgName.slice(0, 200),
      kind: orgKind,
      fieldsOfAction: fields,
      districts,
      isPublic: answers.org_public === true,
    });
    created.push(organisation.id);
  }
  await repo.linkResponseToActor(trx, response.id, organisation.id);

  // The day it was submitted, as the town counts days.
  const observedOn = dayInTown(response.submittedAt);
  const seen = new Set<string>();
  const tieIds: string[] = [];
  for (const row of records(answers.partners)) {
    const partnerName = text(row.partner_name);
    const partnerKind = codeOf(row.partner_kind, ACTOR_KINDS);
    const kinds = codesOf<TieKind>(row.partner_tie_kinds, TIE_KINDS);
    if (!partnerName || !partnerKind || kinds.length === 0) continue;
    let partner = resolver.find(partnerName);
    if (!partner) {
      partner = await createFromResponse(resolver, response.id, { name: partnerName.slice(0, 200), kind: partnerKind, fieldsOfAction: [], districts: [], isPublic: false });
      created.push(partner.id);
    }
    // The organisation naming itself (in another spelling) is no tie.
    if (partner.id === organisation.id) continue;
    const frequency = codeOf<TieFrequency>(row.partner_frequency, TIE_FREQUENCIES);
    for (const kind of kinds) {
      // Two rows that are one actor give one tie per kind (the once-per-response index).
      const key = `${partner.id}|${kind}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const id = randomUUID();
      await repo.insertTie(trx, {
        id,
        fromActorId: organisation.id,
        toActorId: partner.id,
        kind,
        frequency,
        source: 'inventory',
        responseId: response.id,
        workshopWave: null,
        observedOn,
      });
      await recordAudit(trx, { actorId: null, action: 'actor_tie.create', target: id, details: { source: 'inventory', kind, fromResponse: response.id } });
      tieIds.push(id);
    }
  }
  return { organisationId: organisation.id, createdActorIds: created, tieIds };
}

/** District answers are validated against the town's districts before this runs; any string code is kept. */
function districtCodes(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}
