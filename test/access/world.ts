import { randomUUID } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../src/platform/db/database.js';
import { breakGlass, consentDecision, involvement, sharingException, sharingExceptionEnd, sharingRestriction, sharingRestrictionEnd } from '../../src/platform/access/schema.js';
import type { InvolvementRole } from '../../src/platform/access/schema.js';
import type { RefWorld } from './reference-model.js';

/*
 * Writing the facts the sharing rules read straight into their tables (as the sharing, involvement
 * and access-review services would), and reading them back in the reference model's terms. The tests in
 * this folder use these so that the situations they set up are exactly the ones they reason about.
 */

/** Who the rows say recorded them: any real user, agency and team (the rows reference them). */
export type Recorder = { userId: string; agencyId: string; teamId: string };

type WithId<T> = T & { id?: string };
export type Facts = {
  involvements: readonly { agencyId: string; role: InvolvementRole; active: boolean }[];
  consents: readonly WithId<RefWorld['consents'][number]>[];
  exceptions: readonly WithId<RefWorld['exceptions'][number]>[];
  restrictions: readonly WithId<RefWorld['restrictions'][number]>[];
  breakGlass: readonly WithId<RefWorld['breakGlass'][number]>[];
};

export const NO_FACTS: Facts = { involvements: [], consents: [], exceptions: [], restrictions: [], breakGlass: [] };

let people = 0;

/** A person with no facts at all; the name is unique to this run so a search finds exactly them. */
export async function insertPerson(db: Queryable, name?: { given: string; family: string; dateOfBirth?: string }): Promise<{ id: string; given: string; family: string }> {
  people += 1;
  const given = name?.given ?? 'Matrix';
  const family = name?.family ?? `Zz${people.toString(36)}${randomUUID().slice(0, 6).replace(/[0-9-]/g, 'q')}`;
  const rows = await db.execute<{ id: string }>(
    sql`insert into person (given_name, family_name, date_of_birth, search_given, search_family, created_at, updated_at)
        values (${given}, ${family}, ${name?.dateOfBirth ?? null}, ${given.toLowerCase()}, ${family.toLowerCase()}, now(), now()) returning id`,
  );
  return { id: rows.rows[0]!.id, given, family };
}

/** Writes the facts for one person, in one insert per table; the ids given are kept so items can name them. */
export async function insertFacts(db: Queryable, personId: string, facts: Partial<Facts>, by: Recorder, at = new Date()): Promise<void> {
  const f = { ...NO_FACTS, ...facts };
  if (f.involvements.length) {
    await db.insert(involvement).values(
      f.involvements.map((i) => ({
        personId,
        agencyId: i.agencyId,
        role: i.role,
        sourceType: 'test',
        sourceId: randomUUID(),
        startedAt: new Date(at.getTime() - 86_400_000),
        endedAt: i.active ? null : new Date(at.getTime() - 3_600_000),
      })),
    );
  }
  const consents = f.consents.map((c) => ({ ...c, id: c.id ?? randomUUID() }));
  if (consents.length) {
    const recorded = { obtainedHow: 'in_person' as const, recordedAt: at, recordedBy: by.userId, recordedByAgency: by.agencyId };
    await db.insert(consentDecision).values(
      consents.map((c) => ({ id: c.id, personId, decision: c.decision, agencyIds: [...c.agencyIds], agencyTypes: [...c.agencyTypes], categories: [...c.categories], obtainedAt: c.obtainedAt, reviewDate: c.reviewDate, ...recorded })),
    );
    const withdrawals = consents.filter((c) => c.withdrawn);
    if (withdrawals.length) {
      await db.insert(consentDecision).values(withdrawals.map((c) => ({ personId, decision: 'withdrawn' as const, withdraws: c.id, obtainedAt: at, ...recorded })));
    }
  }
  const exceptions = f.exceptions.map((e) => ({ ...e, id: e.id ?? randomUUID() }));
  if (exceptions.length) {
    await db.insert(sharingException).values(
      exceptions.map((e) => ({
        id: e.id,
        personId,
        lawfulBasis: 'serious_harm_to_others',
        justification: 'Set up by a test',
        categories: [...e.categories],
        agencyIds: [...e.agencyIds],
        checklist: [],
        decidedBy: by.userId,
        decidedByAgency: by.agencyId,
        decidedAt: at,
        reviewDate: e.reviewDate,
        personInformed: 'no',
      })),
    );
    const ended = exceptions.filter((e) => e.ended);
    if (ended.length) await db.insert(sharingExceptionEnd).values(ended.map((e) => ({ exceptionId: e.id, endedAt: at, endedBy: by.userId, reason: 'Ended by a test' })));
  }
  const restrictions = f.restrictions.map((r) => ({ ...r, id: r.id ?? randomUUID() }));
  if (restrictions.length) {
    await db.insert(sharingRestriction).values(
      restrictions.map((r) => ({
        id: r.id,
        personId,
        entryType: r.entryId ? 'note' : null,
        entryId: r.entryId,
        categories: [...r.categories],
        agencyIds: [...r.agencyIds],
        agencyTypes: [...r.agencyTypes],
        reason: 'The person asked',
        recordedAt: at,
        recordedBy: by.userId,
        recordedByAgency: by.agencyId,
      })),
    );
    const lifted = restrictions.filter((r) => r.ended);
    if (lifted.length) await db.insert(sharingRestrictionEnd).values(lifted.map((r) => ({ restrictionId: r.id, endedAt: at, endedBy: by.userId, reason: 'Lifted by a test' })));
  }
  if (f.breakGlass.length) {
    await db.insert(breakGlass).values(
      f.breakGlass.map((b) => ({
        id: b.id ?? randomUUID(),
        personId,
        userId: b.userId,
        agencyId: by.agencyId,
        teamId: by.teamId,
        reasonCode: 'risk_to_life',
        reasonText: 'Set up by a test to open the record in an emergency',
        startedAt: b.startedAt,
        expiresAt: b.expiresAt,
      })),
    );
  }
}

