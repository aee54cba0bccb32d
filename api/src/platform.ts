import path from 'node:path';
import { createApp, type App } from './app.ts';
import type { Config } from './config.ts';
import { connectDatabase, type DatabaseHandle } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { deleteUnconfirmedContacts, moveHeldContacts, scheduleIntakeMover } from './contacts/index.ts';
import { seedDemoTown } from './demo/seed.ts';
import { seedDemoInventory } from './demo/demo-inventory.ts';
import { scheduleMail, type MailSchedule } from './mail/index.ts';
import { DEFAULT_REMINDER_HOURS, scheduleEventReminders } from './events/index.ts';
import { purgeExpiredDrafts } from './drafts/index.ts';
import { loadInterviewerRefKey } from './interviews/interviewer-ref.ts';
import { importLegacyMediaFiles, purgeUnlinkedPhotos } from './media/index.ts';
import { applyDeletionDates, scheduleDeletionDates } from './retention/index.ts';
import { registerInstruments, type CatalogueReport } from './surveys/catalogue.ts';
import { purgeExpiredLimits } from './http/rate-limit.ts';
import { runOneAtATime } from './jobs/run-exclusively.ts';
import { loadDataDirKey } from './secrets/data-dir-key.ts';
import { restrictDataDir } from './secrets/data-dir-permissions.ts';
import { townIsSetUp } from './town/index.ts';

export interface Platform {
  app: App;
  database: DatabaseHandle;
  catalogue: CatalogueReport;
  /** The mail queue's sender (idle without SMTP_URL). */
  mail: MailSchedule;
  close(): Promise<void>;
}

/**
 * Everything a start needs, in order: database, migrations, demo town (if asked and empty),
 * instruments from `surveys/`, then the app. Shared by `server.ts` and the tests, so both run the
 * same start-up.
 */
export async function openPlatform(
  config: Config,
  options: { log?: (line: string) => void; database?: DatabaseHandle } = {},
): Promise<Platform> {
  const log = options.log ?? (() => {});
  await restrictDataDir(config.dataDir, log);
  const database =
    options.database ??
    (await connectDatabase({ databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, 'pglite') }));
  try {
    // Several processes may start at the same moment (compose replicas, a rolling update): their
    // start-up steps run one process after the other, so none seeds or registers beside another.
    const catalogue = await runOneAtATime(database.db, database.kind, 'start-up', async () => {
      await migrateToLatest(database.db, log);
      // Opt-ins held when the last process stopped are moved now, whatever their number.
      await moveHeldContacts(database.db, { minBatch: 1 });
      await deleteUnconfirmedContacts(database.db);
      const expiredDrafts = await purgeExpiredDrafts(database.db);
      if (expiredDrafts > 0) log(`deleted ${expiredDrafts} expired draft(s)`);
      const media = { db: database.db, dataDir: config.dataDir };
      // Photos an earlier version kept in DATA_DIR/media move into the database first, then the purge.
      const legacy = await importLegacyMediaFiles(media);
      if (legacy.imported + legacy.removed > 0) log(`moved ${legacy.imported} photo(s) from DATA_DIR/media into the database, removed ${legacy.removed} file(s)`);
      const unlinkedPhotos = await purgeUnlinkedPhotos(media);
      if (unlinkedPhotos > 0) log(`deleted ${unlinkedPhotos} photo(s) no interview linked to`);
      // Rate-limit windows and login failures that ended while no process ran.
      await purgeExpiredLimits(database.db);
      if (config.seedDemo) await seedDemoTown(database.db, log, { network: config.seedDemoNetwork ?? true });
      // A survey is only open to the public once the town has said who protects the data and when
      // answers are deleted: the consent text would be false without them.
      const newSurveyStatus = (await townIsSetUp(database.db)) ? 'open' : 'closed';
      const registered = await registerInstruments(database.db, config.surveysDir, log, newSurveyStatus);
      // The demo organisations' inventory responses need the instrument: after it is registered.
      if (config.seedDemo && (config.seedDemoNetwork ?? true)) await seedDemoInventory(database.db, log);
      // Before the app serves anyone: answers past their deletion date are never shown again.
      await applyDeletionDates({ db: database.db, dataDir: config.dataDir, log });
      return registered;
    });
    const deletionSchedule = scheduleDeletionDates({ db: database.db, dataDir: config.dataDir, log });
    const interviewerRefKey = await loadInterviewerRefKey(config.dataDir);
    const addressKey = await loadDataDirKey(config.dataDir, 'client-address');
    const app = createApp({
      db: database.db,
      dbKind: database.kind,
      dataDir: config.dataDir,
      log,
      trustProxy: config.trustProxy ?? false,
      sessionIdleTimeoutMs: config.sessionIdleMinutes !== undefined ? config.sessionIdleMinutes * 60_000 : undefined,
      publicWriteLimitPerMinute: config.publicWriteLimitPerMinute,
      interviewerRefKey,
      addressKey,
      surveysDir: config.surveysDir,
      publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
      mailConfigured: Boolean(config.smtpUrl),
    });
    const intakeMover = scheduleIntakeMover(database.db, { log });
    const reminders = scheduleEventReminders(database.db, { leadHours: config.eventReminderHours ?? DEFAULT_REMINDER_HOURS, log });
    const mail = scheduleMail(database.db, {
      smtpUrl: config.smtpUrl ?? null,
      from: config.mailFrom ?? null,
      publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
      log,
    });
    return {
      app,
      database,
      catalogue,
      mail,
      close: async () => {
        deletionSchedule.stop();
        await intakeMover.stop();
        reminders.stop();
        await mail.stop();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
