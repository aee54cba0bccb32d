/**
 * A closed-loop HTTP load generator, run as a child process so that its own work does not share a
 * JavaScript thread with the server it measures: `connections` loops, each sending the next request
 * as soon as its previous one is answered, for a fixed time. Receives a LoadPlan over IPC, answers
 * with a LoadResult. Used by bench/ingest.ts.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';

export interface LoadPlan {
  url: string;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** Request bodies with `"__ID__"` where a fresh UUID goes; used round-robin. */
  bodies: string[];
}

export interface LoadResult {
  requests: number;
  seconds: number;
  statuses: Record<string, number>;
  /** Every measured request's latency, in milliseconds, in no particular order. */
  latenciesMs: number[];
}

function send(agent: http.Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  const url = new URL(plan.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: plan.connections });
  let next = 0;
  const body = () => plan.bodies[next++ % plan.bodies.length]!.replace('"__ID__"', `"${randomUUID()}"`);

  // Warm-up: connections opened, validators built, JIT warm; not counted.
  const warmupEnd = performance.now() + plan.warmupSeconds * 1000;
  await Promise.all(
    Array.from({ length: plan.connections }, async () => {
      while (performance.now() < warmupEnd) await send(agent, url, body());
    }),
  );

  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const end = started + plan.seconds * 1000;
  await Promise.all(
    Array.from({ length: plan.connections }, async () => {
      while (performance.now() < end) {
        const sentAt = performance.now();
        let status: string;
        try {
          status = String(await send(agent, url, body()));
        } catch (error) {
          status = `error:${(error as NodeJS.ErrnoException).code ?? 'unknown'}`;
        }
        latencies.push(performance.now() - sentAt);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { requests: latencies.length, seconds, statuses, latenciesMs: latencies };
}

process.once('message', (plan: LoadPlan) => {
  run(plan).then(
    (result) => process.send!(result, () => process.exit(0)),
    (error: Error) => {
      console.error(error);
      process.exit(1);
    },
  );
});
