import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.ts';

describe('readConfig', () => {
  it('uses the embedded database, port 3000 and ./data when nothing is set', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ port: 3000, databaseUrl: null, dataDir: path.resolve('data'), seedDemo: true });
  });

  it('reads PORT, DATABASE_URL and DATA_DIR', () => {
    const config = readConfig({ PORT: '8080', DATABASE_URL: 'postgres://app@db:5432/vielstimmig', DATA_DIR: '/srv/data' });
    expect(config).toMatchObject({ port: 8080, databaseUrl: 'postgres://app@db:5432/vielstimmig', dataDir: '/srv/data' });
  });

  it('treats an empty DATABASE_URL as unset', () => {
    expect(readConfig({ DATABASE_URL: '' }).databaseUrl).toBeNull();
  });

  it('names every bad value at once', () => {
    try {
      readConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://localhost/x', SEED_DEMO: 'yes' });
      expect.unreachable('readConfig accepted bad values');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { problems } = error as ConfigError;
      expect(problems).toHaveLength(3);
      expect(problems.join('\n')).toMatch(/PORT must be a number/);
      expect(problems.join('\n')).toMatch(/DATABASE_URL must be a PostgreSQL URL/);
      expect(problems.join('\n')).toMatch(/SEED_DEMO must be true or false/);
    }
  });

  it('reads the reminder lead time, 24 hours unless set, 0 for none', () => {
    expect(readConfig({}).eventReminderHours).toBe(24);
    expect(readConfig({ EVENT_REMINDER_HOURS: '0' }).eventReminderHours).toBe(0);
    expect(readConfig({ EVENT_REMINDER_HOURS: '48' }).eventReminderHours).toBe(48);
    expect(() => readConfig({ EVENT_REMINDER_HOURS: 'tomorrow' })).toThrow(/EVENT_REMINDER_HOURS must be a number/);
    expect(() => readConfig({ EVENT_REMINDER_HOURS: '400' })).toThrow(/between 0 and 336/);
  });

  it('refuses a port out of range', () => {
    expect(() => readConfig({ PORT: '70000' })).toThrow(/between 1 and 65535/);
  });

  it('listens on 127.0.0.1 unless HOST says otherwise, with bounded timeouts and connections by default', () => {
    expect(readConfig({})).toMatchObject({
      host: '127.0.0.1',
      http: { requestTimeoutMs: 120_000, headersTimeoutMs: 15_000, maxConnections: 1000 },
      sessionIdleMinutes: 120,
    });
    expect(readConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(readConfig({ HOST: '::' }).host).toBe('::');
  });

  it('reads the slow-client limits and the session idle timeout', () => {
    const config = readConfig({ REQUEST_TIMEOUT_SECONDS: '30', HEADERS_TIMEOUT_SECONDS: '5', MAX_CONNECTIONS: '200', SESSION_IDLE_MINUTES: '30' });
    expect(config.http).toEqual({ requestTimeoutMs: 30_000, headersTimeoutMs: 5_000, maxConnections: 200 });
    expect(config.sessionIdleMinutes).toBe(30);
  });

  it('refuses bad slow-client limits, a header timeout beyond the request timeout and a bad HOST', () => {
    const problems = (env: Record<string, string>) => {
      try {
        readConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ REQUEST_TIMEOUT_SECONDS: '0' })).toEqual(['REQUEST_TIMEOUT_SECONDS must be between 1 and 3600']);
    expect(problems({ MAX_CONNECTIONS: 'many' })).toEqual(['MAX_CONNECTIONS must be a number']);
    expect(problems({ SESSION_IDLE_MINUTES: '1000' })).toEqual(['SESSION_IDLE_MINUTES must be between 1 and 720']);
    expect(problems({ REQUEST_TIMEOUT_SECONDS: '10', HEADERS_TIMEOUT_SECONDS: '20' })).toEqual([
      'HEADERS_TIMEOUT_SECONDS must not be longer than REQUEST_TIMEOUT_SECONDS',
    ]);
    expect(problems({ HOST: 'http://example.org' })).toHaveLength(1);
  });
});
