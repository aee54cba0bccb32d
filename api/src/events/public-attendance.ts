import { ATTENDEE_GROUPS, type AttendeeGroup } from '../shared/attendee-groups.ts';
import type { Attendance, PublicAttendance } from '../shared/events.ts';

/**
 * What the public closing report says about how many came. The town's k (settings, the same k as
 * the analysis' disclosure control, docs/analysis.md) holds here too: a count from 1 to k−1 is
 * never published, it is `null` ("fewer than k"; the report carries k to say so). Nobody is no
 * secret, 0 stays 0. Counts of k or more are exact: they are head counts at a door, not answers,
 * and no record key exists to blur them with (docs/activation.md, "Small numbers").
 */
const publicCount = (n: number, k: number): number | null => (n <= 0 ? 0 : n < k ? null : n);

/**
 * The groups are published only where the page cannot be worked back to a small group: the total
 * minus the exact groups is what the hidden groups and the people who named none add up to. Each
 * hidden group must stay anywhere in 1 … k−1 for a reader who knows that sum, which holds while the
 * sum leaves room for one hidden group at k−1 and all others at 1
 * (sum ≥ (k−1) + (hidden groups − 1)); otherwise the whole breakdown is left off. Also left off
 * when the total itself is below k (every group would be, and the total would be the sum).
 * The smaller of the entered and the check-in's total is used: either may be the one a reader has.
 */
export function publicAttendance(attendeesCount: number, attendance: Attendance, k: number): PublicAttendance {
  const shownTotal = publicCount(attendeesCount, k);
  const total = Math.min(attendeesCount, attendance.total);
  if (shownTotal === null || total < k) return { attendeesCount: shownTotal, byGroup: {} };
  const byGroup: Partial<Record<AttendeeGroup, number | null>> = {};
  let exact = 0;
  let hidden = 0;
  for (const group of ATTENDEE_GROUPS) {
    const n = attendance.byGroup[group] ?? 0;
    if (n <= 0) continue;
    byGroup[group] = publicCount(n, k);
    if (n >= k) exact += n;
    else hidden += 1;
  }
  if (hidden > 0 && total - exact < k - 1 + (hidden - 1)) return { attendeesCount: shownTotal, byGroup: {} };
  return { attendeesCount: shownTotal, byGroup };
}
