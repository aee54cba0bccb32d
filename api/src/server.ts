import { serve } from '@hono/node-server';
import { ConfigError, readConfig } from './config.ts';
import { openPlatform } from './platform.ts';

const log = (line: string) => console.log(`[vielstimmig] ${line}`);

let config;
try {
  config = readConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

const platform = await openPlatform(config, { log }).catch((error: Error) => {
  console.error(`start-up failed: ${error.message}`);
  process.exit(1);
});

const server = serve({ fetch: platform.app.fetch, port: config.port, hostname: '0.0.0.0' }, (info) => {
  log(`listening on http://localhost:${info.port} (database: ${platform.database.kind})`);
});

// Graceful shutdown: stop accepting, let requests in flight finish, then close the database.
let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: shutting down`);
  const forceExit = setTimeout(() => {
    log('requests still running after 10 s; exiting');
    process.exit(1);
  }, 10_000);
  forceExit.unref();
  server.close(async () => {
    await platform.close();
    log('stopped');
    process.exit(0);
  });
  // Idle keep-alive connections would otherwise hold close() open until they time out.
  (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
