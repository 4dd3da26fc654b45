import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/access/actor.js';
import { auditActorOf } from '../../platform/access/actor.js';
import type { AccessGuard } from '../../platform/access/guard.js';
import type { OpenedRecord, RecordOpener } from '../../platform/access/open-record.js';
import { decideItemAccess, PRACTICE_ROLES, type AccessMoment } from '../../platform/access/person-access.js';
import { canSeeItem } from '../../platform/access/person-filter.js';
import type { InformationCategory } from '../../platform/access/sharing-terms.js';
import type { AuditTrail } from '../../platform/audit/trail.js';
import type { Clock } from '../../platform/clocks/clock.js';
import type { Obligations } from '../../platform/clocks/obligations.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import { conflict, forbidden, invalid, notFound, type FieldError } from '../../platform/errors.js';
import { parseOrThrow } from '../../platform/validation.js';
import {
  agreementSchema, clockOnCompletion, CLOCKS_MET_BY, completionProblems, DOMAINS, domainProblems, domainSchema, domainState, isDomainKey,
  outcomeProblems, outcomeSchema, outcomeState, readVersion, type DomainAnswer, type DomainKey, type Outcome, type SectionState,
} from './rules.js';
import { assessment, type Assessment, type AssessmentDraft } from './schema.js';
import * as store from './store.js';
import { ASSESSMENT_SUBJECT } from './subject.js';

/** The record an assessment page belongs to, as the record frame shows it. */
export type RecordHeading = { id: string; name: string; via: string; expiresAt: Date | null };

/** The section of a completed assessment that holds its outcome (ASSESS-3); the rest are domain keys. */
export const OUTCOME_SECTION = 'outcome';
const OUTCOME_CATEGORY: InformationCategory = 'care_plan';

export type DraftShown = AssessmentDraft & {
  sections: { key: DomainKey; name: string; state: SectionState }[];
  outcomeState: SectionState;
  mine: boolean;
};

/** A part of a completed assessment the reader may not see: which, under what category, and why (never what it says). */
export type HiddenSection = { section: string; category: InformationCategory; why: 'no_consent' | 'restricted' };

export type AssessmentShown = Assessment & {
  domains: { key: DomainKey; name: string; category: InformationCategory; answer: DomainAnswer | null; hidden: HiddenSection | null }[];
  outcome: Outcome | null;
  outcomeHidden: HiddenSection | null;
};

export type SaveMode = 'continue' | 'later';

/**
 * The holistic assessment (ASSESS-1 … ASSESS-5, REC-2, NOTE-3). A draft is its team's working copy,
 * saved page by page under a version count; completing it signs it and makes it an entry, whose domains
 * are items each under its own information category, so an agency reads only the domains it may (CON-2).
 */
