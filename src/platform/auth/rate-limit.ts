import { sql } from 'drizzle-orm';
import type { Clock } from '../clocks/clock.js';
import type { Database, Queryable } from '../db/database.js';

// Kept an hour and a bit: the sign-in throttle sums an account's failures over the last hour.
const KEEP_MS = 61 * 60_000;

/**
 * Fixed one-minute windows counted in PostgreSQL, so every instance sees the same count.
 * Returns the hits so far in this window, including this one.
 */
export async function countHit(db: Queryable, clock: Clock, key: string): Promise<number> {
  const now = clock.now();
  const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const result = await db.execute<{ hits: number }>(sql`
    insert into rate_limit_window (key, window_start, hits) values (${key}, ${windowStart.toISOString()}, 1)
    on conflict (key, window_start) do update set hits = rate_limit_window.hits + 1
    returning hits`);
  return Number(result.rows[0]!.hits);
}

/** The hits on this key in the windows that began after `since`. */
export async function hitsSince(db: Queryable, key: string, since: Date): Promise<number> {
  const result = await db.execute<{ hits: number }>(sql`
    select coalesce(sum(hits), 0)::int as hits from rate_limit_window where key = ${key} and window_start > ${since.toISOString()}`);
  return Number(result.rows[0]!.hits);
}

export async function purgeOldWindows(db: Database, clock: Clock): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - KEEP_MS);
  const result = await db.execute(sql`delete from rate_limit_window where window_start < ${cutoff.toISOString()}`);
  return result.rowCount ?? 0;
}
