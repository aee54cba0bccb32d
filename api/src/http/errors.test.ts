import { Hono } from 'hono';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from './app-env.ts';
import { isDatabaseUnavailable, renderError } from './errors.ts';

/** An error as node-postgres raises it for an ErrorResponse from the server. */
function serverError(code: string, message: string): Error {
  const error = new pg.DatabaseError(message, message.length, 'error');
  error.code = code;
  return error;
}

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });
}

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a terminated backend (57P01)', serverError('57P01', 'terminating connection due to administrator command')],
    ['a crashed server (57P02)', serverError('57P02', 'terminating connection because of crash of another server process')],
    ['a server starting up (57P03)', serverError('57P03', 'the database system is starting up')],
    ['too many connections (53300)', serverError('53300', 'sorry, too many clients already')],
    ['a full disk (53100)', serverError('53100', 'could not extend file: No space left on device')],
    ['a connection failure (08006)', serverError('08006', 'connection failure')],
    ['a serialization failure (40001)', serverError('40001', 'could not serialize access')],
    ['a database closed for maintenance (55000)', serverError('55000', 'database "x" is not currently accepting connections')],
    ['connection refused', socketError('ECONNREFUSED')],
    ['connection reset', socketError('ECONNRESET')],
    ['connection refused on every address', new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')], 'connect')],
    ['a connection cut mid-query', new Error('Connection terminated unexpectedly')],
    ['a client unusable after its connection broke', new Error('Client has encountered a connection error and is not queryable')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
  ])('is true for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', serverError('23505', 'duplicate key value violates unique constraint')],
    ['another 55000', serverError('55000', 'cannot execute UPDATE in a read-only transaction')],
    // Database errors quote request values; a hostile value must not turn a 500 into a 503.
    ['a syntax error quoting "Connection terminated"', serverError('22P02', 'invalid input syntax for type uuid: "Connection terminated"')],
    ['a programming error', new TypeError('Cannot read properties of undefined')],
    ['a thrown string', 'Connection terminated'],
  ])('is false for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('renderError for an unavailable database', () => {
  it('answers 503 with Retry-After and the standard shape', async () => {
    const logged: string[] = [];
    const app = new Hono<AppEnv>()
      .get('/', () => {
        throw serverError('57P01', 'terminating connection due to administrator command');
      })
      .onError((error, c) => renderError(error, c, (line) => logged.push(line)));
    const response = await app.request('/');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toEqual({ error: { code: 'database_unavailable', message: expect.any(String) } });
    expect(logged.join('\n')).not.toMatch(/terminating connection/);
  });
});
