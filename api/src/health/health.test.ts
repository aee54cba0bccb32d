import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPlatform, type TestPlatform } from '../../../tests/support/test-platform.ts';
import { createHealthRoutes, HEALTH_CACHE_MS } from './routes.ts';

/** Counts the statements that reach the (real) database. */
class QueryCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count += 1;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

describe('GET /health and /health/ready', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await openTestPlatform();
  });
  afterAll(() => platform?.close());

  it('keeps its contract: {status: "ok", db} on the whole app', async () => {
    const res = await platform.app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: platform.database.kind });
    const ready = await platform.app.request('/health/ready');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', db: platform.database.kind });
  });

  it('asks the database at most once per few seconds however often anyone calls /health; /health/ready asks every time', async () => {
    const counter = new QueryCounter();
    let clock = Date.parse('2026-12-02T12:00:00Z');
    const routes = createHealthRoutes({ db: platform.database.db.withPlugin(counter), dbKind: platform.database.kind, now: () => new Date(clock) });

    const burst = await Promise.all(Array.from({ length: 50 }, () => routes.request('/')));
    expect(burst.every((res) => res.status === 200)).toBe(true);
    for (let i = 0; i < 50; i++) expect((await routes.request('/')).status).toBe(200);
    expect(counter.count).toBe(1);

    clock += HEALTH_CACHE_MS;
    await routes.request('/');
    expect(counter.count).toBe(2);

    for (let i = 0; i < 3; i++) expect((await routes.request('/ready')).status).toBe(200);
    expect(counter.count).toBe(5);
  });
});
