#!/usr/bin/env node
// Makes sure the system packages the tests need (listed in .ci/system-packages) are there, before any
// test runs: present → nothing to do; missing and we are root on Debian/Ubuntu → apt-get installs
// them; otherwise stop at once with ONE line naming what to install. Tests are never skipped for a
// missing package. Plain Node, no dependencies: .ci/run calls it before `npm ci`.
//
// Environment (for the test of this script): SYSTEM_PACKAGES_FILE (another list),
// SYSTEM_PACKAGES_INSTALL=never (report instead of installing, even as root).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const listFile = process.env.SYSTEM_PACKAGES_FILE ?? path.join(repoRoot, '.ci/system-packages');

/** `package  check  purpose…` lines; `#` starts a comment. */
function readList(file) {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((line) => {
      const [name, check, ...purpose] = line.split(/\s+/);
      if (!check) throw new Error(`${file}: "${line}" needs a package name and what shows it is installed`);
      return { name, check, purpose: purpose.join(' ') };
    });
}

function onPath(command) {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        fs.accessSync(path.join(dir, command), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

const isInstalled = ({ check }) => (check.startsWith('/') ? fs.existsSync(check) : onPath(check));

function canInstall() {
  if (process.env.SYSTEM_PACKAGES_INSTALL === 'never') return false;
  return process.getuid?.() === 0 && onPath('apt-get') && onPath('dpkg');
}

function aptGet(args) {
  const result = spawnSync('apt-get', args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

const packages = readList(listFile);
let missing = packages.filter((p) => !isInstalled(p));
if (missing.length > 0 && canInstall()) {
  const names = missing.map((p) => p.name);
  console.log(`installing system packages for the tests: ${names.join(' ')}`);
  if (aptGet(['update', '-qq'])) aptGet(['install', '-y', '-qq', '--no-install-recommends', ...names]);
  missing = missing.filter((p) => !isInstalled(p));
}
if (missing.length > 0) {
  const names = missing.map((p) => p.name).join(' ');
  const what = missing.map((p) => `${p.name} (${p.purpose || p.check})`).join(', ');
  console.error(`Missing system packages for the tests: ${what}. Install them (Debian/Ubuntu: sudo apt-get install -y --no-install-recommends ${names}) and run npm test again.`);
  process.exit(1);
}
