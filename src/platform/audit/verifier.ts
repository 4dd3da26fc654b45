import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gt, isNotNull, lte, sql } from 'drizzle-orm';
import type { Clock } from '../clocks/clock.js';
import type { Database } from '../db/database.js';
import { checkSeal, GENESIS_HASH, ORIGIN, type ChainBreak, type Seal } from './chain.js';
import { auditEvent, auditSeal, auditVerification } from './schema.js';
import { unsealedEvents, type Unsealed } from './sealer.js';

export type VerificationResult = {
  intact: boolean;
  /** Sealed events checked by this run: from the checkpoint it started at, or all of them. */
  eventsChecked: number;
  firstBroken: ChainBreak | null;
  /** Every broken event found, in id order, up to MAX_LISTED; brokenCount says how many in all. */
  broken: ChainBreak[];
  brokenCount: number;
  headHash: string;
  checkedAt: Date;
  full: boolean;
  /** The earlier check this one continued from; null for a full check. */
  continuedFrom: { checkedAt: Date; throughSealId: number } | null;
  throughSealId: number;
  unsealed: Unsealed;
};

export const MAX_LISTED = 100;
const SEALS_PER_READ = 10;
const VERIFY_LOCK = 724_110_004;

type Checkpoint = typeof auditVerification.$inferSelect;
type Previous = Pick<Seal, 'id' | 'throughEventId' | 'headHash' | 'sealHash'>;

/** What a checkpoint's hash covers: the checkpoint before it, and what this check found and reached. */
export function checkpointHash(prev: string, c: Pick<Checkpoint, 'checkedAt' | 'intact' | 'eventsChecked' | 'throughSealId' | 'throughSealHash'>): string {
  const text = [prev, c.checkedAt.toISOString(), c.intact, c.eventsChecked, c.throughSealId ?? '', c.throughSealHash ?? ''].join('|');
  return createHash('sha256').update(text).digest('hex');
}

/** Checkpoints are few (one per check): all of them are re-hashed every time, and the first bad one named. */
async function checkpoints(db: Database): Promise<{ latestIntact: Checkpoint | null; problem: ChainBreak | null }> {
  const rows = await db.select().from(auditVerification).where(isNotNull(auditVerification.checkpointHash)).orderBy(asc(auditVerification.seq));
  let prev = GENESIS_HASH;
  let latestIntact: Checkpoint | null = null;
  for (const row of rows) {
    if (row.prevCheckpointHash !== prev || checkpointHash(prev, row) !== row.checkpointHash) {
      return { latestIntact: null, problem: { id: 0, problem: `the record of the chain check of ${row.checkedAt.toISOString()} was altered, or one before it removed` } };
    }
    prev = row.checkpointHash!;
    if (row.intact && row.throughSealId !== null) latestIntact = row;
  }
  return { latestIntact, problem: null };
}

/** The seal a check starts after, with any problem in getting there. */
async function startingPoint(db: Database, full: boolean): Promise<{ start: Previous; from: Checkpoint | null; problems: ChainBreak[] }> {
  const { latestIntact, problem } = await checkpoints(db);
  if (problem) return { start: ORIGIN, from: null, problems: [problem] };
  if (full || !latestIntact) return { start: ORIGIN, from: null, problems: [] };
  const [seal] = await db.select().from(auditSeal).where(eq(auditSeal.id, latestIntact.throughSealId!));
  if (!seal || seal.sealHash !== latestIntact.throughSealHash) {
    const changed = { id: seal?.eventIds[0] ?? 0, problem: `seal ${latestIntact.throughSealId} changed after the check of ${latestIntact.checkedAt.toISOString()} found it intact` };
    return { start: ORIGIN, from: null, problems: [changed] };
  }
  return { start: seal, from: latestIntact, problems: [] };
}

/**
 * Checks every seal after the starting point, and every event stored in the ranges they cover, a
 * few seals at a time. Collects every broken event, not only the first.
 */
async function checkSealsFrom(db: Database, start: Previous) {
  let previous = start;
  let checked = 0;
  const broken: ChainBreak[] = [];
  let count = 0;
  for (;;) {
    const seals = await db.select().from(auditSeal).where(gt(auditSeal.id, previous.id)).orderBy(asc(auditSeal.id)).limit(SEALS_PER_READ);
    if (seals.length === 0) break;
    const through = Math.max(...seals.map((s) => s.throughEventId), previous.throughEventId);
    const events = await db
      .select()
      .from(auditEvent)
      .where(and(gt(auditEvent.id, previous.throughEventId), lte(auditEvent.id, through)))
      .orderBy(asc(auditEvent.id));
    let lower = previous.throughEventId;
    for (const seal of seals) {
      const upper = Math.max(seal.throughEventId, lower);
      const mine = events.filter((e) => e.id > lower && e.id <= upper);
      const problems = checkSeal(previous, seal, mine);
      count += problems.length;
      broken.push(...problems.slice(0, Math.max(0, MAX_LISTED - broken.length)));
      checked += seal.eventIds.length;
      previous = seal;
      lower = upper;
    }
  }
  return { broken, count, checked, last: previous };
}

/** Checks the sealed chain from the last intact checkpoint (or from the start) and records the check as a checkpoint. */
export async function verifyChain(db: Database, clock: Clock, checkedBy: string, options: { full?: boolean } = {}): Promise<VerificationResult> {
  const { start, from, problems } = await startingPoint(db, options.full ?? false);
  const run = await checkSealsFrom(db, start);
  const broken = [...problems, ...run.broken].slice(0, MAX_LISTED);
  const brokenCount = problems.length + run.count;
  const result: VerificationResult = {
    intact: brokenCount === 0,
    eventsChecked: run.checked,
    firstBroken: broken[0] ?? null,
    broken,
    brokenCount,
    headHash: run.last.headHash,
    checkedAt: clock.now(),
    full: from === null,
    continuedFrom: from ? { checkedAt: from.checkedAt, throughSealId: from.throughSealId! } : null,
    throughSealId: run.last.id,
    unsealed: await unsealedEvents(db),
  };
  await recordCheckpoint(db, checkedBy, result, run.last);
  return result;
}

async function recordCheckpoint(db: Database, checkedBy: string, result: VerificationResult, last: Previous) {
  await db.transaction(async (tx) => {
    // One checkpoint at a time, so two checks finishing together do not both follow the same one.
    await tx.execute(sql`select pg_advisory_xact_lock(${VERIFY_LOCK})`);
    const [prev] = await tx
      .select({ hash: auditVerification.checkpointHash })
      .from(auditVerification)
      .where(isNotNull(auditVerification.checkpointHash))
      .orderBy(desc(auditVerification.seq))
      .limit(1);
    const reached = {
      checkedAt: result.checkedAt,
      intact: result.intact,
      eventsChecked: result.eventsChecked,
      throughSealId: result.intact && last.id > 0 ? last.id : null,
      throughSealHash: result.intact && last.id > 0 ? last.sealHash : null,
    };
    const prevHash = prev?.hash ?? GENESIS_HASH;
    await tx.insert(auditVerification).values({
      ...reached,
      checkedBy,
      firstBrokenId: result.firstBroken?.id ?? null,
      problem: result.firstBroken?.problem ?? null,
      headHash: result.intact ? result.headHash : null,
      fullCheck: result.full,
      brokenCount: result.brokenCount,
      broken: result.broken,
      unsealedEvents: result.unsealed.events,
      oldestUnsealedAt: result.unsealed.oldestAt,
      prevCheckpointHash: prevHash,
      checkpointHash: checkpointHash(prevHash, reached),
    });
  });
}
