import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** Everything the process reads from its environment, validated once at start. */
export interface Config {
  port: number;
  /**
   * The address the server listens on. Unset: 127.0.0.1, so a local trial (with the demo's published
   * passwords) is not reachable from the network; the Docker image sets 0.0.0.0.
   */
  host?: string;
  /** Slow clients: limits of the HTTP server (server.ts); unset values take the defaults below. */
  http?: HttpServerLimits;
  /** A staff session unused this long ends, besides the 12-hour lifetime (SESSION_IDLE_MINUTES, default 120). */
  sessionIdleMinutes?: number;
  /** PostgreSQL connection string; null means the embedded database (PGlite) in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  surveysDir: string;
  /** Seed the demo town (districts, demo accounts) when the database has no districts yet. */
  seedDemo: boolean;
  /** With the demo town, its invented network of actors (unset: yes). Tests that count actors turn it off. */
  seedDemoNetwork?: boolean;
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

export interface HttpServerLimits {
  /** Time a client has to send a whole request, headers and body (REQUEST_TIMEOUT_SECONDS). */
  requestTimeoutMs: number;
  /** Time a client has to send the request headers (HEADERS_TIMEOUT_SECONDS). */
  headersTimeoutMs: number;
  /** Open connections at once; more are closed on arrival (MAX_CONNECTIONS). */
  maxConnections: number;
}

export const DEFAULT_HTTP_SERVER_LIMITS: HttpServerLimits = {
  // A photo upload (at most 15 MB) from a tablet on weak mobile data must still make it.
  requestTimeoutMs: 120_000,
  headersTimeoutMs: 15_000,
  maxConnections: 1000,
};

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
  HOST: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((value) => isIP(value) !== 0 || /^[A-Za-z0-9.-]{1,253}$/.test(value), 'HOST must be an IP address (0.0.0.0, 127.0.0.1, ::) or a host name')
      .default('127.0.0.1'),
  ),
  REQUEST_TIMEOUT_SECONDS: wholeNumber('REQUEST_TIMEOUT_SECONDS', 1, 3600, DEFAULT_HTTP_SERVER_LIMITS.requestTimeoutMs / 1000),
  HEADERS_TIMEOUT_SECONDS: wholeNumber('HEADERS_TIMEOUT_SECONDS', 1, 600, DEFAULT_HTTP_SERVER_LIMITS.headersTimeoutMs / 1000),
  MAX_CONNECTIONS: wholeNumber('MAX_CONNECTIONS', 1, 1_000_000, DEFAULT_HTTP_SERVER_LIMITS.maxConnections),
  SESSION_IDLE_MINUTES: wholeNumber('SESSION_IDLE_MINUTES', 1, 12 * 60, 120),
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

function wholeNumber(name: string, min: number, max: number, fallback: number) {
  return z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ invalid_type_error: `${name} must be a number` })
      .int(`${name} must be a whole number`)
      .min(min, `${name} must be between ${min} and ${max}`)
      .max(max, `${name} must be between ${min} and ${max}`)
      .default(fallback),
  );
}

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
  // The headers are part of the request: a header timeout beyond the request timeout would never apply.
  if (value.HEADERS_TIMEOUT_SECONDS > value.REQUEST_TIMEOUT_SECONDS) {
    throw new ConfigError(['HEADERS_TIMEOUT_SECONDS must not be longer than REQUEST_TIMEOUT_SECONDS']);
  }
  return {
    port: value.PORT,
    host: value.HOST,
    http: {
      requestTimeoutMs: value.REQUEST_TIMEOUT_SECONDS * 1000,
      headersTimeoutMs: value.HEADERS_TIMEOUT_SECONDS * 1000,
      maxConnections: value.MAX_CONNECTIONS,
    },
    sessionIdleMinutes: value.SESSION_IDLE_MINUTES,
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
