import fs from 'node:fs/promises';

/**
 * Makes DATA_DIR this account's alone (0700) before anything is written to it: it holds the keys,
 * the embedded database's files (every answer and photo on PGlite) and photos of earlier versions,
 * which PGlite and earlier versions wrote with the process umask (often world-readable 0644). A
 * closed folder covers them all, whatever their own modes. A shared folder (/tmp), another account's
 * or one the process cannot chmod is left as it is, with one line in the log.
 */
export async function restrictDataDir(dataDir: string, log: (line: string) => void): Promise<void> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const { mode, uid } = await fs.stat(dataDir);
  if ((mode & 0o077) === 0) return;
  // A shared folder (sticky or world-writable, such as /tmp) or another account's is not ours to close.
  const shared = (mode & 0o1000) !== 0 || (mode & 0o002) !== 0 || (process.getuid !== undefined && uid !== process.getuid());
  if (shared) {
    log(`warning: DATA_DIR ${dataDir} is shared with other accounts (mode ${(mode & 0o7777).toString(8)}); give the app a folder of its own`);
    return;
  }
  try {
    await fs.chmod(dataDir, mode & 0o700);
    log(`DATA_DIR was open to other accounts (mode ${(mode & 0o777).toString(8)}); now ${(mode & 0o700).toString(8)}`);
  } catch (error) {
    log(`warning: DATA_DIR is open to other accounts (mode ${(mode & 0o777).toString(8)}) and could not be restricted: ${(error as Error).message}`);
  }
}
