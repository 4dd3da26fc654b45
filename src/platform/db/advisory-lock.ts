import type pg from 'pg';

/**
 * Runs `work` while holding a session-level advisory lock on a connection of its own, so every
 * Concord process that asks for the same key waits its turn, whichever database server it shares.
 * The lock is held on a dedicated connection, not a transaction: `work` may run transactions of its
 * own on the pool. If this process dies, PostgreSQL ends its session and the lock with it.
 */
export async function withAdvisoryLock<T>(pool: pg.Pool, key: number, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('select pg_advisory_lock($1)', [key]);
    try {
      return await work();
    } finally {
      await client.query('select pg_advisory_unlock($1)', [key]).catch((error: Error) => {
        // The connection itself failed: the server has released the lock with the session.
        broken = error;
      });
    }
  } finally {
    client.release(broken);
  }
}
