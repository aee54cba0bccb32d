/**
 * The shapes of events and their closing reports as the public pages and the staff's event pages
 * receive them. Declared here because the server builds them (`events/`) and the front end reads
 * them. Types, and the lists of formats and states.
 */
import type { AttendeeGroup } from './attendee-groups.ts';
import type { LocalisedText } from './locales.ts';

/** The formats and states an event can have, in the order the staff's selects list them. */
export const EVENT_FORMATS = ['zukunftswerkstatt', 'beteiligungscafe', 'stadtgespraech', 'workshop', 'other'] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];

export const EVENT_STATUSES = ['draft', 'published', 'cancelled', 'closed'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/**
 * What the public pages say about seats: a coarse word, never the number left. An exact small
 * number ("1 seat left") tells everyone who watches the page when someone registered; "few places"
 * does not, and it is all a resident needs to decide whether to hurry.
 */
export type SeatAvailability = 'available' | 'few' | 'full' | 'closed';

/** An event as staff and residents see it (no registrations, no contacts). */
export interface PublicEvent {
  id: string;
  slug: string;
  format: EventFormat;
  title: LocalisedText;
  description: LocalisedText;
  placeName: string;
  placeAddress: string | null;
  stepFree: boolean;
  hearingLoop: boolean;
  accessibleToilet: boolean;
  accessibilityNotes: LocalisedText;
  startsAt: string;
  endsAt: string;
  capacity: number | null;
  registrationDeadline: string | null;
  languages: string[];
  interpretation: string[];
  status: EventStatus;
}

/** A public event: no count of people, only how it stands with seats (see events/availability.ts). */
export type ListedEvent = Omit<PublicEvent, 'capacity'> & { availability: SeatAvailability; reportPublished: boolean };

// ---------------------------------------------------------------- closing report

export interface Attendance {
  /** Everyone checked in: ticked registrations and walk-ins. */
  total: number;
  registered: number;
  walkIns: number;
  /** Per self-described group; people who named none are in `total` only. */
  byGroup: Partial<Record<AttendeeGroup, number>>;
}

export interface ReportPhoto {
  id: string;
  width: number;
  height: number;
}

export interface ReportCard {
  id: string;
  statement: LocalisedText;
  fieldOfAction: string | null;
  origin: string | null;
  dots: number;
}

export interface ReportNote {
  id: string;
  room: string;
  note: string;
}

export interface ReportMaterial {
  attendance: Attendance;
  photos: ReportPhoto[];
  /** Most dots first; equal dots in the order they were written. */
  cards: ReportCard[];
  /** Staff only: hosts' notes may name people; the public page never shows them. */
  notes?: ReportNote[];
}

/** What the public closing report says about how many came; null: from 1 to k−1 (see events/public-attendance.ts). */
export interface PublicAttendance {
  /** Null: from 1 to k−1. */
  attendeesCount: number | null;
  /** Per self-described group; null: from 1 to k−1. Empty when the breakdown would give a small group away. */
  byGroup: Partial<Record<AttendeeGroup, number | null>>;
}

export interface ReportInput {
  /** Null: the check-in's count (everyone ticked or added at the door). */
  attendeesCount: number | null;
  organisations: string[];
  results: LocalisedText;
  published: boolean;
}

export interface EventReport extends Omit<ReportInput, 'attendeesCount'>, ReportMaterial {
  eventId: string;
  /** The number entered, or the check-in's count when none was. */
  attendeesCount: number;
  attendeesFromCheckIn: boolean;
}

/**
 * The published closing report as the public gets it (`GET /api/events/public/:slug`): no hosts'
 * notes, no split into registered and walk-ins, and head counts from 1 to k−1 as null with the
 * town's k beside them (events/public-attendance.ts).
 */
export type PublicEventReport = Omit<EventReport, 'attendeesCount' | 'attendeesFromCheckIn' | 'attendance' | 'notes'> & {
  attendeesCount: number | null;
  attendance: { byGroup: PublicAttendance['byGroup'] };
  k: number;
};
