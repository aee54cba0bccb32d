import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';

/**
 * Named prepared statements for the few statements that run on every resident's submission.
 *
 * Kysely sends each statement as an unnamed one, so PostgreSQL parses, analyses and plans it on
 * every call. For the guarded response insert (an `insert … select … where exists (…) and (select
 * revision …) = …`) that is most of PostgreSQL's work per response: measured with pg on the 2-core
 * build machine, the same insert runs ~1.7× as often per second when it is prepared once per
 * connection (docs/benchmarks.md, Ingest). A statement opts in by starting with
 * `${PREPARE_ON_POSTGRES}`; the pool's clients then send it as a named statement whose name is a
 * hash of its text, so that each connection parses it once and PostgreSQL reuses the plan.
 *
 * Opt in only for statements whose text has a fixed, small number of forms (values only ever as
 * parameters): every distinct text becomes one prepared statement held by each pooled connection
 * for its lifetime. PGlite (one in-process connection, no planning round trip worth saving) and any
 * other caller see an ordinary SQL comment.
 *
 * A connection pooler in front of PostgreSQL must keep protocol-level prepared statements per
 * client (PgBouncer ≥ 1.21 with `max_prepared_statements`, or session pooling):
 * docs/operations.md.
 */
const MARK = '/* vielstimmig:prepare */ ';

/** Put first in a `sql` template to have the statement prepared once per PostgreSQL connection. */
export const PREPARE_ON_POSTGRES = sql.raw(MARK);

/** The statement's name: the same text always gets the same name, on every connection. */
export function preparedStatementName(text: string): string {
  return `vs_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
}

/**
 * A pg client that sends marked statements as named ones. Kysely calls `query(text, values)`;
 * everything else (cursors, config objects, callbacks) passes through unchanged.
 */
export class PreparingClient extends pg.Client {
  // One signature for pg's many overloads: only the (text, values) form is looked at.
  override query(...args: any[]): any {
    const [text, values] = args;
    if (args.length <= 2 && typeof text === 'string' && text.startsWith(MARK)) {
      return super.query({ name: preparedStatementName(text), text, values });
    }
    return (super.query as (...rest: unknown[]) => unknown).apply(this, args);
  }
}
