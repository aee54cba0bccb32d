import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../db/connect.ts';
import { createScratchDatabaseUrl } from '../../../tests/support/test-database.ts';
import { REPO_ROOT } from '../../../tests/support/test-platform.ts';
import { verifyPassword } from './passwords.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('npm run user:create', () => {
  let dataDir: string;
  let scratch: Awaited<ReturnType<typeof createScratchDatabaseUrl>>;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-cli-'));
    scratch = await createScratchDatabaseUrl();
  });
  afterAll(async () => {
    await scratch?.drop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  function run(args: string[], stdin = ''): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/auth/user-create-cli.ts', ...args], {
        cwd: REPO_ROOT,
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: scratch?.url ?? '' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });
  }

  async function withDatabase<T>(work: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
    const handle = await connectDatabase({ databaseUrl: scratch?.url ?? null, pgliteDir: path.join(dataDir, 'pglite') });
    try {
      return await work(handle);
    } finally {
      await handle.close();
    }
  }

  it('creates an account with the password from standard input, hashed with argon2id', async () => {
    const result = await run(['--role', 'interviewer', '--email', 'field.one@example.org'], 'correct horse battery\n');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/created interviewer account field\.one@example\.org/);
    await withDatabase(async ({ db }) => {
      const user = await db.selectFrom('app_user').selectAll().where('email', '=', 'field.one@example.org').executeTakeFirstOrThrow();
      expect(user.role).toBe('interviewer');
      expect(user.password_hash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(user.password_hash, 'correct horse battery')).toBe(true);
      const audit = await db.selectFrom('audit_log').select(['action', 'target']).execute();
      expect(audit).toContainEqual({ action: 'user.create', target: user.id });
    });
  });

  it('refuses an existing email (any case) with a clear message and a non-zero exit', async () => {
    const result = await run(['--role', 'analyst', '--email', 'Field.One@example.org', '--password', 'another-long-password']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/exists already/);
  });

  it('refuses a bad role, a bad email and a short password, naming each', async () => {
    const result = await run(['--role', 'superuser', '--email', 'not-an-email', '--password', 'short']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/role must be one of admin, analyst, interviewer, coordinator/);
    expect(result.stderr).toMatch(/not a valid email address/);
    expect(result.stderr).toMatch(/at least 12 characters/);
  });

  it('explains its usage when arguments are missing or unknown', async () => {
    const missing = await run(['--email', 'x@example.org']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/--role and --email are required/);
    const unknown = await run(['--role', 'admin', '--email', 'x@example.org', '--admin']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/usage: npm run user:create/);
  });
});
