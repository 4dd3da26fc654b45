import type { Actor } from '../../platform/access/actor.js';
import { auditActorOf } from '../../platform/access/actor.js';
import { hasPermission } from '../../platform/access/decide.js';
import { practises } from '../../platform/access/person-access.js';
import type { AuditTrail } from '../../platform/audit/trail.js';
import type { Clock } from '../../platform/clocks/clock.js';
import { DUE_SOON_MS, urgencyOf } from '../../platform/clocks/obligation-rules.js';
import type { ObligationRow, Obligations } from '../../platform/clocks/obligations.js';
import type { Database } from '../../platform/db/database.js';
import { CASE_STATE_NAMES } from '../cases/rules.js';
import type { CasesService } from '../cases/service.js';
import type { PeopleService } from '../people/service.js';
import type { ReferralsService } from '../referrals/service.js';
import { mostPressingFirst, matchesUrgency, PRIORITIES, type Priority, QUEUES, REFERRAL_STAGES, type Deadline, type Queue, type Urgency, type WorkFilter, type WorkItem } from './rules.js';

export type Section = { queue: Queue; items: WorkItem[] };
export type Work = { asAt: Date; available: Queue[]; sections: Section[] };

type Dependencies = {
  db: Database;
  audit: AuditTrail;
  clock: Clock;
  obligations: Obligations;
  referrals: Pick<ReferralsService, 'dutyQueue' | 'allocationQueue'>;
  cases: Pick<CasesService, 'openCasesCoordinatedBy' | 'referencesOf'>;
  people: Pick<PeopleService, 'visibleNames'>;
};

type Row = Omit<WorkItem, 'person'> & { personId: string | null };

/**
 * Gathers the actor's queues from the services that own them (referrals, cases, clocks), keeps only
 * people whose record the actor may open (decided in SQL), and records each person shown as seen:
 * a coordinator can later find out who looked at a record from a work queue.
 */
export class MyWork {
  constructor(private readonly deps: Dependencies) {}

  /** The queues this actor works from: by permission, and "cases" for coordinators or anyone who holds cases. */
  async available(actor: Actor): Promise<{ queues: Queue[]; cases: Awaited<ReturnType<CasesService['openCasesCoordinatedBy']>> }> {
    if (!practises(actor)) return { queues: [], cases: [] };
    const cases = await this.deps.cases.openCasesCoordinatedBy(actor.userId);
    const has: Record<Queue, boolean> = {
      duty: hasPermission(actor, 'referrals.work'),
      allocation: hasPermission(actor, 'referrals.allocate'),
      cases: actor.roles.includes('care_coordinator') || cases.length > 0,
      deadlines: true,
    };
    return { queues: QUEUES.filter((q) => has[q]), cases };
  }

