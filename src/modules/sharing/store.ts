import { and, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { consentDecision, sharingException, sharingExceptionEnd, sharingRestriction, sharingRestrictionEnd } from '../../platform/access/schema.js';

/*
 * The sharing records of one person. They live with the access decision that reads them
 * (platform/access/schema.ts); this module is the only one that writes them. Every row is written
 * once: a withdrawal is a new decision, a lift or an end is a row in the `_end` table.
 */

export type ConsentRow = typeof consentDecision.$inferSelect;
export type RestrictionRow = typeof sharingRestriction.$inferSelect & { end: typeof sharingRestrictionEnd.$inferSelect | null };
export type ExceptionRow = typeof sharingException.$inferSelect & { end: typeof sharingExceptionEnd.$inferSelect | null };

/** Every decision about the person, withdrawals included, newest decision first (a withdrawal before the consent it withdraws, even recorded the same instant). */
export function consentsOf(db: Queryable, personId: string): Promise<ConsentRow[]> {
  return db
    .select()
    .from(consentDecision)
    .where(eq(consentDecision.personId, personId))
    .orderBy(desc(consentDecision.obtainedAt), desc(consentDecision.recordedAt), desc(sql`${consentDecision.withdraws} is not null`));
}

export async function insertConsent(db: Queryable, values: typeof consentDecision.$inferInsert): Promise<ConsentRow> {
  const [row] = await db.insert(consentDecision).values(values).returning();
  return row!;
}

export async function restrictionsOf(db: Queryable, personId: string, id?: string): Promise<RestrictionRow[]> {
  const rows = await db
    .select({ restriction: getTableColumns(sharingRestriction), end: getTableColumns(sharingRestrictionEnd) })
    .from(sharingRestriction)
    .leftJoin(sharingRestrictionEnd, eq(sharingRestrictionEnd.restrictionId, sharingRestriction.id))
    .where(and(eq(sharingRestriction.personId, personId), id ? eq(sharingRestriction.id, id) : undefined))
    .orderBy(desc(sharingRestriction.recordedAt));
  return rows.map((r) => ({ ...r.restriction, end: r.end }));
}

export async function insertRestriction(db: Queryable, values: typeof sharingRestriction.$inferInsert) {
  const [row] = await db.insert(sharingRestriction).values(values).returning();
  return row!;
}

export async function insertRestrictionEnd(db: Queryable, values: typeof sharingRestrictionEnd.$inferInsert) {
  const [row] = await db.insert(sharingRestrictionEnd).values(values).returning();
  return row!;
}

export async function exceptionsOf(db: Queryable, personId: string, id?: string): Promise<ExceptionRow[]> {
  const rows = await db
    .select({ exception: getTableColumns(sharingException), end: getTableColumns(sharingExceptionEnd) })
    .from(sharingException)
    .leftJoin(sharingExceptionEnd, eq(sharingExceptionEnd.exceptionId, sharingException.id))
    .where(and(eq(sharingException.personId, personId), id ? eq(sharingException.id, id) : undefined))
    .orderBy(desc(sharingException.decidedAt));
  return rows.map((r) => ({ ...r.exception, end: r.end }));
}

export async function insertException(db: Queryable, values: typeof sharingException.$inferInsert) {
  const [row] = await db.insert(sharingException).values(values).returning();
  return row!;
}

export async function insertExceptionEnd(db: Queryable, values: typeof sharingExceptionEnd.$inferInsert) {
  const [row] = await db.insert(sharingExceptionEnd).values(values).returning();
  return row!;
}
