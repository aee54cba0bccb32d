/**
 * How attendees describe themselves at the check-in of an event (Decidim's "attending
 * organisations", as counts): the coordinator taps one group per person, never a name. One list
 * for the API (validation, the report's figures) and the front end (the tablet's buttons, the
 * public report's labels). The seed's list of functions, folded to what a door-keeper can ask.
 */
export const ATTENDEE_GROUPS = [
  'residents',
  'associations',
  'migrant_organisations',
  'religious_communities',
  'welfare',
  'education',
  'business',
  'administration',
  'politics',
  'other',
] as const;

export type AttendeeGroup = (typeof ATTENDEE_GROUPS)[number];

export const isAttendeeGroup = (value: unknown): value is AttendeeGroup => typeof value === 'string' && (ATTENDEE_GROUPS as readonly string[]).includes(value);
