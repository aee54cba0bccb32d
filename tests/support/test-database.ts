import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectDatabase, type DatabaseHandle } from '../../api/src/db/connect.ts';

/**
 * A fresh, empty database for one test file. With DATABASE_URL set (CI's PostgreSQL round) it is a
 * new database on that server, dropped on close; otherwise an in-memory PGlite. Never a mock.
 */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return connectDatabase({ databaseUrl: null, pgliteDir: null });

  const base = new URL(serverUrl);
  const name = `${base.pathname.slice(1).replace(/[^a-z0-9_]/gi, '_')}_t${randomBytes(5).toString('hex')}`.toLowerCase();
  await adminQuery(serverUrl, `create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await connectDatabase({ databaseUrl: url.toString(), pgliteDir: null, poolSize: 20 });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await adminQuery(serverUrl, `drop database if exists "${name}" with (force)`);
    },
  };
}

/** The URL of the per-file database behind a handle is not exposed; tests that spawn the app use this. */
export async function createScratchDatabaseUrl(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return null;
  const name = `${new URL(serverUrl).pathname.slice(1)}_s${randomBytes(5).toString('hex')}`.toLowerCase();
  await adminQuery(serverUrl, `create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(serverUrl, `drop database if exists "${name}" with (force)`) };
}

async function adminQuery(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
