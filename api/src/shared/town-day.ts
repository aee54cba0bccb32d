/**
 * The calendar day in the town, as YYYY-MM-DD. Towns are German, so days are counted in German
 * time, on the server and on the interviewers' tablets alike: a tablet whose clock runs in UTC (or
 * in the interviewer's holiday time zone) would otherwise date a conversation held just after
 * midnight to the day before, which can precede the version it answered (refused as out of range).
 */
export const TOWN_TIME_ZONE = 'Europe/Berlin';

const townDay = new Intl.DateTimeFormat('en-CA', { timeZone: TOWN_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

export function dayInTown(moment: Date = new Date()): string {
  return townDay.format(moment);
}
