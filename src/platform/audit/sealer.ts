import { asc, desc, gt, and, lte, sql } from 'drizzle-orm';
import type { Clock } from '../clocks/clock.js';
import type { Database, Queryable } from '../db/database.js';
import { makeSeal, ORIGIN } from './chain.js';
import { auditEvent, auditSeal } from './schema.js';

/*
 * The sealer chains audit events after they are written, so writers never wait for one another.
 *
 * Ids come from a sequence, and transactions commit out of order: an id may become visible after a
 * higher one. Each event records its transaction's id (xid), taken before the event's id (see the
 * insert in trail.ts). So, in a transaction of its own, the sealer reads the last id handed out, L,
 * and then takes an xid of its own, X: any transaction that holds an id up to L took its xid before
 * X. Once every transaction older than X has ended (the snapshot's xmin passes X), every id up to L
 * is committed and visible, or will never be, and the events up to L can be sealed in id order.
 * Writers take no lock; sealers take one advisory lock between themselves, so seals are one chain.
 */

const SEAL_LOCK = 724_110_003;
/** Events per seal: a seal row holds each event's hash, so it stays a few hundred kilobytes at most. */
export const SEAL_BATCH = 2000;

export type SealOutcome = { seals: number; events: number; waiting: boolean };

async function frontier(db: Database): Promise<{ lastId: number | null; xid: string }> {
  return db.transaction(async (tx) => {
    const last = await tx.execute<{ last: number | null }>(sql`select pg_sequence_last_value('audit_event_id_seq') as last`);
    // A separate statement after the read: the xid is assigned after L was read.
    const own = await tx.execute<{ xid: string }>(sql`select pg_current_xact_id()::text as xid`);
    return { lastId: last.rows[0]!.last, xid: own.rows[0]!.xid };
  });
}

async function olderTransactionsEnded(db: Database, xid: string, waitMs: number): Promise<boolean> {
  const until = performance.now() + waitMs; // elapsed time, not the time of day: the injected clock may stand still
  for (;;) {
    const { rows } = await db.execute<{ ended: boolean }>(sql`select pg_snapshot_xmin(pg_current_snapshot()) > ${xid}::xid8 as ended`);
    if (rows[0]!.ended) return true;
    if (performance.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function latestSeal(db: Queryable) {
  const [row] = await db.select().from(auditSeal).orderBy(desc(auditSeal.id)).limit(1);
  return row ?? null;
}

/**
 * Seals every event that can be sealed now. Waits up to `waitMs` for transactions that began before
 * it to end; if some have not, it seals nothing this time (they are reported as unsealed).
 */
export async function sealPending(db: Database, clock: Clock, waitMs: number): Promise<SealOutcome> {
  const { lastId, xid } = await frontier(db);
  if (lastId === null) return { seals: 0, events: 0, waiting: false };
  if (!(await olderTransactionsEnded(db, xid, waitMs))) return { seals: 0, events: 0, waiting: true };
  const outcome: SealOutcome = { seals: 0, events: 0, waiting: false };
  for (;;) {
    const sealed = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${SEAL_LOCK})`);
      const previous = (await latestSeal(tx)) ?? ORIGIN;
      if (previous.throughEventId >= lastId) return 0;
      const events = await tx
        .select()
        .from(auditEvent)
        .where(and(gt(auditEvent.id, previous.throughEventId), lte(auditEvent.id, lastId)))
        .orderBy(asc(auditEvent.id))
        .limit(SEAL_BATCH);
      if (events.length === 0) return 0;
      const through = events.length === SEAL_BATCH ? events.at(-1)!.id : lastId;
      await tx.insert(auditSeal).values({ ...makeSeal(previous, events, through), sealedAt: clock.now() });
      return events.length;
    });
    if (sealed === 0) return outcome;
    outcome.seals++;
    outcome.events += sealed;
    if (sealed < SEAL_BATCH) return outcome;
  }
}

export type Unsealed = { events: number; oldestAt: Date | null };

/** The events not yet sealed: how many, and when the oldest happened. */
export async function unsealedEvents(db: Queryable): Promise<Unsealed> {
  const { rows } = await db.execute<{ events: number; oldest_at: string | null }>(sql`
    select count(*)::int as events, min(occurred_at) as oldest_at from audit_event
    where id > coalesce((select through_event_id from audit_seal order by id desc limit 1), 0)`);
  const row = rows[0]!;
  return { events: row.events, oldestAt: row.oldest_at ? new Date(row.oldest_at) : null };
}

/** Creates this month's partition and the next three, if they are missing. */
export async function addPartitionsAhead(db: Queryable, clock: Clock, months = 3): Promise<number> {
  const { rows } = await db.execute<{ added: number }>(sql`select audit_event_add_months(${clock.now().toISOString().slice(0, 10)}::date, ${months}) as added`);
  return rows[0]!.added;
}
