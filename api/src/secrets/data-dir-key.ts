import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * A 32-byte key kept in `DATA_DIR/secrets/<name>.key`, created on first start. Keys stay out of the
 * database on purpose: a database dump then holds only keyed hashes that nobody can recompute
 * without the file. Several app processes share DATA_DIR (a volume) and so the keys; the first to
 * start writes the file, the others read it.
 */
export async function loadDataDirKey(dataDir: string, name: string): Promise<Buffer> {
  const file = path.join(dataDir, 'secrets', `${name}.key`);
  try {
    return await readKey(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // 'wx': if another process created the file meanwhile, keep theirs.
    await fs.writeFile(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // Another process may have created the file a moment ago and not yet written it.
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await readKey(file);
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function readKey(file: string): Promise<Buffer> {
  const key = Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'hex');
  if (key.length < 32) throw new Error(`${file} does not hold a 32-byte hex key`);
  return key;
}
