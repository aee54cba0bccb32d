/**
 * The shapes the staff pages receive from the API: with the other modules of this folder (locales,
 * option lists, margin codes, roles, password rules, survey-core set-up), which both sides import,
 * the one door through which the front end reaches the API's code. Types only, so that no server
 * code lands in a front-end bundle. `tests/shared-modules.test.ts` keeps the front end to this folder.
 */
export type { AdminSurvey, AuditPage, DeletionWarning, StaffAccount } from './admin.ts';
export type { ChartDefinition, FreeTextPage, ReturnsReport } from './analysis.ts';
export type { AdminDistrict, DistrictInput, ImportedDistrict } from './districts.ts';
export type { OfferInventory } from './offers.ts';
export type { PublicTown, TownSettings } from './town.ts';
export type { PublishedVersion, TranslationStatusReport, UploadCheck, VersionDiff } from './surveys-admin.ts';
export type { CandidateSection, MeasureRow, SnapshotContent } from './results.ts';
export type { EventReport, ListedEvent, PublicEventReport } from './events.ts';
export type { NetworkAnalysis, NetworkComparison, NetworkEdge, NetworkNode } from './network-analysis.ts';

/** One form field's problem, for a message next to the field: `field` is the dotted path. Every form's 422 answer carries these. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}
