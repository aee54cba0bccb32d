import { ConfigError, DEFAULT_HTTP_SERVER_LIMITS, readConfig } from './config.ts';
import { listen } from './http/listen.ts';
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

const host = config.host ?? '127.0.0.1';
const { server, port } = await listen(platform.app.fetch, { port: config.port, host, limits: config.http ?? DEFAULT_HTTP_SERVER_LIMITS }).catch(
  (error: Error) => {
    console.error(`cannot listen on ${host}:${config.port}: ${error.message}`);
    process.exit(1);
  },
);
const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
log(`listening on http://${shown}:${port} (${host === '127.0.0.1' || host === '::1' ? 'this machine only; HOST=0.0.0.0 for the network' : `address ${host}`}, database: ${platform.database.kind})`);

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
