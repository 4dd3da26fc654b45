import { and, asc, count, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/access/actor.js';
import type { AccessMoment } from '../../platform/access/person-access.js';
import { canSeeRecord } from '../../platform/access/person-filter.js';
import type { Queryable } from '../../platform/db/database.js';
import type { CaseFacts } from './rules.js';
import { careCase, coordinatorAllocation } from './schema.js';

export type CaseRow = typeof careCase.$inferSelect;
export type NewAllocation = Omit<typeof coordinatorAllocation.$inferInsert, 'id' | 'endedAt'>;

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

const amongIds = sql`any(${sql.placeholder('ids')}::uuid[])`;

/**
 * The cases of the people a reader of several kinds of row asks about (placeholder `ids`), as rows of
 * kind `case` (see factsReader): a record read shows them with the facts, in the same statement.
 */
export const caseSummariesAlongside = sql`
  select 'case' as kind, ${careCase.personId} as "personId",
         jsonb_build_object('id', ${careCase.id}, 'reference', ${careCase.reference}, 'personId', ${careCase.personId}, 'teamId', ${careCase.teamId},
           'agencyId', ${careCase.agencyId}, 'coordinatorUserId', ${careCase.coordinatorUserId}, 'state', ${careCase.state},
           'openedAt', ${careCase.openedAt}, 'closedAt', ${careCase.closedAt}) as fact
  from ${careCase} where ${careCase.personId} = ${amongIds}`;

/** One column of those people's cases, as a subquery: whose names a page showing the cases needs. */
export const caseColumnAmong = (column: 'agencyId' | 'teamId' | 'coordinatorUserId') => sql`select ${careCase[column]} from ${careCase} where ${careCase.personId} = ${amongIds}`;

type SummaryJson = Omit<CaseSummary, 'openedAt' | 'closedAt'> & { openedAt: string; closedAt: string | null };
export type CaseSummary = Awaited<ReturnType<typeof casesOfPeople>>[number];

/** The cases among rows read alongside others, as casesOfPeople returns them: newest first. */
export function caseSummariesFromRead(read: readonly { kind: string; fact: unknown }[]): CaseSummary[] {
  return read
    .flatMap((row) => (row.kind === 'case' ? [row.fact as SummaryJson] : []))
    .map((c) => ({ ...c, openedAt: new Date(c.openedAt), closedAt: c.closedAt === null ? null : new Date(c.closedAt) }))
    .sort((a, b) => b.openedAt.getTime() - a.openedAt.getTime());
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

/** A coordinator's open cases (every state but closed), oldest first: the "cases I coordinate" queue. */
export async function openCasesCoordinatedBy(db: Queryable, userId: string, limit = 200) {
  return db
    .select()
    .from(careCase)
    .where(and(eq(careCase.coordinatorUserId, userId), ne(careCase.state, 'closed')))
    .orderBy(asc(careCase.openedAt))
    .limit(limit);
}

/**
 * A case, if this actor may see it: their agency received the referral or leads the case, and they
 * may see the person's record (the same decision as the person page, applied in SQL).
 */
export async function findVisibleCase(db: Queryable, id: string, actor: Actor, at: AccessMoment) {
  const [row] = await db
    .select()
    .from(careCase)
    .where(and(eq(careCase.id, id), or(eq(careCase.agencyId, actor.agencyId), eq(careCase.leadAgencyId, actor.agencyId)), canSeeRecord(actor, careCase.personId, at)))
    .limit(1);
  return row ?? null;
}

/** The case, locked until the transaction ends, so two changes to it are made one after the other. */
export async function lockCase(db: Queryable, id: string): Promise<CaseRow | null> {
  const [row] = await db.select().from(careCase).where(eq(careCase.id, id)).for('update').limit(1);
  return row ?? null;
}

export async function insertCase(db: Queryable, reference: string, facts: CaseFacts): Promise<CaseRow> {
  const [row] = await db.insert(careCase).values({ reference, ...facts }).returning();
  return row!;
}

/** Saves a transition's new state on a case locked by `lockCase`, one version on. */
export async function saveTransition(db: Queryable, id: string, facts: Pick<CaseFacts, 'state' | 'closedAt'>): Promise<CaseRow> {
  const [row] = await db
    .update(careCase)
    .set({ state: facts.state, closedAt: facts.closedAt, version: sql`${careCase.version} + 1` })
    .where(eq(careCase.id, id))
    .returning();
  return row!;
}

export async function insertAllocation(db: Queryable, allocation: NewAllocation) {
  await db.insert(coordinatorAllocation).values(allocation);
}

export async function endCurrentAllocation(db: Queryable, caseId: string, at: Date) {
  await db
    .update(coordinatorAllocation)
    .set({ endedAt: at })
    .where(and(eq(coordinatorAllocation.caseId, caseId), isNull(coordinatorAllocation.endedAt)));
}

/** Every coordinator the case has had, newest first, with the reasons each was chosen (COORD-2). */
export async function allocationHistory(db: Queryable, caseId: string) {
  return db.select().from(coordinatorAllocation).where(eq(coordinatorAllocation.caseId, caseId)).orderBy(desc(coordinatorAllocation.allocatedAt));
}
