import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { HttpServerLimits } from '../config.ts';

export interface ListenOptions {
  port: number;
  host: string;
  limits: HttpServerLimits;
}

/**
 * Starts the node HTTP server with the limits against slow clients: a client that trickles its
 * headers or its body is answered 408 and cut off once the header or request timeout has passed
 * (Node's defaults are 60 s and 300 s, checked only every 30 s), and connections beyond
 * `maxConnections` are closed on arrival instead of piling up.
 */
export function listen(fetch: (request: Request, env?: unknown) => Response | Promise<Response>, options: ListenOptions): Promise<{ server: Server; port: number }> {
  const { requestTimeoutMs, headersTimeoutMs, maxConnections } = options.limits;
  return new Promise((resolve, reject) => {
    const server = serve({
      fetch,
      port: options.port,
      hostname: options.host,
      serverOptions: {
        requestTimeout: requestTimeoutMs,
        headersTimeout: headersTimeoutMs,
        // How often Node looks for connections past their timeouts; the default 30 s would let a
        // trickling client overstay a 15 s header timeout by up to 30 s.
        connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeoutMs / 4))),
      },
    }) as Server;
    server.maxConnections = maxConnections;
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve({ server, port: (server.address() as AddressInfo).port });
    });
  });
}
