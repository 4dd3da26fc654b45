import { and, count, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { careCase } from './schema.js';

export async function casesOfPeople(db: Queryable, personIds: string[]) {
  if (personIds.length === 0) return [];
  return db
    .select({
      id: careCase.id,
      reference: careCase.reference,
      personId: careCase.personId,
      teamId: careCase.teamId,
      agencyId: careCase.agencyId,
      coordinatorUserId: careCase.coordinatorUserId,
      state: careCase.state,
      openedAt: careCase.openedAt,
      closedAt: careCase.closedAt,
    })
    .from(careCase)
    .where(inArray(careCase.personId, personIds))
    .orderBy(desc(careCase.openedAt));
}

export async function lastClosedAt(db: Queryable, personId: string, teamId: string): Promise<{ id: string; closedAt: Date } | null> {
  const [row] = await db
    .select({ id: careCase.id, closedAt: careCase.closedAt })
    .from(careCase)
    .where(and(eq(careCase.personId, personId), eq(careCase.teamId, teamId), eq(careCase.state, 'closed')))
    .orderBy(desc(careCase.closedAt))
    .limit(1);
  return row?.closedAt ? { id: row.id, closedAt: row.closedAt } : null;
}

/** Open cases per coordinator: what a manager weighs (with expertise and the person's wishes) when allocating. */
export async function caseloads(db: Queryable, userIds: string[]): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ userId: careCase.coordinatorUserId, open: count() })
    .from(careCase)
    .where(and(inArray(careCase.coordinatorUserId, userIds), ne(careCase.state, 'closed')))
    .groupBy(careCase.coordinatorUserId);
  return new Map(rows.map((r) => [r.userId, r.open]));
}

export async function nextCaseReference(db: Queryable, year: number): Promise<string> {
  const result = await db.execute<{ n: string }>(sql`select nextval('case_reference_seq') as n`);
  return `CASE-${year}-${String(result.rows[0]!.n).padStart(6, '0')}`;
}

export async function caseForReferral(db: Queryable, referralId: string) {
  const [row] = await db.select().from(careCase).where(eq(careCase.referralId, referralId)).limit(1);
  return row ?? null;
}
