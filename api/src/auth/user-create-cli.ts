import path from 'node:path';
import { parseArgs } from 'node:util';
import { recordAudit } from '../audit/index.ts';
import { ConfigError, readConfig } from '../config.ts';
import { connectDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { AccountError, createAccount, newAccountSchema } from './accounts.ts';

/*
 * `npm run user:create -- --role <admin|analyst|interviewer|coordinator> --email <email> [--password <password>]`
 * Without --password the password is read from standard input (first line; typed without echo on a
 * terminal), which keeps it out of the shell history and the process list. Exits non-zero on failure.
 */

const USAGE = 'usage: npm run user:create -- --role <admin|analyst|interviewer|coordinator> --email <email> [--password <password>]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { role: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.role || !values.email) {
    console.error(`--role and --email are required\n${USAGE}`);
    return 2;
  }
  const password = values.password ?? (await readPassword());
  const account = { role: values.role, email: values.email, password, displayName: values.name ?? null };
  // Bad input is reported before the database is opened, so mistakes fail fast.
  const checked = newAccountSchema.safeParse(account);
  if (!checked.success) {
    for (const issue of checked.error.issues) console.error(`${issue.path.join('.')}: ${issue.message}`);
    return 2;
  }

  const config = readConfig();
  const handle = await connectDatabase({ databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, 'pglite') });
  try {
    await migrateToLatest(handle.db);
    const user = await createAccount(handle.db, checked.data);
    await recordAudit(handle.db, { actorId: null, action: 'user.create', target: user.id, details: { role: user.role, via: 'cli' } });
    console.log(`created ${user.role} account ${user.email} (id ${user.id})`);
    return 0;
  } finally {
    await handle.close();
  }
}

/** The first line of standard input; on a terminal, typed without echo. */
async function readPassword(): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) {
      text += String(chunk);
      if (text.includes('\n')) break;
    }
    return text.split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write('Password: ');
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let password = '';
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(password);
          return;
        }
        if (char === '\u0003') {
          stdin.setRawMode(false);
          reject(new Error('cancelled'));
          return;
        }
        password = char === '\u007f' || char === '\b' ? password.slice(0, -1) : password + char;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof ConfigError) console.error(error.message);
  else if (error instanceof AccountError) console.error(error.message);
  else console.error(`could not create the account: ${(error as Error).message}`);
  process.exitCode = 1;
}
