import type { Kysely } from 'kysely';
import { databaseIdentity, type DatabaseIdentity } from '../db/identity.ts';
import type { Database } from '../db/schema.ts';
import { readRuleSet, type RuleSet } from './repository.ts';

/**
 * The target-group rules, kept in memory per database: every stored response needs them, and
 * reading them each time was a second database round trip per submission. Staleness is harmless
 * by construction rather than by timing: the rules come with the revision counter they were read
 * at, the insert of a response holds only while the counter still has that value, and a refused
 * insert makes the caller forget the rules and try again (responses/service.ts). So another
 * process (or a person with psql) may change the rules at any time.
 */
const ruleSets = new WeakMap<DatabaseIdentity, Promise<RuleSet>>();

export function currentRules(db: Kysely<Database>): Promise<RuleSet> {
  const identity = databaseIdentity(db);
  const cached = ruleSets.get(identity);
  if (cached) return cached;
  // The promise is kept, so that fifty submissions arriving together make one read, not fifty.
  const reading = readRuleSet(db);
  ruleSets.set(identity, reading);
  // A failed read (database away) must not stay cached as a failure.
  reading.catch(() => {
    if (ruleSets.get(identity) === reading) ruleSets.delete(identity);
  });
  return reading;
}

/** After a change to the rules (or a refused insert): the next caller reads them again. */
export function forgetRules(db: Kysely<Database>): void {
  ruleSets.delete(databaseIdentity(db));
}
