import type { AccessMoment } from '../../platform/access/person-access.js';
import { momentOf } from '../../platform/access/facts.js';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/access/actor.js';
import { auditActorOf } from '../../platform/access/actor.js';
import type { AccessGuard } from '../../platform/access/guard.js';
import { endInvolvementsFrom } from '../../platform/access/involvements.js';
import type { AuditTrail } from '../../platform/audit/trail.js';
import type { Clock } from '../../platform/clocks/clock.js';
import { urgencyOf } from '../../platform/clocks/obligation-rules.js';
import type { Obligations } from '../../platform/clocks/obligations.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import { conflict, notFound } from '../../platform/errors.js';
import type { DirectoryService } from '../directory/service.js';
import type { PeopleService } from '../people/service.js';
import { CASE_STATE_NAMES, CONSIDERATION_NAMES } from './rules.js';
import { careCase, coordinatorAllocation } from './schema.js';
import * as store from './store.js';

export type CaseSummary = store.CaseSummary;
export type CaseRow = typeof careCase.$inferSelect;

export type NewCase = {
  personId: string;
  referralId: string;
  teamId: string;
  agencyId: string;
  leadAgencyId: string;
  coordinatorUserId: string;
  reasons: string;
  considerations: string[];
  by: string;
  at: Date;
};

/** Episodes of care: opened at allocation with exactly one coordinator (COORD-1). */
export class CasesService {
  constructor(private readonly db: Database) {}

  /**
   * Each person's cases, newest first, with no clinical detail: the "is this person known, and who
   * coordinates their care?" facts (REF-8) the caller decides whether to show.
   */
  async summariesFor(personIds: string[], db: Queryable = this.db): Promise<Map<string, CaseSummary[]>> {
    return byPerson(await store.casesOfPeople(db, personIds));
  }

  /** Case summaries read in the same statement as other rows (see store.caseSummariesAlongside). */
  readonly summariesAlongside = store.caseSummariesAlongside;
  readonly caseColumnAmong = store.caseColumnAmong;
  summariesFromRead(read: readonly { kind: string; fact: unknown }[]): Map<string, CaseSummary[]> {
    return byPerson(store.caseSummariesFromRead(read));
  }

  lastClosedAt(db: Queryable, personId: string, teamId: string) {
    return store.lastClosedAt(db, personId, teamId);
  }

  caseloads(userIds: string[]) {
    return store.caseloads(this.db, userIds);
  }

  caseForReferral(db: Queryable, referralId: string) {
    return store.caseForReferral(db, referralId);
  }

  /** The cases this user coordinates and that are not closed, oldest first: their "my cases" queue. */
  openCasesCoordinatedBy(userId: string) {
    return store.openCasesCoordinatedBy(this.db, userId);
  }

  /** The case, when this actor may see it (their agency received or leads it, and they may see the person); otherwise null. */
  visibleCase(db: Queryable, actor: Actor, caseId: string, at: AccessMoment) {
    return store.findVisibleCase(db, caseId, actor, at);
  }

  /** Opens the case inside the caller's transaction (the allocation), with its first coordinator. */
  async open(tx: Queryable, input: NewCase) {
    const reference = await store.nextCaseReference(tx, input.at.getUTCFullYear());
    const [opened] = await tx
      .insert(careCase)
      .values({
        reference,
        personId: input.personId,
        referralId: input.referralId,
        teamId: input.teamId,
        agencyId: input.agencyId,
        leadAgencyId: input.leadAgencyId,
        coordinatorUserId: input.coordinatorUserId,
        state: 'open',
        openedAt: input.at,
      })
      .returning();
    await tx.insert(coordinatorAllocation).values({
      caseId: opened!.id,
      userId: input.coordinatorUserId,
      reasons: input.reasons,
      considerations: input.considerations,
      allocatedAt: input.at,
      allocatedBy: input.by,
    });
    return opened!;
  }

  /**
   * Closes the case inside the caller's transaction: the coordinator's allocation ends, and so do the
   * involvements the case and its referral gave (access follows them, COORD-6). The discharge journey
   * calls this once DCH-1 to DCH-4 are satisfied; it checks and audits, this only records the closure.
   */
  async close(tx: Queryable, input: { caseId: string; at: Date; reason: string }) {
    const [closed] = await tx
      .update(careCase)
      .set({ state: 'closed', closedAt: input.at, version: sql`${careCase.version} + 1` })
      .where(and(eq(careCase.id, input.caseId), ne(careCase.state, 'closed')))
      .returning();
    if (!closed) {
      if (await store.caseExists(tx, input.caseId)) throw conflict('CASES.ALREADY_CLOSED', 'This case is already closed.');
      throw notFound('CASES.NOT_FOUND', 'There is no case with that reference.');
    }
    await tx
      .update(coordinatorAllocation)
      .set({ endedAt: input.at })
      .where(and(eq(coordinatorAllocation.caseId, input.caseId), isNull(coordinatorAllocation.endedAt)));
    await endInvolvementsFrom(tx, { type: 'case', id: closed.id }, input.at, input.reason);
    await endInvolvementsFrom(tx, { type: 'referral', id: closed.referralId }, input.at, input.reason);
    return closed;
  }
}

