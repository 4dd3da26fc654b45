import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { riskReview, type RiskReview } from './schema.js';

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