  async gather(actor: Actor, filter: WorkFilter): Promise<Work> {
    const { db, audit, clock, obligations, referrals, cases: caseService, people } = this.deps;
    const now = clock.now();
    const { queues: available, cases } = await this.available(actor);
    const shown = filter.kind.length ? available.filter((q) => filter.kind.includes(q)) : available;
    if (shown.length === 0) return { asAt: now, available, sections: [] };

    // Every queue the actor has is read (not only those shown), so a deadline row can name its referral.
    const duty = available.includes('duty') ? await referrals.dutyQueue(actor) : [];
    const allocation = available.includes('allocation') ? await referrals.allocationQueue(actor) : [];
    const referralReferences = new Map([...duty, ...allocation].map((r) => [r.id, r.reference]));
    const referralPriorities = new Map([...duty, ...allocation].map((r) => [r.id, priorityOf(r.category ?? r.suggestedCategory)]));
    const clocks = groupBySubject([
      ...(await obligations.stillDueOn(db, actor, 'referral', [...referralReferences.keys()])),
      ...(await obligations.stillDueOn(db, actor, 'case', cases.map((c) => c.id))),
    ]);
    const near = shown.includes('deadlines')
      ? await obligations.openFor(db, actor, { teamIds: [actor.teamId], userId: actor.userId }, { dueBefore: new Date(now.getTime() + DUE_SOON_MS) })
      : [];
    const caseReferences = new Map(cases.map((c) => [c.id, c.reference]));
    const unknownCases = near.filter((o) => o.subjectType === 'case' && !caseReferences.has(o.subjectId)).map((o) => o.subjectId);
    for (const [id, reference] of await caseService.referencesOf(unknownCases)) caseReferences.set(id, reference);

    const deadline = (o: ObligationRow): Deadline => ({
      id: o.id,
      kind: o.kind,
      ruleId: o.ruleId,
      title: o.title,
      dueAt: o.dueAt,
      urgency: urgencyOf(o, now) as Urgency,
      owner: o.ownerUserId === actor.userId ? 'you' : !o.ownerUserId && o.ownerTeamId === actor.teamId ? 'your team' : 'someone else',
    });
    const referralRow = (r: (typeof duty)[number]): Row => ({
      personId: r.personId,
      subject: { type: 'referral', id: r.id, reference: r.reference },
      stage: REFERRAL_STAGES[r.state] ?? r.state,
      priority: referralPriorities.get(r.id) ?? null,
      deadlines: (clocks.get(r.id) ?? []).map(deadline),
    });
    const rows: Record<Queue, Row[]> = {
      duty: duty.map(referralRow),
      allocation: allocation.map(referralRow),
      cases: cases.map((c) => ({
        personId: c.personId,
        subject: { type: 'case', id: c.id, reference: c.reference },
        stage: CASE_STATE_NAMES[c.state],
        priority: null,
        deadlines: (clocks.get(c.id) ?? []).map(deadline),
      })),
      deadlines: near.map((o) => ({
        personId: o.personId,
        subject: {
          type: o.subjectType === 'case' ? 'case' : 'referral',
          id: o.subjectId,
          reference: (o.subjectType === 'case' ? caseReferences : referralReferences).get(o.subjectId) ?? null,
        },
        stage: o.ownerUserId === actor.userId ? 'Yours' : 'Your team’s',
        priority: o.subjectType === 'referral' ? (referralPriorities.get(o.subjectId) ?? null) : null,
        deadlines: [deadline(o)],
      })),
    };

    return audit.read(auditActorOf(actor), async (tx, record) => {
      const wanted = shown.flatMap((q) => rows[q]);
      const names = await people.visibleNames(tx, actor, wanted.flatMap((r) => (r.personId ? [r.personId] : [])));
      const sections = shown.map((queue) => ({
        queue,
        items: rows[queue]
          .filter((r) => r.personId === null || names.has(r.personId))
          .map(({ personId, ...rest }): WorkItem => ({ ...rest, person: personId ? { id: personId, name: names.get(personId)! } : null }))
          .filter((item) => matchesUrgency(item, filter.urgency))
          .sort(mostPressingFirst),
      }));
      const seen = new Map<string, Set<Queue>>();
      for (const section of sections) {
        for (const item of section.items) if (item.person) seen.set(item.person.id, (seen.get(item.person.id) ?? new Set()).add(section.queue));
      }
      for (const [personId, queues] of seen) {
        record({ action: 'work.viewed', personId, subject: { type: 'person', id: personId }, details: { queues: [...queues] } });
      }
      return { asAt: now, available, sections };
    });
  }
}

const priorityOf = (category: string | null): Priority | null => (PRIORITIES as readonly string[]).includes(category ?? '') ? (category as Priority) : null;

function groupBySubject(rows: ObligationRow[]): Map<string, ObligationRow[]> {
  const bySubject = new Map<string, ObligationRow[]>();
  for (const row of [...rows].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())) bySubject.set(row.subjectId, [...(bySubject.get(row.subjectId) ?? []), row]);
  return bySubject;
}