export class AssessmentsService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditTrail,
    private readonly guard: AccessGuard,
    private readonly clock: Clock,
    private readonly openPersonRecord: RecordOpener,
    private readonly obligations: Pick<Obligations, 'start' | 'meetAllFor'>,
  ) {}

  private async open(actor: Actor, personId: string, attempted?: string): Promise<{ record: RecordHeading; opened: OpenedRecord }> {
    const opened = await this.openPersonRecord(actor, personId, { section: 'assessments', ...(attempted ? { attempted } : {}) });
    return { record: { id: personId, name: opened.name, via: opened.access.via, expiresAt: opened.access.expiresAt ?? null }, opened };
  }

  /** That an assessment exists, who signed it and when: shared like basic details with every agency that opens the record. */
  private headerVisible(actor: Actor, at: AccessMoment) {
    return canSeeItem(actor, { personId: assessment.personId, category: 'basic_details', owningAgencyId: assessment.owningAgencyId, entryId: assessment.id }, at);
  }

  private itemsVisible(actor: Actor, at: AccessMoment): store.VisibleItem {
    return (item) => canSeeItem(actor, { personId: item.personId, category: item.category, owningAgencyId: item.owningAgencyId }, at);
  }

  /** The completed assessments the reader may know of, and (for those who assess) their team's drafts; the read is recorded. */
  async list(actor: Actor, personId: string) {
    await this.guard.require(actor, 'people.view');
    const { record, opened } = await this.open(actor, personId);
    return this.audit.read(auditActorOf(actor), async (tx, audit) => {
      const assessments = await store.assessmentsOf(tx, personId, this.headerVisible(actor, opened.at));
      const drafts = this.canAssess(actor) ? (await store.draftsOf(tx, personId, actor.teamId)).map((d) => this.draftShown(actor, d)) : [];
      audit({ action: 'assessments.viewed', personId, subject: { type: 'person', id: personId }, details: { assessments: assessments.length, drafts: drafts.length } });
      return { record, assessments, drafts };
    });
  }

  /** The form that records the person's agreement before starting (ASSESS-1); showing it is recorded as a read. */
  async forStart(actor: Actor, personId: string) {
    await this.guard.require(actor, 'assessments.record');
    const { record } = await this.open(actor, personId);
    await this.audit.recordNow(auditActorOf(actor), { action: 'person.viewed', personId, subject: { type: 'person', id: personId }, details: { purpose: 'new assessment' } });
    return { record };
  }

  /** Starts a draft once the person's agreement to be assessed and to share is recorded, or why it could not be sought (ASSESS-1). */
  async start(actor: Actor, personId: string, input: unknown): Promise<AssessmentDraft> {
    await this.guard.require(actor, 'assessments.record');
    await this.open(actor, personId, 'start an assessment');
    const values = parseOrThrow(agreementSchema, input, 'ASSESSMENTS.AGREEMENT_INVALID');
    return this.audit.transaction(auditActorOf(actor), async (tx, audit) => {
      const now = this.clock.now();
      const draft = await store.insertDraft(tx, {
        id: randomUUID(), personId, kind: values.kind, agencyId: actor.agencyId, teamId: actor.teamId, authorId: actor.userId,
        // The schema refuses "declined": what is left is agreed or could not be asked.
        assessmentAgreement: values.assessmentAgreement as 'agreed' | 'could_not_ask', sharingAgreement: values.sharingAgreement, couldNotAskReason: values.couldNotAskReason,
        domains: {}, outcome: null, version: 1, startedAt: now, updatedAt: now, updatedBy: actor.userId,
      });
      audit({ action: 'assessment.started', personId, subject: { type: 'assessment_draft', id: draft.id }, details: { kind: draft.kind, assessmentAgreement: draft.assessmentAgreement, sharingAgreement: draft.sharingAgreement } });
      return draft;
    });
  }

  /** A draft of the reader's team, with each section's state; the read is recorded. */
  async draft(actor: Actor, personId: string, draftId: string) {
    await this.guard.require(actor, 'assessments.record');
    const { record } = await this.open(actor, personId);
    const draft = await this.findDraft(this.db, actor, personId, draftId);
    await this.audit.recordNow(auditActorOf(actor), { action: 'assessment.draft_viewed', personId, subject: { type: 'assessment_draft', id: draftId }, details: { version: draft.version } });
    return { record, draft: this.draftShown(actor, draft) };
  }

  /**
   * Saves one domain of a draft (ASSESS-2, REC-2). "Save and continue" asks for the domain to be whole;
   * "save and come back later" keeps whatever is typed. Either way the save is made against the version
   * the page was opened at: if someone saved since, it is refused (409) and nothing is written.
   */
  async saveDomain(actor: Actor, personId: string, draftId: string, domain: string, input: unknown, mode: SaveMode = 'continue'): Promise<AssessmentDraft> {
    if (!isDomainKey(domain)) throw notFound('ASSESSMENTS.DOMAIN_NOT_FOUND', 'There is no assessment domain with that name.');
    const answer = this.parseSection(input, domainSchema, 'ASSESSMENTS.DOMAIN_INVALID', mode === 'continue' ? (a) => domainProblems(domain, a) : null);
    return this.save(actor, personId, draftId, answer.version, domain, (draft) => ({ domains: { ...draft.domains, [domain]: answer.value } }));
  }

  /** Saves the outcome (ASSESS-3): the person's goals, the options, next steps and which other agencies to involve. */
  async saveOutcome(actor: Actor, personId: string, draftId: string, input: unknown, mode: SaveMode = 'continue'): Promise<AssessmentDraft> {
    const outcome = this.parseSection(input, outcomeSchema, 'ASSESSMENTS.OUTCOME_INVALID', mode === 'continue' ? outcomeProblems : null);
    return this.save(actor, personId, draftId, outcome.version, OUTCOME_SECTION, () => ({ outcome: outcome.value }));
  }

  /**
   * Completes a draft: signs it with the author's name, role and agency and the time, makes it an entry
   * whose domains and outcome are items each under its category, and starts its clock (ASSESS-4 or
   * ASSESS-5), settling the clocks of this agency's earlier assessments that it answers. Refused, with
   * each missing part named and nothing written, while a domain is unanswered or the outcome is missing.
   */
  async complete(actor: Actor, personId: string, draftId: string, input: unknown): Promise<Assessment> {
    await this.guard.require(actor, 'assessments.record');
    await this.open(actor, personId, 'complete an assessment');
    const version = this.versionOf(input);
    const role = this.practiceRole(actor);
    return this.audit.transaction(auditActorOf(actor), async (tx, audit) => {
      const draft = await this.findDraft(tx, actor, personId, draftId, true);
      if (draft.version !== version) throw this.changed();
      const problems = completionProblems(draft);
      if (problems.length) throw invalid('ASSESSMENTS.INCOMPLETE', problems, 'The assessment cannot be completed yet: answer every domain and the outcome.');
      const now = this.clock.now();
      const id = randomUUID();
      const earlier = await store.earlierOf(tx, personId, actor.agencyId);
      const item = (section: string, category: InformationCategory, content: DomainAnswer | Outcome) => ({ id: randomUUID(), assessmentId: id, personId, owningAgencyId: actor.agencyId, section, category, content });
      const completed = await store.insertAssessment(
        tx,
        {
          id, personId, kind: draft.kind, owningAgencyId: actor.agencyId, teamId: actor.teamId, authorId: actor.userId, authorRole: role,
          signedName: actor.name, signedAgencyName: actor.agencyName,
          assessmentAgreement: draft.assessmentAgreement, sharingAgreement: draft.sharingAgreement, couldNotAskReason: draft.couldNotAskReason,
          startedAt: draft.startedAt, completedAt: now,
        },
        [...DOMAINS.map((d) => item(d.key, d.category, draft.domains[d.key]!)), item(OUTCOME_SECTION, OUTCOME_CATEGORY, draft.outcome!)],
      );
      if (!(await store.removeDraft(tx, draft))) throw this.changed();
      let met = 0;
      for (const earlierId of earlier) met += await this.obligations.meetAllFor(tx, { type: ASSESSMENT_SUBJECT, id: earlierId }, CLOCKS_MET_BY[draft.kind], actor.userId);
      const clock = clockOnCompletion(draft.kind, now);
      await this.obligations.start(tx, {
        kind: clock.kind, ruleId: clock.ruleId, title: clock.title, subject: { type: ASSESSMENT_SUBJECT, id }, personId,
        owner: { kind: 'user', userId: actor.userId, teamId: actor.teamId, agencyId: actor.agencyId }, dueAt: clock.dueAt, createdBy: actor.userId,
      });
      audit({ action: 'assessment.completed', personId, subject: { type: 'assessment', id }, details: { kind: draft.kind, draftId, clock: clock.ruleId, earlierClocksMet: met } });
      return completed;
    });
  }

  /**
   * One completed assessment as the reader may see it: each domain they may see, and for each they may
   * not, its category and why (no consent in force, or the person asked), so they know which consent to
   * ask for. Never what a hidden domain says. The read is recorded with what was shown.
   */
  async show(actor: Actor, personId: string, assessmentId: string): Promise<{ record: RecordHeading; assessment: AssessmentShown }> {
    await this.guard.require(actor, 'people.view');
    const { record, opened } = await this.open(actor, personId);
    return this.audit.read(auditActorOf(actor), async (tx, audit) => {
      const found = await store.assessmentOf(tx, personId, assessmentId, this.headerVisible(actor, opened.at));
      if (!found) throw notFound('ASSESSMENTS.NOT_FOUND', 'There is no assessment with that reference.');
      const items = new Map((await store.visibleItemsOf(tx, [found.id], this.itemsVisible(actor, opened.at))).map((i) => [i.section, i]));
      const hidden = (section: string, category: InformationCategory): HiddenSection | null => {
        if (items.has(section)) return null;
        const decision = decideItemAccess(actor, opened.facts, { category, owningAgencyId: found.owningAgencyId }, opened.at);
        return { section, category, why: decision.via === 'restricted' ? 'restricted' : 'no_consent' };
      };
      const shown: AssessmentShown = {
        ...found,
        domains: DOMAINS.map((d) => ({ key: d.key, name: d.name, category: d.category, answer: (items.get(d.key)?.content as DomainAnswer | undefined) ?? null, hidden: hidden(d.key, d.category) })),
        outcome: (items.get(OUTCOME_SECTION)?.content as Outcome | undefined) ?? null,
        outcomeHidden: hidden(OUTCOME_SECTION, OUTCOME_CATEGORY),
      };
      audit({ action: 'assessment.viewed', personId, subject: { type: 'assessment', id: found.id }, details: { sections: [...items.keys()] } });
      return { record, assessment: shown };
    });
  }

  /** The categories of an assessment a partner cannot see for lack of consent: what to ask the person to agree to share. */
  static consentToAsk(shown: AssessmentShown): InformationCategory[] {
    const missing = [...shown.domains.map((d) => d.hidden), shown.outcomeHidden].filter((h): h is HiddenSection => h?.why === 'no_consent').map((h) => h.category);
    return [...new Set(missing)];
  }

  private async save(
    actor: Actor, personId: string, draftId: string, version: number, section: string,
    change: (draft: AssessmentDraft) => Partial<Pick<AssessmentDraft, 'domains' | 'outcome'>>,
  ): Promise<AssessmentDraft> {
    await this.guard.require(actor, 'assessments.record');
    await this.open(actor, personId, 'save an assessment');
    return this.audit.transaction(auditActorOf(actor), async (tx, audit) => {
      const draft = await this.findDraft(tx, actor, personId, draftId, true);
      if (draft.version !== version) throw this.changed();
      const saved = await store.saveDraft(tx, draft, { ...change(draft), updatedAt: this.clock.now(), updatedBy: actor.userId });
      if (!saved) throw this.changed();
      audit({ action: 'assessment.draft_saved', personId, subject: { type: 'assessment_draft', id: draftId }, details: { section, version: saved.version } });
      return saved;
    });
  }

  /** A section's answers and the version they were made against; with `whole`, also what it still lacks. */
  private parseSection<S extends typeof domainSchema | typeof outcomeSchema>(input: unknown, schema: S, code: string, whole: ((value: never) => FieldError[]) | null) {
    const form = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
    const version = readVersion(form);
    const parsed = schema.safeParse(form);
    const problems: FieldError[] = [];
    if ('problem' in version) problems.push(version.problem);
    if (!parsed.success) problems.push(...parseProblems(parsed.error));
    else if (whole) problems.push(...whole(parsed.data as never));
    if (problems.length || !parsed.success || 'problem' in version) throw invalid(code, dedupe(problems));
    return { value: parsed.data as S extends typeof domainSchema ? DomainAnswer : Outcome, version: version.version };
  }

  private versionOf(input: unknown): number {
    const version = readVersion((input && typeof input === 'object' ? input : {}) as Record<string, unknown>);
    if ('problem' in version) throw invalid('ASSESSMENTS.VERSION_INVALID', [version.problem]);
    return version.version;
  }

  private async findDraft(db: Queryable, actor: Actor, personId: string, draftId: string, forUpdate = false): Promise<AssessmentDraft> {
    const draft = await store.draftOf(db, personId, draftId, actor.teamId, forUpdate);
    // A draft is its team's working copy: to anyone else it does not exist.
    if (!draft) throw notFound('ASSESSMENTS.DRAFT_NOT_FOUND', 'There is no assessment draft with that reference.');
    return draft;
  }

  private changed() {
    return conflict('ASSESSMENTS.DRAFT_CHANGED', 'This draft changed since you opened it: someone saved it after you. Your answers are below and have not been saved; check the latest version and save again.');
  }

  private canAssess(actor: Actor) {
    return actor.roles.some((r) => PRACTICE_ROLES.includes(r));
  }

  private practiceRole(actor: Actor) {
    const role = actor.roles.find((r) => PRACTICE_ROLES.includes(r));
    // assessments.record is held by practice roles only; a signature without one would be a wiring mistake.
    if (!role) throw forbidden('ASSESSMENTS.NO_PRACTICE_ROLE', 'Your role does not include assessing.');
    return role;
  }

  private draftShown(actor: Actor, draft: AssessmentDraft): DraftShown {
    return {
      ...draft,
      sections: DOMAINS.map((d) => ({ key: d.key, name: d.name, state: domainState(d.key, draft.domains[d.key]) })),
      outcomeState: outcomeState(draft.outcome),
      mine: draft.authorId === actor.userId,
    };
  }
}

const parseProblems = (error: { issues: { path: PropertyKey[]; message: string }[] }): FieldError[] =>
  error.issues.map((i) => ({ field: i.path.length ? String(i.path[0]) : 'form', message: i.message }));
const dedupe = (problems: FieldError[]) => problems.filter((p, i) => problems.findIndex((q) => q.field === p.field) === i);
