import pg from 'pg';
import { fillPlaceholders, type SQL } from 'drizzle-orm';
import { drizzle, NodePgSession, NodePgTransaction, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import { currentRequest } from '../context.js';
import { isConnectionLoss } from './connection-errors.js';
import { statementFingerprint } from '../logging.js';

export type Database = NodePgDatabase & { $client: pg.Pool };
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Anything a query can run on: the pool, or a transaction in progress. */
export type Queryable = Database | Transaction;

export type DatabaseHandle = { db: Database; pool: pg.Pool; close(): Promise<void> };

// timestamptz and date come back as Date and string, bigint counts as numbers small enough for JS.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export function connectDatabase(url: string, poolSize = 10): DatabaseHandle {
  // A request that cannot get a connection fails (a 500 with a reference) rather than waiting for ever.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'concord', connectionTimeoutMillis: 15_000 });
  // A connection that drops (the server restarted or crashed, pg_terminate_backend, a failover) makes
  // its client emit 'error'. The pool listens only while a client is idle; one checked out (by a
  // transaction, the migrator, the worker) has no listener, and an unhandled 'error' ends the process.
  // Every client gets a listener of its own for its whole life: the query in flight still fails with
  // the error (answered 503), the broken client is discarded on release, and the next one reconnects.
  pool.on('connect', (client) => client.on('error', () => undefined));
  pool.on('error', () => undefined);
  const db = drizzle(pool);
  let closing: Promise<void> | undefined;
  return { db, pool, close: () => (closing ??= pool.ended ? Promise.resolve() : pool.end()) };
}

const dialect = new PgDialect();

/** A statement built once, with placeholders (`sql.placeholder(name)`) for the values of each run. */
export type PreparedStatement = { sql: string; params: unknown[]; name: string };

/** Compiles a statement once, named after its text. */
export function prepare(query: SQL): PreparedStatement {
  const compiled = dialect.sqlToQuery(query);
  return { ...compiled, name: statementFingerprint(compiled.sql) };
}

/**
 * Runs a prepared statement with these values for its placeholders. PostgreSQL parses it once per
 * connection and may keep its plan: for a large statement run on every request (person search),
 * building, parsing and planning it cost more than running it.
 */
export async function runPrepared<T>(db: Queryable, statement: PreparedStatement, values: Record<string, unknown>): Promise<T[]> {
  const result = (await db._.session.prepareQuery(statement, undefined, statement.name, false).execute(values)) as { rows: T[] };
  return result.rows;
}

/** The parameters a run of the statement sends, in order (for EXPLAIN). */
export const parametersOf = (statement: PreparedStatement, values: Record<string, unknown>) => fillPlaceholders(statement.params, values);

/**
 * Settings for the rest of a connection's life (SET, not SET LOCAL), by name: only settings every
 * statement that may later run on the connection can live with. Applied the first time a connection
 * runs work that asks for them, so work that needs them pays no round trip of its own after that.
 */
export type SessionSettings = Readonly<Record<string, string>>;
const settledWith = new WeakMap<object, WeakSet<SessionSettings>>();

async function settle(client: pg.PoolClient, settings: SessionSettings) {
  const done = settledWith.get(client) ?? new WeakSet<SessionSettings>();
  if (done.has(settings)) return;
  const set = Object.entries(settings).map(([name, value]) => `select set_config(${client.escapeLiteral(name)}, ${client.escapeLiteral(value)}, false);`);
  await client.query(set.join('\n'));
  done.add(settings);
  settledWith.set(client, done);
}

/** Settings for one transaction (SET LOCAL), by name. */
export type TransactionSettings = Readonly<Record<string, string>>;

/**
 * Runs `work` in a transaction on one connection of the pool, as drizzle's own transaction() does,
 * with two round trips fewer: `begin` travels with the transaction's settings, and the statement
 * `work` leaves to run last (already complete text, no parameters) travels with `commit`. Every
 * audited action ends by writing its audit events, so this is most of what an action costs on top
 * of its own work. Statements sent together run one after another, each seeing what the one before
 * it committed or wrote; if one fails the rest are not run and the transaction is rolled back.
 */
export async function runTransaction<T>(db: Database, settings: TransactionSettings, work: (tx: Transaction) => Promise<{ result: T; last?: string }>): Promise<T> {
  const client = await db.$client.connect();
  let unusable: Error | undefined;
  try {
    const set = Object.entries(settings).map(([name, value]) => `select set_config(${client.escapeLiteral(name)}, ${client.escapeLiteral(value)}, true);`);
    await client.query(['begin;', ...set].join('\n'));
    const tx = new NodePgTransaction(dialect, new NodePgSession(client, dialect, undefined), undefined) as unknown as Transaction;
    const { result, last } = await work(tx);
    // The request's own part of every transaction (an Idempotency-Key stored with the change it made: platform/http/idempotency.ts).
    await currentRequest()?.beforeCommit?.(tx, result);
    await client.query(last ? `${last};\ncommit` : 'commit');
    return result;
  } catch (error) {
    try {
      await client.query('rollback');
    } catch (failed) {
      // The connection itself is gone or broken: it must not go back to the pool.
      unusable = failed as Error;
    }
    throw error;
  } finally {
    client.release(unusable);
  }
}

/**
 * Runs `work` on one connection of the pool without a transaction: each statement is its own. For an
 * audited read, which has nothing to keep atomic, this saves the round trips of `begin` and `commit`.
 */
export async function runOnConnection<T>(db: Database, work: (connection: Queryable) => Promise<T>, settings?: SessionSettings): Promise<T> {
  const client = await db.$client.connect();
  let unusable: Error | undefined;
  try {
    if (settings) await settle(client, settings);
    return await work(new NodePgTransaction(dialect, new NodePgSession(client, dialect, undefined), undefined) as unknown as Transaction);
  } catch (error) {
    // A connection that failed mid-statement may be broken: it must not go back to the pool.
    if (isConnectionLoss(error)) unusable = error as Error;
    throw error;
  } finally {
    client.release(unusable);
  }
}
