import type { Migration } from 'kysely';
import * as initialSchema from './2026-11-26T1400_initial_schema.ts';
import * as targetGroupsAndSettings from './2026-11-26T1537_target_groups_and_settings.ts';
import * as responseDrafts from './2026-11-26T1545_response_drafts.ts';
import * as interviewRecords from './2026-11-26T1550_interview_records.ts';
import * as targetGroupRevision from './2026-11-26T1700_target_group_revision.ts';
import * as draftResponseId from './2026-11-27T0400_draft_response_id.ts';
import * as districtMargins from './2026-12-02T1200_district_margins.ts';
import * as passwordSetupLinks from './2026-12-02T1300_password_setup_links.ts';
import * as surveySchedule from './2026-12-02T1310_survey_schedule.ts';
import * as responseRecordKey from './2026-12-02T1600_response_record_key.ts';
import * as coordinatorRole from './2026-12-02T1700_coordinator_role.ts';
import * as contactIntake from './2026-12-02T1710_contact_intake.ts';
import * as mailOutbox from './2026-12-02T1720_mail_outbox.ts';
import * as eventNotices from './2026-12-02T2150_event_notices.ts';
import * as actorNetwork from './2026-12-02T1820_actor_network.ts';
import * as sharedProcessState from './2026-12-02T1830_shared_process_state.ts';
import * as events from './2026-12-02T1850_events.ts';
import * as sessionIdleTimeout from './2026-12-02T2100_session_idle_timeout.ts';
import * as privacyReview from './2026-12-02T2110_privacy_review.ts';
import * as townLogo from './2026-12-02T2130_town_logo.ts';
import * as resultSnapshots from './2026-12-02T2140_result_snapshots.ts';
import * as translationReview from './2026-12-03T0610_translation_review.ts';
import * as eventDay from './2026-12-03T0700_event_day.ts';
import * as surveyDeletionDate from './2026-12-03T0740_survey_deletion_date.ts';
import * as workshopWaves from './2026-12-03T1110_workshop_waves.ts';
import * as withdrawTokenEventSequence from './2026-12-03T1120_withdraw_token_event_sequence.ts';

/**
 * Every migration, in order. Listed here rather than read from the folder so that the same list
 * works under tsx, vitest and in the Docker image. Add new files at the end; never edit an applied one.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-26T1400_initial_schema': initialSchema,
  '2026-11-26T1537_target_groups_and_settings': targetGroupsAndSettings,
  '2026-11-26T1545_response_drafts': responseDrafts,
  '2026-11-26T1550_interview_records': interviewRecords,
  '2026-11-26T1700_target_group_revision': targetGroupRevision,
  '2026-11-27T0400_draft_response_id': draftResponseId,
  '2026-12-02T1200_district_margins': districtMargins,
  '2026-12-02T1300_password_setup_links': passwordSetupLinks,
  '2026-12-02T1310_survey_schedule': surveySchedule,
  '2026-12-02T1600_response_record_key': responseRecordKey,
  '2026-12-02T1700_coordinator_role': coordinatorRole,
  '2026-12-02T1710_contact_intake': contactIntake,
  '2026-12-02T1720_mail_outbox': mailOutbox,
  '2026-12-02T1820_actor_network': actorNetwork,
  '2026-12-02T1830_shared_process_state': sharedProcessState,
  '2026-12-02T1850_events': events,
  '2026-12-02T2100_session_idle_timeout': sessionIdleTimeout,
  '2026-12-02T2110_privacy_review': privacyReview,
  '2026-12-02T2130_town_logo': townLogo,
  '2026-12-02T2140_result_snapshots': resultSnapshots,
  '2026-12-02T2150_event_notices': eventNotices,
  '2026-12-03T0610_translation_review': translationReview,
  '2026-12-03T0700_event_day': eventDay,
  '2026-12-03T0740_survey_deletion_date': surveyDeletionDate,
  '2026-12-03T1110_workshop_waves': workshopWaves,
  '2026-12-03T1120_withdraw_token_event_sequence': withdrawTokenEventSequence,
};