/** What a case page and the case API show. */
export type CaseView = Awaited<ReturnType<CaseReader['read']>>;

/**
 * Reading a case: access checked in SQL (the receiving or lead agency, and the person's record),
 * every view audited with the person it concerns. A case the actor may not see answers exactly as
 * one that does not exist; the refusal is still recorded, for the Caldicott guardian.
 */
export class CaseReader {
  constructor(
    private readonly deps: {
      db: Database;
      audit: AuditTrail;
      guard: AccessGuard;
      clock: Clock;
      cases: CasesService;
      obligations: Obligations;
      people: Pick<PeopleService, 'visibleNames'>;
      directory: Pick<DirectoryService, 'namesFor'>;
    },
  ) {}

  async read(actor: Actor, caseId: string) {
    const { db, audit, guard, clock, cases, obligations, people, directory } = this.deps;
    await guard.require(actor, 'people.view');
    const row = await cases.visibleCase(db, actor, caseId, momentOf(clock));
    if (!row) {
      // A missing case is refused and recorded as a hidden one is, so the answer and its timing are the same.
      await audit.recordNow(auditActorOf(actor), { action: 'case.view_refused', outcome: 'denied', subject: { type: 'case', id: caseId } });
      throw notFound('CASES.NOT_FOUND', 'There is no case with that reference.');
    }
    return audit.read(auditActorOf(actor), async (tx, record) => {
      const allocations = await store.allocationHistory(tx, row.id);
      const clocks = await obligations.forSubject(tx, { type: 'case', id: row.id });
      const personName = (await people.visibleNames(tx, actor, [row.personId])).get(row.personId) ?? '';
      const names = await directory.namesFor({
        agencyIds: [row.agencyId, row.leadAgencyId],
        teamIds: [row.teamId],
        userIds: [row.coordinatorUserId, ...allocations.flatMap((a) => [a.userId, a.allocatedBy])],
      }, tx);
      const team = names.teams.get(row.teamId);
      const coordinator = names.users.get(row.coordinatorUserId);
      const now = clock.now();
      record({ action: 'case.viewed', personId: row.personId, subject: { type: 'case', id: row.id } });
      return {
        id: row.id,
        reference: row.reference,
        state: row.state,
        stateName: CASE_STATE_NAMES[row.state],
        openedAt: row.openedAt,
        closedAt: row.closedAt,
        version: row.version,
        person: { id: row.personId, name: personName },
        referral: { id: row.referralId },
        team: { id: row.teamId, name: team?.name ?? 'Unknown team', phone: team?.phone ?? null, email: team?.email ?? null },
        agency: { id: row.agencyId, name: names.agencies.get(row.agencyId)?.name ?? 'Unknown agency' },
        leadAgency: { id: row.leadAgencyId, name: names.agencies.get(row.leadAgencyId)?.name ?? 'Unknown agency' },
        coordinator: {
          userId: row.coordinatorUserId,
          name: coordinator?.name ?? 'Unknown',
          jobTitle: coordinator?.jobTitle ?? null,
          phone: coordinator?.phone ?? null,
          email: coordinator?.email ?? null,
        },
        clocks: clocks.map((o) => ({
          id: o.id,
          kind: o.kind,
          ruleId: o.ruleId,
          title: o.title,
          dueAt: o.dueAt,
          state: o.state,
          urgency: urgencyOf(o, now),
          closedAt: o.closedAt,
          late: o.late,
          reason: o.reason,
        })),
        allocations: allocations.map((a) => ({
          coordinatorName: names.users.get(a.userId)?.name ?? 'Unknown',
          allocatedByName: names.users.get(a.allocatedBy)?.name ?? 'Unknown',
          allocatedAt: a.allocatedAt,
          endedAt: a.endedAt,
          current: a.endedAt === null,
          reasons: a.reasons,
          considerations: a.considerations.map((c) => CONSIDERATION_NAMES[c] ?? c),
        })),
      };
    });
  }
}

/** Cases grouped by person, keeping their order. */
function byPerson(rows: readonly CaseSummary[]): Map<string, CaseSummary[]> {
  const grouped = new Map<string, CaseSummary[]>();
  for (const row of rows) grouped.set(row.personId, [...(grouped.get(row.personId) ?? []), row]);
  return grouped;
}
