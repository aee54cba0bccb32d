import net from 'node:net';

/**
 * A loopback TCP server that plays a PostgreSQL server in trouble, so the real node-postgres driver
 * raises the errors it raises in an outage: it closes every connection at once, or answers the
 * client's startup message with a FATAL error such as "the database system is starting up".
 */
export type FakePostgresBehaviour = { kind: 'hang-up' } | { kind: 'fatal'; sqlstate: string; message: string };

export interface FakePostgres {
  url: string;
  close(): Promise<void>;
}

/** A PostgreSQL ErrorResponse message ('E') with severity, SQLSTATE and message fields. */
function errorResponse(sqlstate: string, message: string): Buffer {
  const fields = Buffer.concat([
    Buffer.from(`SFATAL\0VFATAL\0C${sqlstate}\0M${message}\0`, 'utf8'),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write('E', 0, 'ascii');
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

export async function startFakePostgres(behaviour: FakePostgresBehaviour): Promise<FakePostgres> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (behaviour.kind === 'hang-up') {
      socket.destroy();
      return;
    }
    socket.once('data', () => socket.end(errorResponse(behaviour.sqlstate, behaviour.message)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `postgres://vielstimmig@127.0.0.1:${port}/vielstimmig`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nobody listens on (bound, then released). */
export async function closedPortUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `postgres://vielstimmig@127.0.0.1:${port}/vielstimmig`;
}
