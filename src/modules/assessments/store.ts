import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { assessment, assessmentDraft, assessmentItem, informationEscalation, type Assessment, type AssessmentDraft, type AssessmentItem, type InformationEscalation } from './schema.js';

/** Whether the reader may see an item of an assessment, as an SQL condition on its columns. */
export type VisibleItem = (item: typeof assessmentItem) => SQL;

export async function insertDraft(db: Queryable, values: typeof assessmentDraft.$inferInsert): Promise<AssessmentDraft> {
  const [row] = await db.insert(assessmentDraft).values(values).returning();
  return row!;
}

/** A draft of this person held by this team, or null. */
export async function draftOf(db: Queryable, personId: string, draftId: string, teamId: string, forUpdate = false): Promise<AssessmentDraft | null> {
  const query = db.select().from(assessmentDraft).where(and(eq(assessmentDraft.id, draftId), eq(assessmentDraft.personId, personId), eq(assessmentDraft.teamId, teamId)));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export async function draftsOf(db: Queryable, personId: string, teamId: string): Promise<AssessmentDraft[]> {
  return db.select().from(assessmentDraft).where(and(eq(assessmentDraft.personId, personId), eq(assessmentDraft.teamId, teamId))).orderBy(desc(assessmentDraft.updatedAt));
}

/**
 * Saves a draft's content if it is still at the version the change was made against; null when
 * someone saved it since (or it is gone), and nothing is written.
 */
export async function saveDraft(
  db: Queryable,
  draft: { id: string; version: number },
  change: Partial<Pick<AssessmentDraft, 'domains' | 'outcome'>> & { updatedAt: Date; updatedBy: string },
): Promise<AssessmentDraft | null> {
  const [row] = await db
    .update(assessmentDraft)
    .set({ ...change, version: sql`${assessmentDraft.version} + 1` })
    .where(and(eq(assessmentDraft.id, draft.id), eq(assessmentDraft.version, draft.version)))
    .returning();
  return row ?? null;
}

/** A completed draft is gone: the assessment entry holds all it said. Only if still at the version completed. */
export async function removeDraft(db: Queryable, draft: { id: string; version: number }): Promise<boolean> {
  const rows = await db.delete(assessmentDraft).where(and(eq(assessmentDraft.id, draft.id), eq(assessmentDraft.version, draft.version))).returning({ id: assessmentDraft.id });
  return rows.length === 1;
}

export async function insertAssessment(db: Queryable, values: typeof assessment.$inferInsert, items: (typeof assessmentItem.$inferInsert)[]): Promise<Assessment> {
  const [row] = await db.insert(assessment).values(values).returning();
  await db.insert(assessmentItem).values(items);
  return row!;
}

/**
 * The person's completed assessments the reader may know of, newest first. That an assessment exists,
 * who signed it and when are basic details (every agency involved may know to ask); what it says is in
 * its items, each read through the access decision.
 */
export async function assessmentsOf(db: Queryable, personId: string, visible: SQL): Promise<Assessment[]> {
  return db.select().from(assessment).where(and(eq(assessment.personId, personId), visible)).orderBy(desc(assessment.completedAt), desc(assessment.id));
}

export async function assessmentOf(db: Queryable, personId: string, assessmentId: string, visible: SQL): Promise<Assessment | null> {
  const [row] = await db.select().from(assessment).where(and(eq(assessment.id, assessmentId), eq(assessment.personId, personId), visible));
  return row ?? null;
}

/** The items of these assessments the reader may see; the rest are not read at all. */
export async function visibleItemsOf(db: Queryable, assessmentIds: string[], visible: VisibleItem): Promise<AssessmentItem[]> {
  if (assessmentIds.length === 0) return [];
  return db.select().from(assessmentItem).where(and(inArray(assessmentItem.assessmentId, assessmentIds), visible(assessmentItem))).orderBy(asc(assessmentItem.section));
}

/** Earlier assessments of the person by this agency: their clocks are settled by a new core assessment. */
export async function earlierOf(db: Queryable, personId: string, agencyId: string): Promise<string[]> {
  const rows = await db.select({ id: assessment.id }).from(assessment).where(and(eq(assessment.personId, personId), eq(assessment.owningAgencyId, agencyId)));
  return rows.map((r) => r.id);
}

export async function insertEscalation(db: Queryable, values: typeof informationEscalation.$inferInsert): Promise<InformationEscalation> {
  const [row] = await db.insert(informationEscalation).values(values).returning();
  return row!;
}

/** Every step of the person's difficulties the reader may see: the latest-touched difficulty first, each one's steps in order. */
export async function escalationsOf(db: Queryable, personId: string, visible: SQL): Promise<InformationEscalation[]> {
  return db.select().from(informationEscalation).where(and(eq(informationEscalation.personId, personId), visible)).orderBy(desc(sql`max(${informationEscalation.recordedAt}) over (partition by ${informationEscalation.difficultyId})`), asc(informationEscalation.difficultyId), asc(informationEscalation.position));
}

/** The steps of one difficulty, oldest first, locked so two people cannot take the same next step at once. */
export async function difficultyOf(db: Queryable, personId: string, difficultyId: string, visible: SQL): Promise<InformationEscalation[]> {
  return db
    .select()
    .from(informationEscalation)
    .where(and(eq(informationEscalation.difficultyId, difficultyId), eq(informationEscalation.personId, personId), visible))
    .orderBy(asc(informationEscalation.position))
    .for('update');
}
