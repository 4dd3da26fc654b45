import { and, asc, count, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { accessAlert, accessAlertReview, breakGlass, type AccessAlertKind } from '../../platform/access/schema.js';
import { breakGlassDecision, breakGlassRequest } from './schema.js';

/*
 * Queries on the access-review records: break-glass use, access alerts and their reviews. The tables sit in
 * platform/access because the access decision reads break-glass; every one of them is append-only.
 */

export type BreakGlassRow = typeof breakGlass.$inferSelect;
export type AlertRow = typeof accessAlert.$inferSelect;
export type ReviewRow = typeof accessAlertReview.$inferSelect;

export async function insertBreakGlass(tx: Queryable, values: typeof breakGlass.$inferInsert): Promise<BreakGlassRow> {
  const [row] = await tx.insert(breakGlass).values(values).returning();
  return row!;
}

export async function insertAlert(tx: Queryable, values: typeof accessAlert.$inferInsert): Promise<AlertRow> {
  const [row] = await tx.insert(accessAlert).values(values).returning();
  return row!;
}

/**
 * Raises "many records" alerts, at most one per user per hour: the unique (kind, user, hour) key lets a
 * second worker's insert of the same alert do nothing. Rows go in user order, so two workers inserting
 * the same users at once wait for each other rather than deadlock. Answers only those raised now.
 */
export async function raiseManyRecordsAlerts(tx: Queryable, rows: { userId: string; windowStart: Date; details: Record<string, unknown>; raisedAt: Date }[]): Promise<AlertRow[]> {
  if (rows.length === 0) return [];
  const sorted = [...rows].sort((a, b) => a.userId.localeCompare(b.userId));
  return tx
    .insert(accessAlert)
    .values(sorted.map((r) => ({ kind: 'many_records' as const, userId: r.userId, windowStart: r.windowStart, details: r.details, raisedAt: r.raisedAt })))
    .onConflictDoNothing({ target: [accessAlert.kind, accessAlert.userId, accessAlert.windowStart] })
    .returning();
}

/** The break-glass uses of one person, or of one user, or both; newest first. */
export async function breakGlassUses(db: Queryable, where: { personId?: string; userId?: string; inForceAt?: Date }): Promise<BreakGlassRow[]> {
  const conditions: SQL[] = [];
  if (where.personId) conditions.push(eq(breakGlass.personId, where.personId));
  if (where.userId) conditions.push(eq(breakGlass.userId, where.userId));
  if (where.inForceAt) conditions.push(lte(breakGlass.startedAt, where.inForceAt), gt(breakGlass.expiresAt, where.inForceAt));
  return db.select().from(breakGlass).where(and(...conditions)).orderBy(desc(breakGlass.startedAt));
}

export async function breakGlassByIds(db: Queryable, ids: string[]): Promise<BreakGlassRow[]> {
  return ids.length ? db.select().from(breakGlass).where(inArray(breakGlass.id, [...new Set(ids)])) : [];
}

const reviewed = sql<boolean>`${accessAlertReview.alertId} is not null`;

function alertConditions(filters: { kind?: AccessAlertKind; status?: 'unreviewed' | 'reviewed' }) {
  const conditions: SQL[] = [];
  if (filters.kind) conditions.push(eq(accessAlert.kind, filters.kind));
  if (filters.status === 'unreviewed') conditions.push(isNull(accessAlertReview.alertId));
  if (filters.status === 'reviewed') conditions.push(isNotNull(accessAlertReview.alertId));
  return conditions.length ? and(...conditions) : undefined;
}

/** The queue: alerts not yet reviewed first, then the newest; a page at a time. */
export async function listAlerts(db: Queryable, filters: { kind?: AccessAlertKind; status?: 'unreviewed' | 'reviewed' }, page: { offset: number; size: number }) {
  const rows = await db
    .select({ alert: accessAlert, review: accessAlertReview })
    .from(accessAlert)
    .leftJoin(accessAlertReview, eq(accessAlertReview.alertId, accessAlert.id))
    .where(alertConditions(filters))
    .orderBy(asc(reviewed), desc(accessAlert.raisedAt), asc(accessAlert.id))
    .offset(page.offset)
    .limit(page.size + 1);
  return { rows: rows.slice(0, page.size), hasMore: rows.length > page.size };
}

export async function findAlert(db: Queryable, id: string): Promise<{ alert: AlertRow; review: ReviewRow | null } | null> {
  const [row] = await db.select({ alert: accessAlert, review: accessAlertReview }).from(accessAlert).leftJoin(accessAlertReview, eq(accessAlertReview.alertId, accessAlert.id)).where(eq(accessAlert.id, id)).limit(1);
  return row ?? null;
}

/** Records the review, or answers null when the alert already has one (a review is made once). */
export async function insertReview(tx: Queryable, values: typeof accessAlertReview.$inferInsert): Promise<ReviewRow | null> {
  const [row] = await tx.insert(accessAlertReview).values(values).onConflictDoNothing({ target: accessAlertReview.alertId }).returning();
  return row ?? null;
}

export async function countUnreviewed(db: Queryable): Promise<number> {
  const [row] = await db.select({ n: count() }).from(accessAlert).leftJoin(accessAlertReview, eq(accessAlertReview.alertId, accessAlert.id)).where(isNull(accessAlertReview.alertId));
  return row?.n ?? 0;
}

// ---- Emergency access waiting for the Caldicott guardian ----------------------------------------

export type RequestRow = typeof breakGlassRequest.$inferSelect;
export type DecisionRow = typeof breakGlassDecision.$inferSelect;

/**
 * Holds one user's emergency access until the transaction ends, so two openings at once cannot both
 * be counted under the hourly allowance.
 */
export async function lockBreakGlassOf(tx: Queryable, userId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`break_glass:${userId}`}, 0))`);
}

/** How many times the user's emergency access started in the window. */
export async function breakGlassStartedIn(db: Queryable, userId: string, window: { from: Date; to: Date }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(breakGlass)
    .where(and(eq(breakGlass.userId, userId), gte(breakGlass.startedAt, window.from), lt(breakGlass.startedAt, window.to)));
  return row?.n ?? 0;
}

export async function insertRequest(tx: Queryable, values: typeof breakGlassRequest.$inferInsert): Promise<RequestRow> {
  const [row] = await tx.insert(breakGlassRequest).values(values).returning();
  return row!;
}

export async function findRequest(db: Queryable, id: string): Promise<{ request: RequestRow; decision: DecisionRow | null } | null> {
  const [row] = await db
    .select({ request: breakGlassRequest, decision: breakGlassDecision })
    .from(breakGlassRequest)
    .leftJoin(breakGlassDecision, eq(breakGlassDecision.requestId, breakGlassRequest.id))
    .where(eq(breakGlassRequest.id, id))
    .limit(1);
  return row ?? null;
}

/** Requests not yet decided, oldest first: the longest wait is the most urgent. */
export async function waitingRequests(db: Queryable, limit = 100): Promise<RequestRow[]> {
  const rows = await db
    .select({ request: breakGlassRequest })
    .from(breakGlassRequest)
    .leftJoin(breakGlassDecision, eq(breakGlassDecision.requestId, breakGlassRequest.id))
    .where(isNull(breakGlassDecision.requestId))
    .orderBy(asc(breakGlassRequest.requestedAt), asc(breakGlassRequest.id))
    .limit(limit);
  return rows.map((r) => r.request);
}

/** Records the decision, or answers null when the request already has one (it is decided once). */
export async function insertDecision(tx: Queryable, values: typeof breakGlassDecision.$inferInsert): Promise<DecisionRow | null> {
  const [row] = await tx.insert(breakGlassDecision).values(values).onConflictDoNothing({ target: breakGlassDecision.requestId }).returning();
  return row ?? null;
}
