import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/access/actor.js';
import { auditActorOf } from '../../platform/access/actor.js';
import type { AccessGuard } from '../../platform/access/guard.js';
import type { RecordOpener } from '../../platform/access/open-record.js';
import { decideItemAccess, PRACTICE_ROLES, type AccessMoment } from '../../platform/access/person-access.js';
import type { AuditTrail } from '../../platform/audit/trail.js';
import type { Clock } from '../../platform/clocks/clock.js';
import type { ObligationRow, Obligations } from '../../platform/clocks/obligations.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import type { EntryKinds } from '../../platform/records/entries.js';
import type { DirectoryService } from '../directory/service.js';
import { RISK_REVIEW, riskReviewEntries } from './entry.js';
import { checkEscalation, ladderApplies, nextOnLadder } from './escalation-rules.js';
import { checkReview, dutiesToStart } from './rules.js';
import type { RiskEscalation, RiskReview, StoredAction } from './schema.js';
import * as store from './store.js';

/** The record a risk page belongs to, as the record frame shows it. */
export type RecordHeading = { id: string; name: string; via: string; expiresAt: Date | null };

/** A review with its signature in words. */
export type ReviewShown = RiskReview & { authorName: string; teamName: string; agencyName: string };

/** A step of the escalation ladder with who recorded it, in words. */
export type EscalationShown = RiskEscalation & { authorName: string };

/** A deadline a review started, as its page shows it. */
export type DeadlineShown = Pick<ObligationRow, 'id' | 'kind' | 'ruleId' | 'title' | 'dueAt' | 'state'>;

/** An item owned by some other agency: what the decision says about other agencies' risk reviews. */
const ANOTHER_AGENCY = '00000000-0000-0000-0000-000000000000';

const LATE_REASON_MAX = 1000;

/** The reason for a delay, as typed; too long is refused before anything is read. */
function lateReasonOf(input: unknown): string | null {
  const value = (input as { lateReason?: unknown } | null)?.lateReason;
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length > LATE_REASON_MAX) {
    throw invalid('RISK.LATE_REASON_INVALID', [{ field: 'lateReason', message: `The reason for the delay must be ${LATE_REASON_MAX.toLocaleString('en-GB')} characters or fewer` }]);
  }
  return text || null;
}

export const REVIEW_NOT_FOUND = 'There is no risk review with that reference.';

/**
 * Risk reviews of a person (RISK-1, RISK-2, RISK-6 to RISK-9): the eight considerations answered, their
 * guided actions recorded, the level of risk with its evidence, and the deadlines for what must still be
 * done. Each review is an entry of category risk owned by the author's agency, so the one access
 * decision shares or hides it; lists apply that decision in SQL.
 */
export class RiskService {
  constructor(
    private readonly deps: {
      db: Database;
      audit: AuditTrail;
      guard: AccessGuard;
      clock: Clock;
      openRecord: RecordOpener;
      obligations: Obligations;
      entryKinds: Pick<EntryKinds, 'visibleTo'>;
      directory: Pick<DirectoryService, 'namesFor'>;
    },
  ) {}

  private visible(actor: Actor, at: AccessMoment) {
    return this.deps.entryKinds.visibleTo(riskReviewEntries, actor, at);
  }

  private async open(actor: Actor, personId: string, attempted?: string) {
    const opened = await this.deps.openRecord(actor, personId, { section: 'risk', ...(attempted ? { attempted } : {}) });
    const record: RecordHeading = { id: personId, name: opened.name, via: opened.access.via, expiresAt: opened.access.expiresAt ?? null };
    // CON-5: whether other agencies' reviews are kept from this reader, and why; never how many.
    const other = decideItemAccess(actor, opened.facts, { category: 'risk', owningAgencyId: ANOTHER_AGENCY }, opened.at).via;
    const withheld = other === 'no_consent' || other === 'restricted' ? other : null;
    return { record, at: opened.at, withheld };
  }

  /** The person's risk over time (RISK-1): every review the actor may see, oldest first. The read is recorded. */
  async history(actor: Actor, personId: string) {
    await this.deps.guard.require(actor, 'people.view');
    const opened = await this.open(actor, personId);
    return this.deps.audit.read(auditActorOf(actor), async (tx, record) => {
      const reviews = await this.shown(tx, await store.reviewsOf(tx, personId, this.visible(actor, opened.at)));
      record({ action: 'risk.viewed', personId, subject: { type: 'person', id: personId }, details: { reviews: reviews.length } });
      return { record: opened.record, reviews, withheld: opened.withheld };
    });
  }

