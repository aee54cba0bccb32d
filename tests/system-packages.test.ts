import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/test-platform.ts';

const script = path.join(REPO_ROOT, 'tests/setup/system-packages.mjs');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vielstimmig-packages-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function runWithList(lines: string[], env: Record<string, string> = {}) {
  const list = path.join(scratch, `list-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(list, lines.join('\n'));
  return spawnSync(process.execPath, [script], {
    encoding: 'utf8',
    env: { ...process.env, SYSTEM_PACKAGES_FILE: list, SYSTEM_PACKAGES_INSTALL: 'never', ...env },
  });
}

describe('the test set-up checks the system packages of .ci/system-packages', () => {
  it('stops with one line naming the missing package when a browser is not where the tests look', () => {
    const result = runWithList([
      '# comment',
      `nodejs   ${process.execPath}   the test runner`,
      'chromium /nonexistent/usr/bin/chromium browser tests',
    ]);
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('chromium (browser tests)');
    expect(lines[0]).toContain('apt-get install -y --no-install-recommends chromium');
    expect(lines[0]).not.toContain('nodejs');
  });

  it('finds a command on PATH, and misses it when PATH points nowhere', () => {
    const present = runWithList(['coreutils ls listing']);
    expect(present.status).toBe(0);
    const nowhere = runWithList(['coreutils ls listing'], { PATH: path.join(scratch, 'empty') });
    expect(nowhere.status).toBe(1);
    expect(nowhere.stderr).toContain('coreutils (listing)');
  });

  it('passes on this machine with the real list (the tests below need every package in it)', () => {
    const result = spawnSync(process.execPath, [script], {
      encoding: 'utf8',
      env: { ...process.env, SYSTEM_PACKAGES_INSTALL: 'never' },
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
