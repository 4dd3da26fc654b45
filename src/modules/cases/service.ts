import type { AccessMoment } from '../../platform/access/person-access.js';
import { momentOf } from '../../platform/access/facts.js';
import type { Actor } from '../../platform/access/actor.js';
import { auditActorOf } from '../../platform/access/actor.js';
import type { AccessGuard } from '../../platform/access/guard.js';
import { endInvolvementsFrom, startInvolvement } from '../../platform/access/involvements.js';
import type { AuditTrail, RecordEvent } from '../../platform/audit/trail.js';
import type { Clock } from '../../platform/clocks/clock.js';
import { urgencyOf } from '../../platform/clocks/obligation-rules.js';
import type { Obligations } from '../../platform/clocks/obligations.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import { conflict, notFound } from '../../platform/errors.js';
import type { DirectoryService } from '../directory/service.js';
import type { PeopleService } from '../people/service.js';
import { CASE_STATE_NAMES, CONSIDERATION_NAMES, decideCase, type CaseDecision, type CaseEvent, type CaseRefusal, type OpenCase } from './rules.js';
import * as store from './store.js';

export type CaseSummary = store.CaseSummary;
export type CaseRow = store.CaseRow;

/** What the referral hands over at allocation (COORD-1 to COORD-3), and when. */
export type NewCase = Omit<OpenCase, 'kind'> & { at: Date };

const SUBJECT = (id: string) => ({ type: 'case', id });

/**
 * Episodes of care. The case owns its lifecycle: each change is decided by `decideCase` in rules.ts
 * and applied here, inside the caller's transaction (the allocation that opens it, the discharge
 * that closes it), so the case changes with the step that changed it or not at all.
 */
export class CasesService {
  constructor(
    private readonly db: Database,
    private readonly obligations: Pick<Obligations, 'start'>,
  ) {}

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

  /**
   * The referral hands the person over at allocation: the case opens inside the allocation's
   * transaction. The allocation's audit event names the case, so opening records none of its own
   * (one action, one event).
   */
  async open(tx: Queryable, input: NewCase): Promise<CaseRow> {
    const { at, ...command } = input;
    const decision = accepted(decideCase(null, { kind: 'open', ...command }, at));
    const opened = await store.insertCase(tx, await store.nextCaseReference(tx, at.getUTCFullYear()), decision.case);
    await this.apply(tx, opened, decision.events);
    return opened;
  }

  /**
   * Closes the case inside the caller's transaction, recorded as `case.closed`. The discharge journey
   * calls this once DCH-1 to DCH-4 are satisfied and checks them; this decides and records the closure.
   */
  async close(tx: Queryable, record: RecordEvent, input: { caseId: string; at: Date; reason: string }): Promise<CaseRow> {
    const current = await store.lockCase(tx, input.caseId);
    if (!current) throw notFound('CASES.NOT_FOUND', 'There is no case with that reference.');
    const decision = accepted(decideCase(current, { kind: 'close', reason: input.reason }, input.at));
    const closed = await store.saveTransition(tx, current.id, decision.case);
    await this.apply(tx, closed, decision.events);
    record({ action: 'case.closed', personId: closed.personId, subject: SUBJECT(closed.id), details: { reason: input.reason } });
    return closed;
  }

  /** The one place a decision's events become writes: the allocation, access through involvement, the clocks. */
  private async apply(tx: Queryable, row: CaseRow, events: CaseEvent[]) {
    for (const event of events) {
      switch (event.type) {
        case 'coordinator_allocated':
          await store.insertAllocation(tx, { caseId: row.id, userId: event.userId, reasons: event.reasons, considerations: [...event.considerations], allocatedAt: event.at, allocatedBy: event.by });
          break;
        case 'lead_agency_involved':
          await startInvolvement(tx, { personId: row.personId, agencyId: event.agencyId, teamId: event.teamId, role: 'lead_agency', source: SUBJECT(row.id), by: event.by, at: event.at });
          break;
        case 'case_meeting_required':
          await this.obligations.start(tx, {
            kind: 'case.meeting', ruleId: event.rule, title: event.title, subject: SUBJECT(row.id), personId: row.personId,
            owner: { kind: 'user', userId: event.ownerUserId, teamId: row.teamId, agencyId: row.agencyId }, dueAt: event.dueAt, createdBy: event.by,
          });
          break;
        case 'coordinator_role_ended':
          await store.endCurrentAllocation(tx, row.id, event.at);
          break;
        case 'involvements_ended':
          await endInvolvementsFrom(tx, SUBJECT(row.id), event.at, event.reason);
          await endInvolvementsFrom(tx, { type: 'referral', id: row.referralId }, event.at, event.reason);
          break;
      }
    }
  }
}

/** A refused change is a conflict with the case as it is; its code and message come from the rule. */
function accepted(decision: CaseDecision | CaseRefusal): CaseDecision {
  if (decision.refused) throw conflict(decision.code, decision.message);
  return decision;
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