  /** One review with the deadlines it started; one the actor may not see answers as one that does not exist. */
  async review(actor: Actor, personId: string, reviewId: string) {
    await this.deps.guard.require(actor, 'people.view');
    const opened = await this.open(actor, personId);
    return this.deps.audit.read(auditActorOf(actor), async (tx, record) => {
      const row = await store.reviewOf(tx, personId, reviewId, this.visible(actor, opened.at));
      if (!row) throw notFound('RISK.REVIEW_NOT_FOUND', REVIEW_NOT_FOUND);
      const [review] = await this.shown(tx, [row]);
      const deadlines: DeadlineShown[] = (await this.deps.obligations.forSubject(tx, { type: RISK_REVIEW, id: reviewId })).map(({ id, kind, ruleId, title, dueAt, state }) => ({ id, kind, ruleId, title, dueAt, state }));
      record({ action: 'risk.viewed', personId, subject: { type: RISK_REVIEW, id: reviewId }, details: { reviews: 1 } });
      return { record: opened.record, review: review!, deadlines };
    });
  }

  /** What the new-review form shows: the person's name. Showing it is recorded as a read. */
  async forNewReview(actor: Actor, personId: string) {
    await this.deps.guard.require(actor, 'risk.record');
    const { record } = await this.open(actor, personId);
    await this.deps.audit.recordNow(auditActorOf(actor), { action: 'person.viewed', personId, subject: { type: 'person', id: personId }, details: { purpose: 'new risk review' } });
    return { record };
  }

