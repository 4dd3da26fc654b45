import { momentOf } from '../access/facts.js';
import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Actor } from '../access/actor.js';
import { canSeeRecord } from '../access/person-filter.js';
import type { Clock } from './clock.js';
import type { Database, Queryable } from '../db/database.js';
import { conflict, notFound } from '../errors.js';
import { meet, waive, type Owner } from './obligation-rules.js';
import { obligation } from './schema.js';
import type { ObligationSubjects } from './subjects.js';

export type ObligationRow = typeof obligation.$inferSelect;

export type NewObligation = {
  kind: string;
  ruleId: string;
  title: string;
  subject: { type: string; id: string };
  personId?: string | null;
  owner: Owner;
  dueAt: Date;
  createdBy?: string | null;
};

const STILL_DUE = ['open', 'breached'] as const;

/** The clocks every module starts, meets and waives, inside the caller's transaction. */
export class Obligations {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly subjects: Pick<ObligationSubjects, 'requireRegistered'>,
  ) {}

  /** Starts a deadline; its subject's kind must be registered, so every list can show what it is about. */
  async start(tx: Queryable, input: NewObligation): Promise<ObligationRow> {
    this.subjects.requireRegistered(input.subject.type);
    const [row] = await tx
      .insert(obligation)
      .values({
        kind: input.kind,
        ruleId: input.ruleId,
        title: input.title,
        subjectType: input.subject.type,
        subjectId: input.subject.id,
        personId: input.personId ?? null,
        ownerUserId: input.owner.kind === 'user' ? input.owner.userId : null,
        ownerTeamId: input.owner.kind === 'agency' ? null : input.owner.teamId,
        ownerAgencyId: input.owner.agencyId,
        dueAt: input.dueAt,
        createdAt: this.clock.now(),
        createdBy: input.createdBy ?? null,
      })
      .returning();
    return row!;
  }

  private async load(tx: Queryable, id: string): Promise<ObligationRow> {
    const [row] = await tx.select().from(obligation).where(eq(obligation.id, id)).for('update').limit(1);
    if (!row) throw notFound('CLOCK.NOT_FOUND', 'There is no deadline with that reference.');
    return row;
  }

  async meet(tx: Queryable, id: string, by: string | null, lateReason: string | null = null): Promise<ObligationRow> {
    const row = await this.load(tx, id);
    const now = this.clock.now();
    const decision = meet(row, now, lateReason);
    if (decision.refused) throw conflict(`CLOCK.${decision.rule}`, decision.message, [{ field: 'lateReason', message: decision.message }]);
    const [updated] = await tx
      .update(obligation)
      .set({ state: 'met', closedAt: now, closedBy: by, late: decision.value.late, reason: decision.value.lateReason })
      .where(eq(obligation.id, id))
      .returning();
    return updated!;
  }

  async waive(tx: Queryable, id: string, by: string | null, reason: string): Promise<ObligationRow> {
    const row = await this.load(tx, id);
    const decision = waive(row, reason);
    if (decision.refused) throw conflict(`CLOCK.${decision.rule}`, decision.message, [{ field: 'reason', message: decision.message }]);
    const [updated] = await tx
      .update(obligation)
      .set({ state: 'waived', closedAt: this.clock.now(), closedBy: by, reason: decision.value.reason })
      .where(eq(obligation.id, id))
      .returning();
    return updated!;
  }

  /** Closes every still-due obligation of a kind on a subject (e.g. when a referral moves on). */
  async meetAllFor(tx: Queryable, subject: { type: string; id: string }, kinds: string[], by: string | null): Promise<number> {
    if (kinds.length === 0) return 0;
    const now = this.clock.now();
    const rows = await tx
      .update(obligation)
      .set({ state: 'met', closedAt: now, closedBy: by, late: sql`${obligation.dueAt} < ${now.toISOString()}::timestamptz` })
      .where(and(eq(obligation.subjectType, subject.type), eq(obligation.subjectId, subject.id), inArray(obligation.kind, kinds), inArray(obligation.state, [...STILL_DUE])))
      .returning({ id: obligation.id });
    return rows.length;
  }

  async forSubject(db: Queryable, subject: { type: string; id: string }): Promise<ObligationRow[]> {
    return db
      .select()
      .from(obligation)
      .where(and(eq(obligation.subjectType, subject.type), eq(obligation.subjectId, subject.id)))
      .orderBy(asc(obligation.dueAt));
  }

  /**
   * Still-due obligations owned by this user, or by one of these teams as a whole, earliest first,
   * optionally only those due before a time (the "near or passed" of a work queue). A deadline about
   * a person the actor may not see is left out in SQL, so it never shows in a list or a count.
   */
  async openFor(db: Queryable, actor: Actor, owners: { teamIds: string[]; userId: string | null }, options: { dueBefore?: Date; limit?: number } = {}): Promise<ObligationRow[]> {
    const owned = [
      owners.userId ? eq(obligation.ownerUserId, owners.userId) : undefined,
      owners.teamIds.length ? and(inArray(obligation.ownerTeamId, owners.teamIds), isNull(obligation.ownerUserId)) : undefined,
    ].filter((c) => c !== undefined);
    if (owned.length === 0) return [];
    return db
      .select()
      .from(obligation)
      .where(and(inArray(obligation.state, [...STILL_DUE]), or(...owned), options.dueBefore ? lt(obligation.dueAt, options.dueBefore) : undefined, this.visibleTo(actor)))
      .orderBy(asc(obligation.dueAt))
      .limit(options.limit ?? 200);
  }

  /** Still-due obligations on these subjects (e.g. the referrals on a queue), earliest first, for people the actor may see. */
  async stillDueOn(db: Queryable, actor: Actor, subjectType: string, subjectIds: string[]): Promise<ObligationRow[]> {
    if (subjectIds.length === 0) return [];
    return db
      .select()
      .from(obligation)
      .where(and(eq(obligation.subjectType, subjectType), inArray(obligation.subjectId, subjectIds), inArray(obligation.state, [...STILL_DUE]), this.visibleTo(actor)))
      .orderBy(asc(obligation.dueAt));
  }

  /** A deadline about nobody in particular (a file audit, say) is visible to its owners; one about a person follows the record. */
  private visibleTo(actor: Actor) {
    return or(isNull(obligation.personId), canSeeRecord(actor, obligation.personId, momentOf(this.clock)));
  }

  /**
   * Open obligations past due become breached, in one statement: safe however many workers run it.
   * They stay on every queue, now marked overdue, until met (with a reason) or waived.
   */
  async markBreached(): Promise<number> {
    const now = this.clock.now();
    const rows = await this.db
      .update(obligation)
      .set({ state: 'breached', breachedAt: now })
      .where(and(eq(obligation.state, 'open'), lt(obligation.dueAt, now)))
      .returning({ id: obligation.id });
    return rows.length;
  }
}
