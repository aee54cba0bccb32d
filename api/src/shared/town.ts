/**
 * The town's settings and what `GET /api/town` answers, declared here because the server validates
 * them (`town/settings-schema.ts`, whose schema must infer exactly these) and the pages read them.
 * Types only.
 */

/**
 * A name per locale key (`default` for German): the schema requires `default`, but the type zod
 * infers for it, and so this one, leaves every key optional.
 */
export type LocalisedName = Record<string, string | undefined>;

export interface TownSettings {
  name: LocalisedName;
  dataProtection: { name: string; email: string; phone?: string; address?: string };
  imprintUrl?: string;
  /** `YYYY-MM-DD`. */
  answersDeletedBy: string;
  /** `YYYY-MM-DD`. */
  contactsDeletedBy: string;
}

/** What `GET /api/town` answers: the settings once a town has saved them, and the threshold k. */
export type PublicTown =
  | ({ configured: true; suppressionK: number; logoUrl?: string } & TownSettings)
  | { configured: false; suppressionK: number; logoUrl?: string };
