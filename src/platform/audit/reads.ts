import { and, desc, eq, gte, inArray, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/database.js';
import { auditEvent } from './schema.js';

/*
 * Read-only questions about who looked at whose record, answered from the audit trail. The trail is
 * append-only and written only by AuditTrail; nothing here writes to it.
 */

/**
 * The events that mean someone opened a person's record or a part of it. Appearing in a search result,
 * or as a name in a work queue, is not opening the record: it shows a name, not the record.
 */
export const RECORD_OPENS = ['person.viewed', 'case.viewed', 'referral.viewed', 'notes.viewed', 'risk.viewed', 'sharing.viewed', 'involvement.viewed', 'access.viewed'] as const;

export type RecordOpen = {
  id: number;
  occurredAt: Date;
  userId: string | null;
  userName: string | null;
  agencyId: string | null;
  teamId: string | null;
  action: string;
  personId: string;
};

const opens = () => inArray(auditEvent.action, [...RECORD_OPENS]);
const columns = {
  id: auditEvent.id,
  occurredAt: auditEvent.occurredAt,
  userId: auditEvent.actorUserId,
  userName: auditEvent.actorName,
  agencyId: auditEvent.actorAgencyId,
  teamId: auditEvent.actorTeamId,
  action: auditEvent.action,
  personId: auditEvent.personId,
};

/** Who opened this person's record, newest first, a page at a time (keyset on the event id). */
export async function recordOpensOf(db: Queryable, personId: string, page: { beforeId?: number; size: number }) {
  const conditions: SQL[] = [eq(auditEvent.personId, personId), opens(), eq(auditEvent.outcome, 'success')];
  if (page.beforeId) conditions.push(lt(auditEvent.id, page.beforeId));
  const rows = (await db.select(columns).from(auditEvent).where(and(...conditions)).orderBy(desc(auditEvent.id)).limit(page.size + 1)) as RecordOpen[];
  const hasMore = rows.length > page.size;
  const reads = hasMore ? rows.slice(0, page.size) : rows;
  return { reads, nextBeforeId: hasMore ? reads[reads.length - 1]!.id : null };
}

export type PersonOpened = { personId: string; opens: number; firstAt: Date; lastAt: Date; actions: string[] };

/** The people a user opened (in a time range, if given), most recently opened first, with how often and how. */
export async function peopleOpenedBy(db: Queryable, userId: string, range: { from?: Date; to?: Date; limit: number }): Promise<PersonOpened[]> {
  const conditions: SQL[] = [eq(auditEvent.actorUserId, userId), opens(), eq(auditEvent.outcome, 'success'), isNotNull(auditEvent.personId)];
  if (range.from) conditions.push(gte(auditEvent.occurredAt, range.from));
  if (range.to) conditions.push(lt(auditEvent.occurredAt, range.to));
  const rows = await db
    .select({
      personId: sql<string>`${auditEvent.personId}`,
      opens: sql<number>`count(*)::int`,
      firstAt: sql<Date>`min(${auditEvent.occurredAt})`.mapWith(auditEvent.occurredAt),
      lastAt: sql<Date>`max(${auditEvent.occurredAt})`.mapWith(auditEvent.occurredAt),
      actions: sql<string[]>`array_agg(distinct ${auditEvent.action} order by ${auditEvent.action})`,
    })
    .from(auditEvent)
    .where(and(...conditions))
    .groupBy(auditEvent.personId)
    .orderBy(sql`max(${auditEvent.occurredAt}) desc`)
    .limit(range.limit);
  return rows;
}

/** Everything a user did about one person in a time window (e.g. while their break-glass lasted), oldest first. */
export async function eventsOfUserAboutPerson(db: Queryable, userId: string, personId: string, window: { from: Date; to: Date }, limit = 500) {
  return db
    .select({ ...columns, outcome: auditEvent.outcome, subjectType: auditEvent.subjectType, subjectId: auditEvent.subjectId })
    .from(auditEvent)
    .where(and(eq(auditEvent.actorUserId, userId), eq(auditEvent.personId, personId), gte(auditEvent.occurredAt, window.from), lt(auditEvent.occurredAt, window.to)))
    .orderBy(auditEvent.id)
    .limit(limit);
}

/** Users who opened the records of more than `moreThan` different people in the window, with how many. */
export async function usersOpeningMany(db: Queryable, window: { from: Date; to: Date }, moreThan: number): Promise<{ userId: string; people: number }[]> {
  return db
    .select({ userId: sql<string>`${auditEvent.actorUserId}`, people: sql<number>`count(distinct ${auditEvent.personId})::int` })
    .from(auditEvent)
    .where(and(gte(auditEvent.occurredAt, window.from), lt(auditEvent.occurredAt, window.to), opens(), eq(auditEvent.outcome, 'success'), isNotNull(auditEvent.actorUserId), isNotNull(auditEvent.personId)))
    .groupBy(auditEvent.actorUserId)
    .having(sql`count(distinct ${auditEvent.personId}) > ${moreThan}`)
    .orderBy(auditEvent.actorUserId);
}
