import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/access/actor.js';
import { auditActorOf } from '../../platform/access/actor.js';
import type { AccessGuard } from '../../platform/access/guard.js';
import type { RecordOpener } from '../../platform/access/open-record.js';
import type { AccessMoment } from '../../platform/access/person-access.js';
import { canSeeItem } from '../../platform/access/person-filter.js';
import type { AuditTrail } from '../../platform/audit/trail.js';
import type { Clock } from '../../platform/clocks/clock.js';
import type { Database } from '../../platform/db/database.js';
import { conflict, notFound } from '../../platform/errors.js';
import { parseOrThrow } from '../../platform/validation.js';
import { escalationSchema, escalationStepRefusal, escalationStepSchema } from './rules.js';
import type { InformationEscalation } from './schema.js';
import { informationEscalation } from './schema.js';
import type { RecordHeading } from './service.js';
import type { DirectoryService } from '../directory/service.js';
import * as store from './store.js';

/** One difficulty getting information, with its steps oldest first. */
export type Difficulty = { id: string; heldBy: string; informationSought: string; resolved: boolean; steps: (InformationEscalation & { recordedByName: string })[] };

/**
 * ASSESS-6: difficulty getting information from another agency, escalated step by step (supervisor,
 * manager, onward) until resolved, each step recorded with its answer. Steps are entries held as
 * "other notes" by the agency that recorded them, read through the one access decision.
 */
