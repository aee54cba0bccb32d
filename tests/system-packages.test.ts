import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// `npm test` starts with .ci/install-system-packages: it must pass where the packages are present and
// stop with one line naming what to install where they are not — never let browser tests skip.
const script = join(import.meta.dirname, '..', '.ci', 'install-system-packages');
const run = promisify(execFile);

async function outcome(args: string[], env: NodeJS.ProcessEnv, command = '/bin/bash') {
  try {
    const { stderr } = await run(command, args, { env });
    return { code: 0, stderr };
  } catch (error) {
    const failure = error as { code: number; stderr: string };
    return { code: failure.code, stderr: failure.stderr };
  }
}

describe('system package check of the test command', () => {
  it('passes on this machine, where .ci/system-packages is installed', async () => {
    const result = await outcome([script], process.env);
    expect(result).toEqual({ code: 0, stderr: '' });
  });

  it('stops with one line naming the packages when it cannot check (PATH pointing nowhere)', async () => {
    const result = await outcome([script], { PATH: '/nonexistent' });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^System packages missing: .*chromium.*nginx/);
  });

  it('stops with one line naming the missing package for a user who is not root', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'vs-packages-'));
    chmodSync(directory, 0o755); // readable by the unprivileged user the check runs as
    const list = join(directory, 'system-packages');
    writeFileSync(list, '# a package no Debian has\nvielstimmig-no-such-package   nothing\n');
    chmodSync(list, 0o644);
    const asNobody = process.getuid?.() === 0;
    const result = asNobody
      ? await outcome(['--reuid=65534', '--regid=65534', '--clear-groups', '/bin/bash', script, list], { PATH: process.env.PATH }, 'setpriv')
      : await outcome([script, list], { PATH: process.env.PATH });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      'System packages missing: run  sudo apt-get install --no-install-recommends vielstimmig-no-such-package  (listed in .ci/system-packages), then npm test again.',
    ]);
  });
});
