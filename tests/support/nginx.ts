import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './app-process.ts';

/** Debian's nginx; tests/setup/system-packages.mjs installs it (listed in .ci/system-packages). */
export const NGINX_BINARY = '/usr/sbin/nginx';

export interface Nginx {
  baseUrl: string;
  /** Stops nginx (SIGQUIT: graceful) and removes its temporary prefix. */
  stop(): Promise<void>;
}

/**
 * Debian's nginx as a round-robin load balancer in front of `upstreams`, not a daemon, with a
 * temporary prefix (config, pid, logs, body buffers) and a free loopback port. Every answer carries
 * `X-Upstream`, the app process that gave it, so a test can show which process served what.
 */
export async function startNginx(upstreams: string[], timeoutMs = 10_000): Promise<Nginx> {
  if (!fs.existsSync(NGINX_BINARY)) throw new Error(`${NGINX_BINARY} is missing: install Debian's nginx (npm test does, as root)`);
  const prefix = await fsp.mkdtemp(path.join(os.tmpdir(), 'vielstimmig-nginx-'));
  const port = await freePort();
  const root = process.getuid?.() === 0;
  const config = `
# Written by tests/support/nginx.ts for one test run.
${root ? 'user root;' : ''}
daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 128; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  upstream vielstimmig { ${upstreams.map((address) => `server ${address};`).join(' ')} }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 16m;
    location / {
      proxy_pass http://vielstimmig;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
  await fsp.writeFile(path.join(prefix, 'nginx.conf'), config);
  const output: string[] = [];
  const child: ChildProcess = spawn(NGINX_BINARY, ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-e', path.join(prefix, 'error.log')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGQUIT');
      const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(forced);
    }
    await fsp.rm(prefix, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      const log = await fsp.readFile(path.join(prefix, 'error.log'), 'utf8').catch(() => '');
      await stop();
      throw new Error(`nginx exited with ${child.exitCode}:\n${output.join('')}${log}`);
    }
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return { baseUrl, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not answer within ${timeoutMs} ms:\n${output.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