export class EscalationsService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditTrail,
    private readonly guard: AccessGuard,
    private readonly clock: Clock,
    private readonly openPersonRecord: RecordOpener,
    private readonly directory: Pick<DirectoryService, 'namesFor'>,
  ) {}

  private visible(actor: Actor, at: AccessMoment) {
    const e = informationEscalation;
    return canSeeItem(actor, { personId: e.personId, category: 'notes', owningAgencyId: e.owningAgencyId, entryId: e.id }, at);
  }

  private async open(actor: Actor, personId: string, attempted?: string) {
    const opened = await this.openPersonRecord(actor, personId, { section: 'assessments', ...(attempted ? { attempted } : {}) });
    const record: RecordHeading = { id: personId, name: opened.name, via: opened.access.via, expiresAt: opened.access.expiresAt ?? null };
    return { record, at: opened.at };
  }

  /** The person's difficulties the reader may see, newest first; the read is recorded. */
  async list(actor: Actor, personId: string): Promise<{ record: RecordHeading; difficulties: Difficulty[] }> {
    await this.guard.require(actor, 'people.view');
    const { record, at } = await this.open(actor, personId);
    return this.audit.read(auditActorOf(actor), async (tx, audit) => {
      const steps = await store.escalationsOf(tx, personId, this.visible(actor, at));
      const { users } = await this.directory.namesFor({ userIds: steps.map((s) => s.recordedBy) }, tx);
      const difficulties = linesOf(steps.map((s) => ({ ...s, recordedByName: users.get(s.recordedBy)?.name ?? 'Unknown' })));
      audit({ action: 'assessment.escalations_viewed', personId, subject: { type: 'person', id: personId }, details: { difficulties: difficulties.length } });
      return { record, difficulties };
    });
  }

  /** The form for a new difficulty or its next step; showing it is recorded as a read. */
  async forEscalation(actor: Actor, personId: string, difficultyId: string | null) {
    await this.guard.require(actor, 'assessments.record');
    const { record, at } = await this.open(actor, personId);
    const steps = difficultyId ? await store.difficultyOf(this.db, personId, difficultyId, this.visible(actor, at)) : [];
    const difficulty = linesOf(steps.map((s) => ({ ...s, recordedByName: '' })))[0];
    if (difficultyId && !difficulty) throw notFound('ASSESSMENTS.DIFFICULTY_NOT_FOUND', 'There is no such difficulty getting information.');
    await this.audit.recordNow(auditActorOf(actor), { action: 'person.viewed', personId, subject: { type: 'person', id: personId }, details: { purpose: 'escalation' } });
    return { record, difficulty: difficulty ?? null };
  }

  /** Records a difficulty and its first step (to a supervisor or manager). */
  async escalate(actor: Actor, personId: string, input: unknown): Promise<InformationEscalation> {
    await this.guard.require(actor, 'assessments.record');
    await this.open(actor, personId, 'escalate difficulty getting information');
    const values = parseOrThrow(escalationSchema, input, 'ASSESSMENTS.ESCALATION_INVALID');
    this.refuseStep([], values.step);
    return this.audit.transaction(auditActorOf(actor), async (tx, audit) => {
      const id = randomUUID();
      const step = await store.insertEscalation(tx, { id, difficultyId: id, position: 1, personId, ...values, resolved: values.resolved === 'yes', ...this.signature(actor) });
      audit({ action: 'assessment.escalated', personId, subject: { type: 'information_escalation', id }, details: { step: step.step, resolved: step.resolved } });
      return step;
    });
  }

  /** Records the next step of a difficulty: further up the ladder, never back down, and not once resolved. */
  async escalateFurther(actor: Actor, personId: string, difficultyId: string, input: unknown): Promise<InformationEscalation> {
    await this.guard.require(actor, 'assessments.record');
    const { at } = await this.open(actor, personId, 'escalate difficulty getting information');
    const values = parseOrThrow(escalationStepSchema, input, 'ASSESSMENTS.ESCALATION_INVALID');
    return this.audit.transaction(auditActorOf(actor), async (tx, audit) => {
      const line = await store.difficultyOf(tx, personId, difficultyId, this.visible(actor, at));
      const first = line[0];
      // Only the agency that raised it takes it further: to another agency it does not exist.
      if (!first || first.owningAgencyId !== actor.agencyId) throw notFound('ASSESSMENTS.DIFFICULTY_NOT_FOUND', 'There is no such difficulty getting information.');
      this.refuseStep(line, values.step);
      const id = randomUUID();
      const step = await store.insertEscalation(tx, {
        id, difficultyId, position: line.length + 1, personId, heldBy: first.heldBy, informationSought: first.informationSought, ...values, resolved: values.resolved === 'yes', ...this.signature(actor),
      }).catch((error: unknown) => {
        // The unique position settles two people taking the same next step at once.
        if (isUniqueViolation(error)) throw conflict('ASSESSMENTS.ESCALATION_STEP', 'Someone has just recorded the next step: reload the page to see it.');
        throw error;
      });
      audit({ action: 'assessment.escalated', personId, subject: { type: 'information_escalation', id }, details: { difficultyId, step: step.step, resolved: step.resolved } });
      return step;
    });
  }

  private refuseStep(line: readonly { step: InformationEscalation['step']; resolved: boolean }[], step: InformationEscalation['step']) {
    const refusal = escalationStepRefusal(line, step);
    if (refusal) throw conflict('ASSESSMENTS.ESCALATION_STEP', refusal, [{ field: 'step', message: refusal }]);
  }

  private signature(actor: Actor) {
    return { owningAgencyId: actor.agencyId, teamId: actor.teamId, recordedBy: actor.userId, recordedAt: this.clock.now() };
  }
}

/** PostgreSQL's unique_violation, as node-postgres reports it (Drizzle wraps it as the cause). */
const isUniqueViolation = (error: unknown) => [error, (error as { cause?: unknown })?.cause].some((e) => (e as { code?: string } | undefined)?.code === '23505');

/** Steps grouped by difficulty, in the order read (the store's: latest-touched first, each one's steps in order). */
function linesOf(steps: readonly Difficulty['steps'][number][]): Difficulty[] {
  const byDifficulty = new Map<string, Difficulty['steps']>();
  for (const step of steps) byDifficulty.set(step.difficultyId, [...(byDifficulty.get(step.difficultyId) ?? []), step]);
  return [...byDifficulty.entries()]
    .map(([id, line]) => ({ id, heldBy: line[0]!.heldBy, informationSought: line[0]!.informationSought, resolved: line.at(-1)!.resolved, steps: line }));
}
