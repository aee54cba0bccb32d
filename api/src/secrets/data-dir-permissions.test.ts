import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restrictDataDir } from './data-dir-permissions.ts';

describe('restrictDataDir', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-perm-'));
  });
  afterAll(() => fs.rm(scratch, { recursive: true, force: true }));

  it('closes a DATA_DIR that other accounts can read (as a umask of 022 leaves it), and says so', async () => {
    const dir = path.join(scratch, 'open');
    await fs.mkdir(dir);
    await fs.chmod(dir, 0o755);
    const lines: string[] = [];
    await restrictDataDir(dir, (line) => lines.push(line));
    expect((await fs.stat(dir)).mode & 0o777).toBe(0o700);
    expect(lines).toEqual([expect.stringMatching(/mode 755\); now 700/)]);
  });

  it('never touches a shared folder such as /tmp (sticky, world-writable), only warns', async () => {
    const dir = path.join(scratch, 'shared');
    await fs.mkdir(dir);
    await fs.chmod(dir, 0o1777);
    const lines: string[] = [];
    await restrictDataDir(dir, (line) => lines.push(line));
    expect((await fs.stat(dir)).mode & 0o7777).toBe(0o1777);
    expect(lines).toEqual([expect.stringMatching(/^warning: DATA_DIR .* is shared/)]);
  });

  it('creates a missing DATA_DIR as 0700 and leaves a closed one alone, silently', async () => {
    const dir = path.join(scratch, 'new', 'data');
    const lines: string[] = [];
    await restrictDataDir(dir, (line) => lines.push(line));
    await restrictDataDir(dir, (line) => lines.push(line));
    expect((await fs.stat(dir)).mode & 0o777).toBe(0o700);
    expect(lines).toEqual([]);
  });
});
