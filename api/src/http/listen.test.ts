import net from 'node:net';
import type { Server } from 'node:http';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpServerLimits } from '../config.ts';
import { listen } from './listen.ts';

/** A tiny app: what it answers does not matter, only how the server treats slow clients. */
const app = new Hono()
  .all('/', async (c) => c.text(`got ${(await c.req.text()).length} bytes`))
  // A body cut off by the request timeout makes reading it fail; that is the point, not an error.
  .onError((_error, c) => c.text('aborted', 400));

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function start(limits: HttpServerLimits) {
  const { server, port } = await listen(app.fetch, { port: 0, host: '127.0.0.1', limits });
  servers.push(server);
  return { server, port };
}

interface Trickled {
  /** What the server sent before it closed the connection. */
  received: string;
  /** Whether the client ran out of things to trickle before the server closed (it should not). */
  finishedTrickling: boolean;
}

/**
 * Opens a loopback connection, sends `head` and then one `drip` every `everyMs`, at most `drips`
 * times (bounded: about 10 s), and resolves when the server closes the connection.
 */
function trickle(port: number, head: string, drip: string, everyMs: number, drips: number): Promise<Trickled> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (sent >= drips) {
          clearInterval(timer);
          socket.destroy();
          resolve({ received, finishedTrickling: true });
          return;
        }
        sent += 1;
        if (!socket.destroyed && socket.writable) socket.write(drip);
      }, everyMs);
    });
    socket.on('data', (chunk) => (received += String(chunk)));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ received, finishedTrickling: false });
    });
    socket.setTimeout(20_000, () => reject(new Error('no close within 20 s')));
  });
}

describe('listen(): slow clients are cut off (loopback, small configured timeouts)', () => {
  it('answers 408 and closes a connection whose headers trickle past the header timeout', async () => {
    const { port } = await start({ headersTimeoutMs: 300, requestTimeoutMs: 5_000, maxConnections: 100 });
    // 200 header lines, one every 50 ms: 10 s of headers if nobody stopped it.
    const outcome = await trickle(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: a\r\n', 50, 200);
    expect(outcome.finishedTrickling).toBe(false);
    expect(outcome.received).toMatch(/^HTTP\/1\.1 408 /);
  }, 20_000);

  it('answers 408 and closes a connection whose body trickles past the request timeout', async () => {
    const { port } = await start({ headersTimeoutMs: 300, requestTimeoutMs: 600, maxConnections: 100 });
    const head = 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 200\r\n\r\n';
    // 200 bytes, one every 50 ms: 10 s of body.
    const outcome = await trickle(port, head, 'x', 50, 200);
    expect(outcome.finishedTrickling).toBe(false);
    expect(outcome.received).toMatch(/^HTTP\/1\.1 408 /);
  }, 20_000);

  it('still serves a client that sends at once', async () => {
    const { port } = await start({ headersTimeoutMs: 300, requestTimeoutMs: 600, maxConnections: 100 });
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'hello' });
    expect(await res.text()).toBe('got 5 bytes');
  });

  it('closes connections beyond MAX_CONNECTIONS on arrival and keeps serving the others', async () => {
    const { server, port } = await start({ headersTimeoutMs: 10_000, requestTimeoutMs: 10_000, maxConnections: 2 });
    const open = (): Promise<net.Socket> =>
      new Promise((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
        socket.on('error', () => {});
      });
    const held = [await open(), await open()];
    // Wait until the server has counted both.
    for (let i = 0; i < 100 && (await new Promise<number>((r) => server.getConnections((_, n) => r(n)))) < 2; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const dropped = new Promise<boolean>((resolve) => server.once('drop', () => resolve(true)));
    const extra = await open();
    const closed = new Promise<string>((resolve) => {
      let received = '';
      extra.on('data', (chunk) => (received += String(chunk)));
      extra.on('close', () => resolve(received));
    });
    extra.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(await dropped).toBe(true);
    expect(await closed).toBe('');
    // One of the held connections still gets its answer.
    const answer = new Promise<string>((resolve) => held[0]!.once('data', (chunk) => resolve(String(chunk))));
    held[0]!.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(await answer).toMatch(/^HTTP\/1\.1 200 [\s\S]*got 0 bytes/);
    for (const socket of held) socket.destroy();
  });

  it('listens on the configured HOST only', async () => {
    const { server } = await start({ headersTimeoutMs: 1_000, requestTimeoutMs: 1_000, maxConnections: 10 });
    expect((server.address() as net.AddressInfo).address).toBe('127.0.0.1');
  });
});
