import path from 'node:path';
import { z } from 'zod';

/** Everything the process reads from its environment, validated once at start. */
export interface Config {
  port: number;
  /** PostgreSQL connection string; null means the embedded database (PGlite) in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  surveysDir: string;
  /** Seed the demo town (districts, demo accounts) when the database has no districts yet. */
  seedDemo: boolean;
  /**
   * The app runs behind a reverse proxy that sets X-Forwarded-For: the login rate limit then counts
   * per client address from that header instead of per proxy. Unset means false.
   */
  trustProxy?: boolean;
  /**
   * Requests per minute one client address may make to each public write route (responses, drafts,
   * contacts). A community centre's residents may share one address, hence generous. Unset: 120.
   */
  publicWriteLimitPerMinute?: number;
  /** SMTP server for the mail queue (`smtp://user:pass@host:587`, `smtps://…`); null: mail waits in the queue. */
  smtpUrl?: string | null;
  /** Sender of every message, e.g. `Stadt Musterstadt <beteiligung@musterstadt.de>`. */
  mailFrom?: string | null;
  /** The address residents open links at (confirmation, withdrawal); default http://localhost:<port>. */
  publicUrl?: string | null;
  /** Hours before an event that registrants get the reminder; 0 turns reminders off. Unset: 24. */
  eventReminderHours?: number;
}

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const environmentSchema = z.object({
  PORT: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ invalid_type_error: 'PORT must be a number' })
      .int('PORT must be a whole number')
      .min(1, 'PORT must be between 1 and 65535')
      .max(65535, 'PORT must be between 1 and 65535')
      .default(3000),
  ),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine(isPostgresUrl, 'DATABASE_URL must be a PostgreSQL URL such as postgres://user@host:5432/dbname')
      .optional(),
  ),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
  SURVEYS_DIR: z.preprocess(emptyAsUndefined, z.string().default('./surveys')),
  SEED_DEMO: z.preprocess(
    emptyAsUndefined,
    z.enum(['true', 'false'], { errorMap: () => ({ message: 'SEED_DEMO must be true or false' }) }).default('true'),
  ),
  TRUST_PROXY: z.preprocess(
    emptyAsUndefined,
    z.enum(['true', 'false'], { errorMap: () => ({ message: 'TRUST_PROXY must be true or false' }) }).default('false'),
  ),
  PUBLIC_WRITE_LIMIT_PER_MINUTE: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ invalid_type_error: 'PUBLIC_WRITE_LIMIT_PER_MINUTE must be a number' })
      .int('PUBLIC_WRITE_LIMIT_PER_MINUTE must be a whole number')
      .min(1, 'PUBLIC_WRITE_LIMIT_PER_MINUTE must be at least 1')
      .default(120),
  ),
  SMTP_URL: z.preprocess(
    emptyAsUndefined,
    z.string().refine((value) => /^smtps?:\/\/[^/]/.test(value), 'SMTP_URL must be an smtp:// or smtps:// URL').optional(),
  ),
  EVENT_REMINDER_HOURS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ invalid_type_error: 'EVENT_REMINDER_HOURS must be a number' })
      .int('EVENT_REMINDER_HOURS must be a whole number')
      .min(0, 'EVENT_REMINDER_HOURS must be between 0 and 336')
      .max(336, 'EVENT_REMINDER_HOURS must be between 0 and 336')
      .default(24),
  ),
  MAIL_FROM: z.preprocess(emptyAsUndefined, z.string().max(320).optional()),
  PUBLIC_URL: z.preprocess(
    emptyAsUndefined,
    z.string().refine((value) => /^https?:\/\/[^/]/.test(value), 'PUBLIC_URL must be an http:// or https:// URL').optional(),
  ),
});

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.pathname.length > 1;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; throws a ConfigError listing every bad value. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  }
  const value = parsed.data;
  return {
    port: value.PORT,
    databaseUrl: value.DATABASE_URL ?? null,
    dataDir: path.resolve(value.DATA_DIR),
    surveysDir: path.resolve(value.SURVEYS_DIR),
    seedDemo: value.SEED_DEMO === 'true',
    trustProxy: value.TRUST_PROXY === 'true',
    publicWriteLimitPerMinute: value.PUBLIC_WRITE_LIMIT_PER_MINUTE,
    smtpUrl: value.SMTP_URL ?? null,
    mailFrom: value.MAIL_FROM ?? null,
    publicUrl: value.PUBLIC_URL ?? null,
    eventReminderHours: value.EVENT_REMINDER_HOURS,
  };
}
