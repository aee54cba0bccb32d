import type { Kysely } from 'kysely';
import { AccountError, createAccount } from '../auth/index.ts';
import type { Database } from '../db/schema.ts';
import { seedNetwork } from '../network/index.ts';
import { countDistricts, insertDistricts, replacePopulationMargins } from '../districts/index.ts';
import { demoTargetGroups, seedDemoTargetGroups } from '../target-groups/index.ts';
import { demoAccounts } from './demo-accounts.ts';
import { readTownSettings, writeTownSettings } from '../town/index.ts';
import { demoDistricts, demoPopulationMargins, demoTownSettings } from './demo-town.ts';
import { demoNetworkActors, demoNetworkTies } from './demo-network.ts';

/**
 * Seeds the demo town into an empty database. A town's real districts, once set, are never touched:
 * the seed only runs when there are none.
 */
export async function seedDemoTown(
  db: Kysely<Database>,
  log: (line: string) => void = () => {},
  options: { network?: boolean } = {},
): Promise<boolean> {
  // On its own check: a demo database from before town settings existed gets them too.
  if (!(await readTownSettings(db))) {
    await writeTownSettings(db, demoTownSettings);
    log(`demo town settings: ${demoTownSettings.name.default}`);
  }
  if ((await countDistricts(db)) > 0) return false;
  // Accounts before districts: the districts mark the seed as done, so an interrupted seed reruns.
  for (const account of demoAccounts) {
    try {
      await createAccount(db, account);
    } catch (error) {
      if (!(error instanceof AccountError && error.code === 'email_taken')) throw error;
    }
  }
  log(`demo accounts: ${demoAccounts.map((account) => account.email).join(', ')} (passwords in README.md)`);
  // Rules before districts: the districts mark the seed as done, so an interrupted seed reruns.
  const rules = await seedDemoTargetGroups(db, demoTargetGroups);
  log(`demo target groups: ${rules} rules`);
  await db.transaction().execute(async (trx) => {
    await insertDistricts(trx, demoDistricts);
    for (const { district, margins } of demoPopulationMargins()) await replacePopulationMargins(trx, district, margins);
  });
  log(`demo town seeded: ${demoDistricts.length} districts (population figures are illustrative)`);
  // After the districts (the actors name them); skipped when the registry already has actors.
  if (options.network !== false && (await seedNetwork(db, demoNetworkActors, demoNetworkTies))) {
    log(`demo network: ${demoNetworkActors.length} actors, ${demoNetworkTies.length} ties (invented)`);
  }
  return true;
}