/** What is stored about these people, in the reference model's terms, read with plain queries of its own. */
export async function readWorlds(db: Queryable, personIds: readonly string[]): Promise<Map<string, RefWorld>> {
  const ids = [...new Set(personIds)];
  const worlds = new Map<string, { -readonly [K in keyof RefWorld]: RefWorld[K][number][] }>(
    ids.map((id) => [id, { involvements: [], consents: [], exceptions: [], restrictions: [], breakGlass: [] }]),
  );
  if (ids.length === 0) return worlds;
  const of = (personId: string) => worlds.get(personId)!;
  for (const i of await db.select().from(involvement).where(inArray(involvement.personId, ids))) {
    of(i.personId).involvements.push({ agencyId: i.agencyId, role: i.role, active: i.endedAt === null });
  }
  const decisions = await db.select().from(consentDecision).where(inArray(consentDecision.personId, ids));
  const withdrawn = new Set(decisions.map((d) => d.withdraws));
  for (const c of decisions) {
    if (c.decision === 'withdrawn') continue;
    of(c.personId).consents.push({ decision: c.decision, agencyIds: c.agencyIds, agencyTypes: c.agencyTypes, categories: c.categories, obtainedAt: c.obtainedAt, reviewDate: c.reviewDate, withdrawn: withdrawn.has(c.id) });
  }
  const endedExceptions = new Set((await db.select({ id: sharingExceptionEnd.exceptionId }).from(sharingExceptionEnd)).map((r) => r.id));
  for (const e of await db.select().from(sharingException).where(inArray(sharingException.personId, ids))) {
    of(e.personId).exceptions.push({ agencyIds: e.agencyIds, categories: e.categories, reviewDate: e.reviewDate, ended: endedExceptions.has(e.id) });
  }
  const lifted = new Set((await db.select({ id: sharingRestrictionEnd.restrictionId }).from(sharingRestrictionEnd)).map((r) => r.id));
  for (const r of await db.select().from(sharingRestriction).where(inArray(sharingRestriction.personId, ids))) {
    of(r.personId).restrictions.push({ entryId: r.entryId, categories: r.categories, agencyIds: r.agencyIds, agencyTypes: r.agencyTypes, ended: lifted.has(r.id) });
  }
  for (const b of await db.select().from(breakGlass).where(inArray(breakGlass.personId, ids))) {
    of(b.personId).breakGlass.push({ userId: b.userId, startedAt: b.startedAt, expiresAt: b.expiresAt });
  }
  return worlds;
}

export async function endInvolvements(db: Queryable, personId: string, agencyId: string, at: Date) {
  await db.execute(sql`update involvement set ended_at = ${at.toISOString()}::timestamptz, ended_reason = 'ended by a test' where person_id = ${personId} and agency_id = ${agencyId} and ended_at is null`);
}
