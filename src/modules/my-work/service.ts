import type { Actor } from '../../platform/access/actor.js';
import { auditActorOf } from '../../platform/access/actor.js';
import { hasPermission } from '../../platform/access/decide.js';
import { practises } from '../../platform/access/person-access.js';
import type { AuditTrail } from '../../platform/audit/trail.js';
import type { Clock } from '../../platform/clocks/clock.js';
import { DUE_SOON_MS, urgencyOf } from '../../platform/clocks/obligation-rules.js';
import type { ObligationRow, Obligations } from '../../platform/clocks/obligations.js';
import type { ObligationSubjects, Subject } from '../../platform/clocks/subjects.js';
import type { Database } from '../../platform/db/database.js';
import { CASE_STATE_NAMES } from '../cases/rules.js';
import type { CasesService } from '../cases/service.js';
import { CASE_SUBJECT } from '../cases/subject.js';
import type { PeopleService } from '../people/service.js';
import type { ReferralsService } from '../referrals/service.js';
import { REFERRAL_SUBJECT } from '../referrals/subject.js';
import { mostPressingFirst, matchesUrgency, QUEUES, REFERRAL_STAGES, type Deadline, type Queue, type Urgency, type WorkFilter, type WorkItem } from './rules.js';

export type Section = { queue: Queue; items: WorkItem[] };
export type Work = { asAt: Date; available: Queue[]; sections: Section[] };

type Dependencies = {
  db: Database;
  audit: AuditTrail;
  clock: Clock;
  obligations: Obligations;
  obligationSubjects: Pick<ObligationSubjects, 'describeAll'>;
  referrals: Pick<ReferralsService, 'dutyQueue' | 'allocationQueue'>;
  cases: Pick<CasesService, 'openCasesCoordinatedBy'>;
  people: Pick<PeopleService, 'visibleNames'>;
};

/** A row before its person and subject are read: only what the queues and clocks say. */
type Row = Omit<WorkItem, 'person' | 'subject' | 'priority'> & { personId: string | null; subject: Subject };

/**
 * Gathers the actor's queues from the services that own them (referrals, cases, clocks), keeps only
 * people whose record the actor may open (decided in SQL), and records each person shown as seen:
 * a coordinator can later find out who looked at a record from a work queue. What each row is about
 * (its reference, page and priority) is described by the module that owns its kind.
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
    const { db, audit, clock, obligations, obligationSubjects, referrals, people } = this.deps;
    const now = clock.now();
    const { queues: available, cases } = await this.available(actor);
    const shown = filter.kind.length ? available.filter((q) => filter.kind.includes(q)) : available;
    if (shown.length === 0) return { asAt: now, available, sections: [] };

    const duty = shown.includes('duty') ? await referrals.dutyQueue(actor) : [];
    const allocation = shown.includes('allocation') ? await referrals.allocationQueue(actor) : [];
    const referralIds = [...duty, ...allocation].map((r) => r.id);
    const caseIds = shown.includes('cases') ? cases.map((c) => c.id) : [];
    const clocks = groupBySubject([
      ...(await obligations.stillDueOn(db, actor, REFERRAL_SUBJECT, referralIds)),
      ...(await obligations.stillDueOn(db, actor, CASE_SUBJECT, caseIds)),
    ]);
    const near = shown.includes('deadlines')
      ? await obligations.openFor(db, actor, { teamIds: [actor.teamId], userId: actor.userId }, { dueBefore: new Date(now.getTime() + DUE_SOON_MS) })
      : [];

    const deadline = (o: ObligationRow): Deadline => ({
      id: o.id,
      kind: o.kind,
      ruleId: o.ruleId,
      title: o.title,
      dueAt: o.dueAt,
      urgency: urgencyOf(o, now) as Urgency,
      owner: o.ownerUserId === actor.userId ? 'you' : !o.ownerUserId && o.ownerTeamId === actor.teamId ? 'your team' : 'someone else',
    });
    const queued = (subject: Subject, personId: string, stage: string): Row => ({ personId, subject, stage, deadlines: (clocks.get(subject.id) ?? []).map(deadline) });
    const referralRow = (r: (typeof duty)[number]) => queued({ type: REFERRAL_SUBJECT, id: r.id }, r.personId, REFERRAL_STAGES[r.state] ?? r.state);
    const rows: Record<Queue, Row[]> = {
      duty: duty.map(referralRow),
      allocation: allocation.map(referralRow),
      cases: cases.map((c) => queued({ type: CASE_SUBJECT, id: c.id }, c.personId, CASE_STATE_NAMES[c.state])),
      deadlines: near.map((o) => ({
        personId: o.personId,
        subject: { type: o.subjectType, id: o.subjectId },
        stage: o.ownerUserId === actor.userId ? 'Yours' : 'Your team’s',
        deadlines: [deadline(o)],
      })),
    };

    return audit.read(auditActorOf(actor), async (tx, record) => {
      const wanted = shown.flatMap((q) => rows[q]);
      const names = await people.visibleNames(tx, actor, wanted.flatMap((r) => (r.personId ? [r.personId] : [])));
      const visible = (r: Row) => r.personId === null || names.has(r.personId);
      // Only the subjects of rows that are shown are described: one call per kind.
      const subjectOf = await obligationSubjects.describeAll(tx, actor, wanted.filter(visible).map((r) => r.subject));
      const sections = shown.map((queue) => ({
        queue,
        items: rows[queue]
          .filter(visible)
          .map(({ personId, subject, ...rest }): WorkItem => {
            const { priority, ...described } = subjectOf(subject);
            return { ...rest, subject: described, priority, person: personId ? { id: personId, name: names.get(personId)! } : null };
          })
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

function groupBySubject(rows: ObligationRow[]): Map<string, ObligationRow[]> {
  const bySubject = new Map<string, ObligationRow[]>();
  for (const row of [...rows].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())) bySubject.set(row.subjectId, [...(bySubject.get(row.subjectId) ?? []), row]);
  return bySubject;
}
