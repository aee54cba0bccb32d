/**
 * A closed-loop HTTP load generator, run as a child process so that its own work does not share a
 * JavaScript thread with the server it measures: `connections` loops, each sending the next request
 * as soon as its previous one is answered, for a fixed time. Receives a LoadPlan over IPC, answers
 * with a LoadResult. Used by bench/ingest.ts.
 *
 * With `distinctClients`, connection i sends from its own loopback address 127.0.1.(i + 1) (all of
 * 127.0.0.0/8 is loopback on Linux), so the server counts it as a client of its own: 50 residents
 * pressing "send" at once rather than one address sending 50 at a time (which makes every request
 * update the same rate-limit row).
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
  /** Each connection from its own loopback address (at most 254). */
  distinctClients?: boolean;
  /**
   * Instead of the closed loop for `seconds`: this many bursts, in each of which every connection
   * sends one request at the same instant (50 residents pressing "send" together), then waits until
   * all are answered and 200 ms more.
   */
  bursts?: number;
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
  if (plan.distinctClients && plan.connections > 254) throw new Error('distinctClients: at most 254 connections (127.0.1.1 … 127.0.1.254)');
  // One keep-alive socket per connection loop; with distinctClients each from its own address.
  const agents = Array.from(
    { length: plan.connections },
    (_, i) => new http.Agent({ keepAlive: true, maxSockets: 1, ...(plan.distinctClients ? { localAddress: `127.0.1.${i + 1}` } : {}) }),
  );
  let next = 0;
  const body = () => plan.bodies[next++ % plan.bodies.length]!.replace('"__ID__"', `"${randomUUID()}"`);

  // Warm-up: connections opened, validators built, JIT warm; not counted.
  const warmupEnd = performance.now() + plan.warmupSeconds * 1000;
  await Promise.all(
    agents.map(async (agent) => {
      while (performance.now() < warmupEnd) await send(agent, url, body());
    }),
  );

  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  /** One measured request: its latency and its status (or the socket error) are recorded. */
  const measured = async (agent: http.Agent) => {
    const sentAt = performance.now();
    const status = await send(agent, url, body()).then(String, (error: NodeJS.ErrnoException) => `error:${error.code ?? 'unknown'}`);
    latencies.push(performance.now() - sentAt);
    statuses[status] = (statuses[status] ?? 0) + 1;
  };
  const started = performance.now();
  if (plan.bursts) {
    for (let burst = 0; burst < plan.bursts; burst += 1) {
      await Promise.all(agents.map(measured));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } else {
    const end = started + plan.seconds * 1000;
    await Promise.all(
      agents.map(async (agent) => {
        while (performance.now() < end) await measured(agent);
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  for (const agent of agents) agent.destroy();
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
