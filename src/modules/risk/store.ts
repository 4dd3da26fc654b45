import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { riskEscalation, riskReview, type RiskEscalation, type RiskReview } from './schema.js';

/** Whether the reader may see a review, as an SQL condition (the access decision's twin, from the entry registry). */
export type Visible = SQL;

/** The person's reviews the reader may see, oldest first: the history of risk over time (RISK-1). */
export async function reviewsOf(db: Queryable, personId: string, visible: Visible): Promise<RiskReview[]> {
  return db.select().from(riskReview).where(and(eq(riskReview.personId, personId), visible)).orderBy(asc(riskReview.recordedAt), asc(riskReview.id));
}

export async function reviewOf(db: Queryable, personId: string, reviewId: string, visible: Visible): Promise<RiskReview | null> {
  const [row] = await db.select().from(riskReview).where(and(eq(riskReview.id, reviewId), eq(riskReview.personId, personId), visible));
  return row ?? null;
}

export async function insertReview(db: Queryable, values: typeof riskReview.$inferInsert): Promise<RiskReview> {
  const [row] = await db.insert(riskReview).values(values).returning();
  return row!;
}

/** Who each review is about and when it was completed, for the deadlines it started. */
export async function reviewHeadings(db: Queryable, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.select({ id: riskReview.id, personId: riskReview.personId, recordedAt: riskReview.recordedAt }).from(riskReview).where(inArray(riskReview.id, [...ids]));
}

/** The escalation ladder of one review, in the order it was climbed. */
export async function escalationsOf(db: Queryable, reviewId: string): Promise<RiskEscalation[]> {
  return db.select().from(riskEscalation).where(eq(riskEscalation.reviewId, reviewId)).orderBy(asc(riskEscalation.position));
}

export async function insertEscalation(db: Queryable, values: typeof riskEscalation.$inferInsert): Promise<RiskEscalation> {
  const [row] = await db.insert(riskEscalation).values(values).returning();
  return row!;
}

/** Locks the review's row, so two steps of one ladder are recorded one after the other, each seeing the one before. */
export async function lockReview(db: Queryable, reviewId: string): Promise<void> {
  await db.select({ id: riskReview.id }).from(riskReview).where(eq(riskReview.id, reviewId)).for('update');
}