  /**
   * Completes a risk review (RISK-1, RISK-2): refused, with nothing written, unless every consideration is
   * answered and every guided action recorded. Each action someone must still do (a POVA or IMCA referral,
   * child protection, a MAPPA referral…) becomes a deadline owned by the author, with its rule ID.
   */
  async complete(actor: Actor, personId: string, input: unknown) {
    await this.deps.guard.require(actor, 'risk.record');
    await this.open(actor, personId, 'complete a risk review');
    const checked = checkReview(input);
    if ('problems' in checked) {
      throw invalid('RISK.REVIEW_INCOMPLETE', checked.problems, 'Answer every consideration and record every guided action before completing the review.');
    }
    const { review } = checked;
    const signature = this.signature(actor);
    return this.deps.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const id = randomUUID();
      const obligationOf = new Map<string, string>();
      for (const duty of dutiesToStart(review, signature.recordedAt)) {
        const started = await this.deps.obligations.start(tx, {
          kind: duty.kind,
          ruleId: duty.ruleId,
          title: duty.title,
          subject: { type: RISK_REVIEW, id },
          personId,
          owner: { kind: 'user', userId: actor.userId, teamId: actor.teamId, agencyId: actor.agencyId },
          dueAt: duty.dueAt,
          createdBy: actor.userId,
        });
        for (const actionId of duty.actionIds) obligationOf.set(actionId, started.id);
      }
      const actions: StoredAction[] = review.actions.map((a) => ({ id: a.id, consideration: a.consideration, text: a.text, status: a.status, note: a.note, obligationId: obligationOf.get(a.id) ?? null }));
      const row = await store.insertReview(tx, { id, personId, ...signature, level: review.level, evidence: review.evidence, mappaLevel: review.mappaLevel, answers: review.answers, followUps: review.followUps, actions });
      record({
        action: 'risk.review_completed',
        personId,
        subject: { type: RISK_REVIEW, id },
        details: { level: review.level, mappaLevel: review.mappaLevel, deadlines: [...new Set(obligationOf.values())] },
      });
      return row;
    });
  }

  /**
   * Records that an action a review left to do has been done (a POVA referral made, say): its deadline is
   * met, late with the reason for the delay if past due. The review itself is never changed: its page
   * shows the deadline's state. Only the agency that owns the review closes its deadlines.
   */
  async meetDeadline(actor: Actor, personId: string, reviewId: string, obligationId: string, input: unknown) {
    await this.deps.guard.require(actor, 'risk.record');
    const opened = await this.open(actor, personId, 'record a risk review deadline met');
    const lateReason = lateReasonOf(input);
    return this.deps.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const review = await store.reviewOf(tx, personId, reviewId, this.visible(actor, opened.at));
      const deadline = review && (await this.deps.obligations.forSubject(tx, { type: RISK_REVIEW, id: reviewId })).find((o) => o.id === obligationId);
      if (!review || !deadline) throw notFound('RISK.DEADLINE_NOT_FOUND', 'There is no deadline with that reference on this risk review.');
      if (review.owningAgencyId !== actor.agencyId) throw forbidden('RISK.NOT_OWNER', 'Only the agency that completed the risk review can record its actions done.');
      const met = await this.deps.obligations.meet(tx, obligationId, actor.userId, lateReason);
      record({ action: 'risk.deadline_met', personId, subject: { type: 'obligation', id: obligationId }, details: { review: reviewId, ruleId: met.ruleId, late: met.late } });
      return met;
    });
  }

  /** A review's escalation ladder (RISK-7) so far and the step it allows next; the read is recorded. */
  async escalation(actor: Actor, personId: string, reviewId: string) {
    await this.deps.guard.require(actor, 'people.view');
    const opened = await this.open(actor, personId);
    return this.deps.audit.read(auditActorOf(actor), async (tx, record) => {
      const row = await store.reviewOf(tx, personId, reviewId, this.visible(actor, opened.at));
      if (!row) throw notFound('RISK.REVIEW_NOT_FOUND', REVIEW_NOT_FOUND);
      const [review] = await this.shown(tx, [row]);
      const rows = await store.escalationsOf(tx, reviewId);
      const names = await this.deps.directory.namesFor({ userIds: rows.map((r) => r.authorId) }, tx);
      const steps: EscalationShown[] = rows.map((r) => ({ ...r, authorName: names.users.get(r.authorId)?.name ?? 'Unknown' }));
      record({ action: 'risk.viewed', personId, subject: { type: RISK_REVIEW, id: reviewId }, details: { escalationSteps: steps.length } });
      return { record: opened.record, review: review!, applies: ladderApplies(row), steps, next: nextOnLadder(rows) };
    });
  }

  /**
   * Records the next step of escalating a concern about children that has not been acted on (RISK-7):
   * raised with the Senior / Principal Practitioner and line manager, their answer, then (if they could
   * not progress it) the Head of Service and theirs. Only the step the ladder allows is recorded; two
   * people recording at once take turns on the review's row, so neither step is lost or doubled.
   */
  async escalate(actor: Actor, personId: string, reviewId: string, input: unknown) {
    await this.deps.guard.require(actor, 'risk.record');
    const opened = await this.open(actor, personId, 'record a risk escalation step');
    const signature = this.signature(actor);
    return this.deps.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const review = await store.reviewOf(tx, personId, reviewId, this.visible(actor, opened.at));
      if (!review) throw notFound('RISK.REVIEW_NOT_FOUND', REVIEW_NOT_FOUND);
      if (review.owningAgencyId !== actor.agencyId) throw forbidden('RISK.NOT_OWNER', 'Only the agency that completed the risk review can escalate from it.');
      if (!ladderApplies(review)) throw conflict('RISK.LADDER_NOT_APPLICABLE', 'This review found no risk to children and no children about the home, so there is nothing to escalate from it.');
      await store.lockReview(tx, reviewId);
      const climbed = await store.escalationsOf(tx, reviewId);
      const checked = checkEscalation(climbed, input);
      if ('problems' in checked) {
        if (checked.refusal) throw conflict('RISK.LADDER_ENDED', checked.refusal);
        throw invalid('RISK.ESCALATION_INVALID', checked.problems);
      }
      const { step } = checked;
      const row = await store.insertEscalation(tx, {
        id: randomUUID(), reviewId, position: climbed.length, personId, ...signature, kind: step.kind, step: step.step, text: step.text,
        raisedWith: step.kind === 'raised' ? step.raisedWith : null, outcome: step.kind === 'answered' ? step.outcome : null,
      });
      record({ action: 'risk.escalation_recorded', personId, subject: { type: RISK_REVIEW, id: reviewId }, details: { kind: step.kind, step: step.step, ...(step.kind === 'answered' ? { outcome: step.outcome } : {}) } });
      return row;
    });
  }

  private signature(actor: Actor) {
    const role = actor.roles.find((r) => PRACTICE_ROLES.includes(r));
    // risk.record is held by practice roles only; a signature without one would be a wiring mistake.
    if (!role) throw forbidden('RISK.NO_PRACTICE_ROLE', 'Your role does not include completing risk reviews.');
    return { owningAgencyId: actor.agencyId, teamId: actor.teamId, authorId: actor.userId, authorRole: role, recordedAt: this.deps.clock.now() };
  }

  private async shown(db: Queryable, rows: RiskReview[]): Promise<ReviewShown[]> {
    const names = await this.deps.directory.namesFor({ userIds: rows.map((r) => r.authorId), teamIds: rows.map((r) => r.teamId), agencyIds: rows.map((r) => r.owningAgencyId) }, db);
    return rows.map((r) => ({
      ...r,
      authorName: names.users.get(r.authorId)?.name ?? 'Unknown',
      teamName: names.teams.get(r.teamId)?.name ?? 'Unknown team',
      agencyName: names.agencies.get(r.owningAgencyId)?.name ?? 'Unknown agency',
    }));
  }
}
