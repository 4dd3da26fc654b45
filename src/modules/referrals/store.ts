import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { eligibilityDecision, informationRequest, receivingService, referral, referralEvent, responseContact, waitingRiskCheck } from './schema.js';

export type ReferralRow = typeof referral.$inferSelect;
export type ReferralEventRow = typeof referralEvent.$inferSelect;

export async function findReferral(db: Queryable, id: string, lock = false): Promise<ReferralRow | null> {
  const query = db.select().from(referral).where(eq(referral.id, id)).limit(1);
  const [row] = lock ? await query.for('update') : await query;
  return row ?? null;
}

export async function nextReference(db: Queryable, year: number): Promise<string> {
  const result = await db.execute<{ n: string }>(sql`select nextval('referral_reference_seq') as n`);
  return `REF-${year}-${String(result.rows[0]!.n).padStart(6, '0')}`;
}

export async function serviceSettings(db: Queryable, teamId: string) {
  const [row] = await db.select().from(receivingService).where(eq(receivingService.teamId, teamId)).limit(1);
  return row ?? null;
}

export async function timeline(db: Queryable, referralId: string, onlyForReferrer: boolean) {
  return db
    .select()
    .from(referralEvent)
    .where(and(eq(referralEvent.referralId, referralId), onlyForReferrer ? eq(referralEvent.visibleToReferrer, true) : undefined))
    .orderBy(asc(referralEvent.seq));
}

export async function informationRequests(db: Queryable, referralId: string) {
  return db.select().from(informationRequest).where(eq(informationRequest.referralId, referralId)).orderBy(asc(informationRequest.requestedAt));
}

export async function openInformationRequest(db: Queryable, referralId: string) {
  const [row] = await db
    .select()
    .from(informationRequest)
    .where(and(eq(informationRequest.referralId, referralId), isNull(informationRequest.answeredAt)))
    .orderBy(desc(informationRequest.requestedAt))
    .limit(1);
  return row ?? null;
}

export async function contacts(db: Queryable, referralId: string) {
  return db.select().from(responseContact).where(eq(responseContact.referralId, referralId)).orderBy(asc(responseContact.happenedAt));
}

export async function eligibility(db: Queryable, referralId: string) {
  return db.select().from(eligibilityDecision).where(eq(eligibilityDecision.referralId, referralId)).orderBy(asc(eligibilityDecision.decidedAt));
}

export async function riskChecks(db: Queryable, referralId: string) {
  return db.select().from(waitingRiskCheck).where(eq(waitingRiskCheck.referralId, referralId)).orderBy(asc(waitingRiskCheck.checkedAt));
}

/** Referrals received by these teams in these states, oldest first. */
export async function receivedBy(db: Queryable, teamIds: string[], states: ReferralRow['state'][], limit = 200) {
  if (teamIds.length === 0) return [];
  return db
    .select()
    .from(referral)
    .where(and(inArray(referral.receivingTeamId, teamIds), inArray(referral.state, states)))
    .orderBy(asc(referral.receivedAt))
    .limit(limit);
}

/** Referrals this agency made, newest first: the referrer's side of the closed loop (REF-6). */
export async function madeBy(db: Queryable, agencyId: string, limit = 200) {
  return db.select().from(referral).where(eq(referral.referrerAgencyId, agencyId)).orderBy(desc(referral.receivedAt)).limit(limit);
}

export async function referralsOfPerson(db: Queryable, personId: string, agencyId: string) {
  return db
    .select()
    .from(referral)
    .where(and(eq(referral.personId, personId), or(eq(referral.receivingAgencyId, agencyId), eq(referral.referrerAgencyId, agencyId))))
    .orderBy(desc(referral.receivedAt));
}

export async function reReferralCount(db: Queryable, teamId: string, since: Date) {
  const result = await db.execute<{ total: number; re: number }>(sql`
    select count(*)::int as total, count(*) filter (where is_re_referral)::int as re
    from ${referral} where ${referral.receivingTeamId} = ${teamId} and ${referral.receivedAt} >= ${since.toISOString()}`);
  return result.rows[0]!;
}

/** Teams that have said they no longer take referrals (every other active team does, by default). */
export async function teamsNotTakingReferrals(db: Queryable): Promise<Set<string>> {
  const rows = await db.select({ teamId: receivingService.teamId }).from(receivingService).where(eq(receivingService.acceptsReferrals, false));
  return new Set(rows.map((r) => r.teamId));
}
