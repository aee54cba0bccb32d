import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { openTestDatabase } from '../../../tests/support/test-database.ts';
import { runExclusively, runOneAtATime } from './run-exclusively.ts';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await openTestDatabase();
  await migrateToLatest(database.db);
});
afterAll(() => database.close());

describe('runExclusively', () => {
  it('runs a job and hands back its result', async () => {
    expect(await runExclusively(database.db, 'answer', async () => 42)).toEqual({ ran: true, result: 42 });
  });

  it.runIf(Boolean(process.env.DATABASE_URL))(
    'lets only one of two concurrent callers run a job of one name (PostgreSQL: several connections)',
    async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const first = runExclusively(database.db, 'purge', async () => {
        started();
        await held;
        return 'first';
      });
      await running;
      const second = await runExclusively(database.db, 'purge', async () => 'second');
      const other = await runExclusively(database.db, 'another-job', async () => 'other');
      release();
      expect(second).toEqual({ ran: false });
      expect(other).toEqual({ ran: true, result: 'other' });
      expect(await first).toEqual({ ran: true, result: 'first' });
      // The lock ends with its transaction: the job can run again.
      expect(await runExclusively(database.db, 'purge', async () => 'again')).toEqual({ ran: true, result: 'again' });
    },
  );

  it('runOneAtATime runs overlapping callers one after the other (start-up of processes started together)', async () => {
    const events: string[] = [];
    const step = (name: string) => async () => {
      events.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      events.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([
      runOneAtATime(database.db, database.kind, 'start-up-test', step('a')),
      runOneAtATime(database.db, database.kind, 'start-up-test', step('b')),
    ]);
    expect(results).toEqual(['a', 'b']);
    if (database.kind === 'postgres') {
      // Never both inside at once: each start is followed by its own end.
      expect(events[1]).toBe(`${events[0]!.split(' ')[0]} end`);
      expect(events[3]).toBe(`${events[2]!.split(' ')[0]} end`);
    }
  });
});
