/**
 * The shapes the staff pages receive from the API. Each is declared in this folder's module for its
 * feature (admin, analysis, districts, events, …), which the server's feature code imports too, so
 * that a shape changes here and not in a feature's internals. With the other modules of this folder
 * (locales, option lists, margin codes, roles, password rules, survey-core set-up), which both
 * sides import, the one door through which the front end reaches the API's code. Types only, so
 * that no server code lands in a front-end bundle. `tests/shared-modules.test.ts` keeps the front
 * end to this folder, and this folder to itself and npm packages.
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

/**
 * One form field's problem, for a message next to the field: `field` is the dotted path. Declared
 * here, not with a feature, because every form's 422 answer carries these (http/field-errors.ts).
 */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}
