/**
 * CPU time used so far by the PostgreSQL server's processes on this machine (Linux `/proc`, every
 * process whose command line names postgres), in milliseconds; null where that cannot be read
 * (another system, or PGlite, which runs inside the app's own process). Processes that ended in
 * between are not counted, so read it around a run, not across restarts: backends of the app's
 * pool live as long as the pool.
 */
import fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function postgresCpuMs(): number | null {
  if (process.platform !== 'linux') return null;
  let ticks = 0;
  let found = false;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres')) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name: state is field 3, utime and stime are fields 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      found = true;
    } catch {
      // The process ended while being read.
    }
  }
  return found ? (ticks * 1000) / TICKS_PER_SECOND : null;
}
