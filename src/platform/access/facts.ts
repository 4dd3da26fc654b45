import { inArray } from 'drizzle-orm';
import type { Clock } from '../clocks/clock.js';
import { londonDate } from '../clocks/working-days.js';
import type { Queryable } from '../db/database.js';
import type { AccessMoment, PersonAccessFacts } from './person-access.js';
import { breakGlass, consentDecision, involvement, sharingException, sharingExceptionEnd, sharingRestriction, sharingRestrictionEnd } from './schema.js';

export const momentOf = (clock: Clock): AccessMoment => {
  const now = clock.now();
  return { now, today: londonDate(now) };
};

const group = <T extends { personId: string }>(rows: T[]) => {
  const byPerson = new Map<string, T[]>();
  for (const row of rows) byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), row]);
  return byPerson;
};

/**
 * Everything the access decision reads about these people, in one query per kind of fact (one
 * transaction is one connection, so they run one after another). Every person asked about gets facts,
 * empty when nothing is recorded.
 */
type KnownInvolvement = Pick<typeof involvement.$inferSelect, 'personId' | 'agencyId' | 'role' | 'endedAt'>;

/**
 * `known.involvements`: a caller that has just read these people's involvements (every one of them)
 * passes them in, so a search does not read them twice.
 */
export async function loadAccessFacts(db: Queryable, personIds: readonly string[], known: { involvements?: KnownInvolvement[] } = {}): Promise<Map<string, PersonAccessFacts>> {
  const ids = [...new Set(personIds)];
  const facts = new Map<string, PersonAccessFacts>();
  if (ids.length === 0) return facts;
  const involvements = group(known.involvements ?? (await db.select().from(involvement).where(inArray(involvement.personId, ids))));
  const decisions = await db.select().from(consentDecision).where(inArray(consentDecision.personId, ids));
  const withdrawn = new Set(decisions.flatMap((d) => (d.withdraws ? [d.withdraws] : [])));
  const consents = group(decisions.filter((d) => d.decision !== 'withdrawn'));
  const exceptions = group(await db.select().from(sharingException).where(inArray(sharingException.personId, ids)));
  const restrictions = group(await db.select().from(sharingRestriction).where(inArray(sharingRestriction.personId, ids)));
  const ended = await endedFacts(db, [...exceptions.values()].flat().map((e) => e.id), [...restrictions.values()].flat().map((r) => r.id));
  const glass = group(await db.select().from(breakGlass).where(inArray(breakGlass.personId, ids)));
  for (const id of ids) {
    facts.set(id, {
      involvements: (involvements.get(id) ?? []).map((i) => ({ agencyId: i.agencyId, role: i.role, active: i.endedAt === null })),
      consents: (consents.get(id) ?? []).map((c) => ({
        id: c.id,
        decision: c.decision as 'given' | 'refused',
        agencyIds: c.agencyIds,
        agencyTypes: c.agencyTypes,
        categories: c.categories,
        obtainedAt: c.obtainedAt,
        reviewDate: c.reviewDate,
        withdrawn: withdrawn.has(c.id),
      })),
      exceptions: (exceptions.get(id) ?? []).map((e) => ({ id: e.id, agencyIds: e.agencyIds, categories: e.categories, reviewDate: e.reviewDate, ended: ended.exceptions.has(e.id) })),
      restrictions: (restrictions.get(id) ?? []).map((r) => ({
        id: r.id,
        entryId: r.entryId,
        categories: r.categories,
        agencyIds: r.agencyIds,
        agencyTypes: r.agencyTypes,
        ended: ended.restrictions.has(r.id),
      })),
      breakGlass: (glass.get(id) ?? []).map((b) => ({ id: b.id, userId: b.userId, startedAt: b.startedAt, expiresAt: b.expiresAt })),
    });
  }
  return facts;
}

async function endedFacts(db: Queryable, exceptionIds: string[], restrictionIds: string[]) {
  const exceptions = exceptionIds.length ? await db.select({ id: sharingExceptionEnd.exceptionId }).from(sharingExceptionEnd).where(inArray(sharingExceptionEnd.exceptionId, exceptionIds)) : [];
  const restrictions = restrictionIds.length
    ? await db.select({ id: sharingRestrictionEnd.restrictionId }).from(sharingRestrictionEnd).where(inArray(sharingRestrictionEnd.restrictionId, restrictionIds))
    : [];
  return { exceptions: new Set(exceptions.map((e) => e.id)), restrictions: new Set(restrictions.map((r) => r.id)) };
}

export async function loadPersonFacts(db: Queryable, personId: string): Promise<PersonAccessFacts> {
  return (await loadAccessFacts(db, [personId])).get(personId)!;
}
