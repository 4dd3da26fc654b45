import { sql } from 'drizzle-orm';
import type { Clock } from '../clocks/clock.js';
import type { Database } from '../db/database.js';

/**
 * Fixed one-minute windows counted in PostgreSQL, so every instance sees the same count.
 * Returns the hits so far in this window, including this one.
 */
export async function countHit(db: Database, clock: Clock, key: string): Promise<number> {
  const now = clock.now();
  const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const result = await db.execute<{ hits: number }>(sql`
    insert into rate_limit_window (key, window_start, hits) values (${key}, ${windowStart.toISOString()}, 1)
    on conflict (key, window_start) do update set hits = rate_limit_window.hits + 1
    returning hits`);
  return Number(result.rows[0]!.hits);
}

export async function purgeOldWindows(db: Database, clock: Clock): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - 10 * 60_000);
  const result = await db.execute(sql`delete from rate_limit_window where window_start < ${cutoff.toISOString()}`);
  return result.rowCount ?? 0;
}
