import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readConfig } from '../api/src/config.ts';
import { SERVER_ENTRY } from './support/app-process.ts';
import { NGINX_BINARY } from './support/nginx.ts';
import { REPO_ROOT } from './support/test-platform.ts';

// No Docker engine runs here, so the image and compose file are checked by reading them.
const compose = parse(fs.readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'));
const dockerfile = fs.readFileSync(path.join(REPO_ROOT, 'docker/Dockerfile'), 'utf8');
const configSource = fs.readFileSync(path.join(REPO_ROOT, 'api/src/config.ts'), 'utf8');

/** The environment variables the app reads: the keys of its environment schema. */
const variablesTheAppReads = [...configSource.matchAll(/^\s{2}([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1]!);

describe('docker-compose.yml', () => {
  it('runs PostgreSQL with a named volume and a health check', () => {
    const db = compose.services.db;
    expect(db.image).toMatch(/^postgres:15/);
    const [volume] = db.volumes as string[];
    expect(volume).toMatch(/^pgdata:\/var\/lib\/postgresql\/data$/);
    expect(Object.keys(compose.volumes)).toContain('pgdata');
    expect(db.healthcheck.test.join(' ')).toMatch(/pg_isready/);
  });

  it('starts the app only once the database is healthy, pointed at it by DATABASE_URL', () => {
    const app = compose.services.app;
    expect(app.depends_on.db.condition).toBe('service_healthy');
    expect(app.build.dockerfile).toBe('docker/Dockerfile');
    const url = String(app.environment.DATABASE_URL).replace(/\$\{POSTGRES_PASSWORD:-([^}]*)\}/g, '$1');
    expect(new URL(url).hostname).toBe('db');
    expect(new URL(url).pathname).toBe(`/${compose.services.db.environment.POSTGRES_DB}`);
  });

  it('seeds the demo town (published passwords) only on explicit opt-in, in compose and in the image', () => {
    expect(String(compose.services.app.environment.SEED_DEMO)).toBe('${SEED_DEMO:-false}');
    expect(dockerfile).toMatch(/^\s*SEED_DEMO=false\b/m);
  });

  it('sets only variables the app reads, and each value passes the app’s own validation', () => {
    expect(variablesTheAppReads).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'DATA_DIR']));
    const environment: Record<string, string> = {};
    for (const [name, value] of Object.entries(compose.services.app.environment as Record<string, string>)) {
      expect(variablesTheAppReads, `${name} is read by api/src/config.ts`).toContain(name);
      environment[name] = String(value).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
    }
    expect(() => readConfig(environment)).not.toThrow();
  });
});

describe('docker-compose.yml, profile replicas (two app processes behind nginx)', () => {
  const replica = compose.services['app-replica'];
  const lb = compose.services.lb;

  it('runs two replicas of the app image on the one database, sharing the /data volume (the keys), behind nginx only', () => {
    expect(replica.profiles).toEqual(['replicas']);
    expect(lb.profiles).toEqual(['replicas']);
    expect(replica.deploy.replicas).toBe(2);
    expect(replica.build).toEqual(compose.services.app.build);
    expect(replica.environment.DATABASE_URL).toBe(compose.services.app.environment.DATABASE_URL);
    expect(replica.volumes).toEqual(compose.services.app.volumes);
    expect(String(replica.environment.TRUST_PROXY)).toBe('true');
    // TRUST_PROXY=true is safe only when the proxy is the one way in.
    expect(replica.ports).toBeUndefined();
    expect(lb.depends_on['app-replica'].condition).toBe('service_healthy');
    expect(lb.volumes).toContain('./docker/nginx.conf:/etc/nginx/nginx.conf:ro');
  });

  it('sets only variables the app reads, each valid', () => {
    const environment: Record<string, string> = {};
    for (const [name, value] of Object.entries(replica.environment as Record<string, string>)) {
      expect(variablesTheAppReads, `${name} is read by api/src/config.ts`).toContain(name);
      environment[name] = String(value).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
    }
    expect(readConfig(environment).trustProxy).toBe(true);
  });

  it('has a docker/nginx.conf that nginx accepts, pointing at the replicas, with no access log', () => {
    const conf = fs.readFileSync(path.join(REPO_ROOT, 'docker/nginx.conf'), 'utf8');
    expect(conf).toMatch(/server app-replica:3000;/);
    expect(conf).toMatch(/^\s*access_log off;/m);
    // Debian's nginx checks it; Docker's name is swapped for an address that resolves here.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vielstimmig-nginx-t-'));
    try {
      fs.writeFileSync(path.join(dir, 'nginx.conf'), conf.replace('app-replica:3000', '127.0.0.1:3000'));
      const check = spawnSync(NGINX_BINARY, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', `pid ${dir}/nginx.pid; error_log ${dir}/error.log;`], { encoding: 'utf8' });
      expect(check.stderr).toMatch(/test is successful/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('docker/Dockerfile', () => {
  it('listens on every interface in the container (HOST=0.0.0.0), while a local start stays on loopback', () => {
    expect(dockerfile).toMatch(/^\s*HOST=0\.0\.0\.0\b/m);
    expect(readConfig({}).host).toBe('127.0.0.1');
  });

  it('is multi-stage and runs as a non-root user', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    const user = dockerfile.match(/^USER (\S+)/m)?.[1];
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)$/);
  });

  it('copies only paths that exist in the repository', () => {
    for (const match of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const source of match[1]!.split(/\s+/)) {
        expect(fs.existsSync(path.join(REPO_ROOT, source)), `COPY ${source}`).toBe(true);
      }
    }
  });

  it('starts the same bundled server as npm start and the process tests, built in the image', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts['build:server']).toContain(`--outfile=${SERVER_ENTRY}`);
    expect(pkg.scripts.build).toContain('npm run build:server');
    expect(pkg.scripts.start).toMatch(new RegExp(`&& node ${SERVER_ENTRY}$`));
    expect(dockerfile).toContain(`CMD ["node", "${SERVER_ENTRY}"]`);
    expect(dockerfile).toContain(`COPY --from=build /app/${path.dirname(SERVER_ENTRY)} ./${path.dirname(SERVER_ENTRY)}`);
  });
});
