import { createHash } from 'node:crypto';
import pg from 'pg';
import type { SQL } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';

export type Database = NodePgDatabase;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Anything a query can run on: the pool, or a transaction in progress. */
export type Queryable = Database | Transaction;

export type DatabaseHandle = { db: Database; pool: pg.Pool; close(): Promise<void> };

// timestamptz and date come back as Date and string, bigint counts as numbers small enough for JS.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export function connectDatabase(url: string, poolSize = 10): DatabaseHandle {
  // A request that cannot get a connection fails (a 500 with a reference) rather than waiting for ever.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'concord', connectionTimeoutMillis: 15_000 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db = drizzle(pool);
  let closing: Promise<void> | undefined;
  return { db, pool, close: () => (closing ??= pool.ended ? Promise.resolve() : pool.end()) };
}

const dialect = new PgDialect();

/**
 * Runs a statement as a prepared statement named after its text, so that each connection parses it
 * once and PostgreSQL may keep its plan. For a large statement run on every request (person search),
 * parsing and planning cost more than running it. A statement whose text varies (say, with the
 * criteria given) is prepared once per variant.
 */
export async function executePrepared<T>(db: Queryable, query: SQL): Promise<T[]> {
  const compiled = compile(query);
  const result = (await db._.session.prepareQuery(compiled, undefined, compiled.name, false).execute()) as { rows: T[] };
  return result.rows;
}

/** A statement's text, parameters, and the name executePrepared prepares it under. */
export function compile(query: SQL) {
  const compiled = dialect.sqlToQuery(query);
  return { ...compiled, name: `concord_${createHash('sha256').update(compiled.sql).digest('hex').slice(0, 24)}` };
}

/** True when the database answers a trivial query within the time limit. */
export async function databaseIsReady(pool: pg.Pool, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const query = pool.query('select 1').then(() => true as const);
    return await Promise.race([query, timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
