import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../../platform/access/actor.js';
import { auditActorOf } from '../../platform/access/actor.js';
import type { AccessGuard } from '../../platform/access/guard.js';
import { endInvolvementsFrom, startInvolvement } from '../../platform/access/involvements.js';
import { practises } from '../../platform/access/person-access.js';
import type { AuditTrail, RecordEvent } from '../../platform/audit/trail.js';
import type { Clock } from '../../platform/clocks/clock.js';
import type { Owner } from '../../platform/clocks/obligation-rules.js';
import type { Obligations } from '../../platform/clocks/obligations.js';
import type { Database, Queryable, Transaction } from '../../platform/db/database.js';
import { conflict, DomainError, invalid, notFound, type FieldError } from '../../platform/errors.js';
import { fieldErrorsOf, parseOrThrow } from '../../platform/validation.js';
import type { CasesService } from '../cases/service.js';
import type { DirectoryService } from '../directory/service.js';
import type { PersonInput } from '../people/rules.js';
import { describeLikelyMatch, type PeopleService } from '../people/service.js';
import { changedSinceOpened } from '../directory/rules.js';
import * as deadlines from './deadline-rules.js';
import * as rules from './rules.js';
import { eligibilityDecision, informationRequest, receivingService, referral, referralEvent, responseContact, waitingRiskCheck } from './schema.js';
import * as store from './store.js';

export type ReferralView = 'receiving' | 'referrer';
type Command = { referralId: string; version: number };

const SUBJECT = (id: string) => ({ type: 'referral', id });

/**
 * The referral journey, REF-1 to REF-7, ELIG-1 to ELIG-3, WAIT-1, COORD-1 and COORD-2: each step a
 * transaction that checks access, moves the state by `rules.transition`, keeps the clocks and the
 * timeline, and is audited. Two people acting at once: the second is told it changed (version check).
 * At allocation the referral hands the person over: the cases module opens the case (COORD-3 with it).
 */
export class ReferralsService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditTrail,
    private readonly guard: AccessGuard,
    private readonly clock: Clock,
    private readonly obligations: Obligations,
    private readonly people: PeopleService,
    private readonly directory: Pick<DirectoryService, 'namesFor' | 'getTeamForReferral' | 'activeMembersWithRoles' | 'listAgencies' | 'listAllTeams'>,
    private readonly cases: CasesService,
  ) {}

  // ---- Reading -----------------------------------------------------------------------------

  /** What this actor may see of a referral: all of it (the receiving agency), its status (the referrer), or nothing. */
  viewOf(actor: Actor, row: store.ReferralRow): ReferralView | null {
    if (!practises(actor)) return null;
    if (row.receivingAgencyId === actor.agencyId) return 'receiving';
    if (row.referrerAgencyId === actor.agencyId) return 'referrer';
    return null;
  }

  private async load(db: Queryable, actor: Actor, id: string, need: ReferralView = 'receiving', lock = false) {
    const row = await store.findReferral(db, id, lock);
    const view = row ? this.viewOf(actor, row) : null;
    if (!row || !view || (need === 'receiving' && view !== 'receiving')) {
      throw notFound('REFERRALS.NOT_FOUND', 'There is no referral with that reference.');
    }
    return { row, view };
  }

  async get(actor: Actor, id: string) {
    await this.guard.require(actor, 'referrals.make');
    const { row, view } = await this.load(this.db, actor, id, 'referrer');
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const timeline = await store.timeline(tx, id, view === 'referrer');
      const requests = await store.informationRequests(tx, id);
      const name = (await this.people.namesOf(tx, [row.personId])).get(row.personId) ?? null;
      const base = { referral: row, view, timeline, informationRequests: requests, person: { id: row.personId, name } };
      record({ action: 'referral.viewed', personId: row.personId, subject: SUBJECT(id), details: { view } });
      if (view === 'referrer') return { ...base, referral: referrerSees(row) };
      const settings = await this.settingsFor(tx, row.receivingTeamId);
      return {
        ...base,
        person: { ...base.person, ...(await this.people.identityFor(tx, row.personId)) },
        standards: settings.standards,
        waitingRiskCheckDays: settings.waitingRiskCheckDays,
        contacts: await store.contacts(tx, id),
        eligibility: await store.eligibility(tx, id),
        riskChecks: await store.riskChecks(tx, id),
        obligations: await this.obligations.forSubject(tx, SUBJECT(id)),
        suggestion: rules.suggestCategory(risksOf(row), settings.automaticallyUrgentAgencies.includes(row.referrerAgencyId ?? '')),
        missing: rules.missingInformation(settings.requiredInformation, await this.intakeFacts(tx, row)),
        allowed: rules.allowedEvents(row.state),
        case: await this.cases.caseForReferral(tx, id),
      };
    });
  }

  private async intakeFacts(db: Queryable, row: store.ReferralRow): Promise<rules.IntakeFacts> {
    const person = await this.people.identityFor(db, row.personId);
    return { reason: row.reason, presentingNeeds: row.presentingNeeds, risks: risksOf(row), consentToReferral: row.consentToReferral, referrerContact: row.referrerContact, person };
  }

  async settingsFor(db: Queryable, teamId: string) {
    const stored = await store.serviceSettings(db, teamId);
    return {
      requiredInformation: stored?.requiredInformation ?? ['reason', 'risk_assessment', 'consent', 'referrer_contact'],
      automaticallyUrgentAgencies: stored?.automaticallyUrgentAgencies ?? [],
      standards: stored?.standards ?? deadlines.DEFAULT_STANDARDS,
      informationRequestWorkingDays: stored?.informationRequestWorkingDays ?? 5,
      waitingRiskCheckDays: stored?.waitingRiskCheckDays ?? 14,
    };
  }

  /** Whether a team receives referrals: unless its settings say it does not. The people module's known check (REF-8) is for such teams. */
  async receivesReferrals(teamId: string): Promise<boolean> {
    return (await store.serviceSettings(this.db, teamId))?.acceptsReferrals ?? true;
  }

  /**
   * Teams set up, with their partnership, as not taking referrals (the demo's police, probation and
   * support teams): recorded as the system, with the other settings as a team with none has them.
   */
  async setUpNotTakingReferrals(teams: { teamId: string; agencyId: string }[], source: string) {
    const now = this.clock.now();
    await this.audit.transaction(null, async (tx, record) => {
      for (const t of teams) {
        const defaults = await this.settingsFor(tx, t.teamId);
        await tx.insert(receivingService).values({ ...t, ...defaults, acceptsReferrals: false, updatedAt: now }).onConflictDoNothing();
        record({ action: 'referral.service_settings_changed', subject: { type: 'team', id: t.teamId }, details: { acceptsReferrals: false, source } });
      }
    });
  }

  /** Services a referral can be sent to: active teams of active agencies, less any that have stopped taking referrals. */
  async receivingTeams(actor: Actor) {
    await this.guard.require(actor, 'referrals.make');
    const [agencies, teams, closed] = await Promise.all([this.directory.listAgencies(actor), this.directory.listAllTeams(actor), store.teamsNotTakingReferrals(this.db)]);
    const activeAgencies = new Set(agencies.filter((a) => a.active).map((a) => a.id));
    return teams
      .filter((t) => t.active && activeAgencies.has(t.agencyId) && !closed.has(t.id))
      .map((t) => ({ id: t.id, name: t.name, agencyId: t.agencyId, agencyName: t.agencyName }));
  }

  // ---- How a service takes referrals ---------------------------------------------------------

  /** The actor's own team's settings, for its manager to read and change, with the version a change is made against. */
  async ownSettings(actor: Actor) {
    await this.guard.require(actor, 'referrals.allocate');
    const stored = await store.serviceSettings(this.db, actor.teamId);
    return {
      ...(await this.settingsFor(this.db, actor.teamId)),
      acceptsReferrals: stored?.acceptsReferrals ?? true,
      version: stored?.version ?? rules.UNSAVED_SETTINGS_VERSION,
    };
  }

  /** REF-7: the share of the last 12 months' referrals to this team that were re-referrals, a performance indicator. */
  async reReferralRate(actor: Actor) {
    await this.guard.require(actor, 'referrals.allocate');
    const since = new Date(this.clock.now());
    since.setUTCFullYear(since.getUTCFullYear() - 1);
    const { total, re } = await store.reReferralCount(this.db, actor.teamId, since);
    return { total, reReferrals: re, percent: total ? Math.round((re / total) * 100) : 0 };
  }

  /**
   * Only the manager of a team changes how that team takes referrals, and only the version they read:
   * a change made since (by another manager, or a first save racing theirs) is refused, not overwritten.
   */
  async updateOwnSettings(actor: Actor, input: unknown) {
    await this.guard.require(actor, 'referrals.allocate');
    const { version, ...values } = parseOrThrow(rules.serviceSettingsChange, input, 'REFERRALS.SETTINGS_INVALID');
    const now = this.clock.now();
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      // A team's first save inserts; of two racing first saves, the second finds the row and inserts nothing.
      const [saved] =
        version === rules.UNSAVED_SETTINGS_VERSION
          ? await tx
              .insert(receivingService)
              .values({ teamId: actor.teamId, agencyId: actor.agencyId, ...values, updatedAt: now, version: 1 })
              .onConflictDoNothing({ target: receivingService.teamId })
              .returning({ version: receivingService.version })
          : await tx
              .update(receivingService)
              .set({ ...values, updatedAt: now, version: sql`${receivingService.version} + 1` })
              .where(and(eq(receivingService.teamId, actor.teamId), eq(receivingService.version, version)))
              .returning({ version: receivingService.version });
      if (!saved) throw conflict('REFERRALS.SETTINGS_CHANGED', changedSinceOpened('This team’s way of taking referrals'));
      record({ action: 'referral.service_settings_changed', subject: { type: 'team', id: actor.teamId }, details: values });
      return { ...values, version: saved.version };
    });
  }

  // ---- Intake (REF-1, REF-7, REF-8) ----------------------------------------------------------

  /**
   * Records a referral. To a service in the actor's own agency, it is a referral they received
   * (from anyone); to another agency's service, the actor is the referrer. The person is one found
   * by search, or new, in which case likely duplicates must have been looked at first.
   */
  async receive(actor: Actor, input: { personId?: unknown; person?: unknown; confirmedNewPerson?: unknown } & Record<string, unknown>) {
    await this.guard.require(actor, 'referrals.make');
    // Everything wrong with the referral and the new person is reported at once, person fields
    // named as they are sent (`person.givenName`), so a form can show each message by its field.
    const problems: FieldError[] = [];
    const intake = rules.intakeInput.safeParse(input);
    if (!intake.success) problems.push(...fieldErrorsOf(intake.error));
    const existingPerson = typeof input.personId === 'string' && input.personId ? input.personId : null;
    if (existingPerson && !z.uuid().safeParse(existingPerson).success) problems.push({ field: 'personId', message: 'Select a person found by the search' });
    let newPerson: PersonInput | null = null;
    if (!existingPerson) {
      try {
        newPerson = this.people.parsePerson(input.person ?? {});
      } catch (error) {
        problems.push(...asPersonFields(error).fieldErrors);
      }
    }
    if (!intake.success || problems.length) throw invalid('REFERRALS.INVALID', problems);
    const values = intake.data;
    const team = await this.directory.getTeamForReferral(values.receivingTeamId);
    if (!team) throw invalid('REFERRALS.INVALID', [{ field: 'receivingTeamId', message: 'Select a service that takes referrals' }]);
    const now = this.clock.now();
    const receivedAt = values.receivedAt ? new Date(values.receivedAt) : now;
    if (receivedAt > now) throw invalid('REFERRALS.INVALID', [{ field: 'receivedAt', message: 'The time received cannot be in the future' }]);
    const internal = team.agencyId === actor.agencyId;
    if (internal && !values.referrerName) throw invalid('REFERRALS.INVALID', [{ field: 'referrerName', message: 'Enter the referrer’s name' }]);
    if (newPerson && input.confirmedNewPerson !== 'yes' && input.confirmedNewPerson !== true) {
      const duplicates = await this.people.likelyDuplicates(actor, newPerson);
      if (duplicates.length) {
        throw conflict('REFERRALS.POSSIBLE_DUPLICATE', 'This person may already be known. Check the people found, and use their record if it is them.', [
          { field: 'person', message: `Possible matches: ${duplicates.map(describeLikelyMatch).join('; ')}` },
        ]);
      }
    }
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const personId = existingPerson ?? (await this.people.createInTransaction(tx, actor, newPerson!, record).catch((error: unknown) => Promise.reject(asPersonFields(error)))).id;
      // A person is referred from a search result (or by an agency already involved): any other id
      // answers as one that does not exist, so the form cannot be used to find out who does.
      if (existingPerson && !(await this.people.followsOn(tx, actor, existingPerson))) {
        throw invalid('REFERRALS.INVALID', [{ field: 'personId', message: 'Select a person found by the search' }]);
      }
      const last = await this.cases.lastClosedAt(tx, personId, team.id);
      const reReferral = rules.isReReferral(receivedAt, last?.closedAt ?? null);
      const settings = await this.settingsFor(tx, team.id);
      const suggestion = rules.suggestCategory(values.risks, !internal && settings.automaticallyUrgentAgencies.includes(actor.agencyId));
      const [row] = await tx
        .insert(referral)
        .values({
          reference: await store.nextReference(tx, now.getUTCFullYear()),
          personId,
          receivingTeamId: team.id,
          receivingAgencyId: team.agencyId,
          sourceType: internal ? values.sourceType : 'agency',
          referrerAgencyId: internal ? null : actor.agencyId,
          referrerTeamId: internal ? null : actor.teamId,
          referrerUserId: internal ? null : actor.userId,
          referrerName: internal ? values.referrerName! : actor.name,
          referrerRole: values.referrerRole,
          referrerOrganisation: internal ? values.referrerOrganisation : actor.agencyName,
          referrerContact: values.referrerContact ?? (internal ? null : actor.email),
          channel: internal ? values.channel : 'electronic',
          receivedAt,
          reason: values.reason,
          presentingNeeds: values.presentingNeeds,
          riskUnintentionalSelfHarm: values.risks.unintentionalSelfHarm,
          riskIntentionalSelfHarm: values.risks.intentionalSelfHarm,
          riskHarmToOthers: values.risks.harmToOthers,
          riskAbuseByOthers: values.risks.abuseByOthers,
          riskNotes: values.riskNotes,
          consentToReferral: values.consentToReferral,
          consentToShare: values.consentToShare,
          consentNotes: values.consentNotes,
          state: 'received',
          suggestedCategory: suggestion.category,
          isReReferral: reReferral,
          previousCaseId: reReferral ? last!.id : null,
          createdAt: now,
          createdBy: actor.userId,
          updatedAt: now,
        })
        .returning();
      const id = row!.id;
      await startInvolvement(tx, { personId, agencyId: team.agencyId, teamId: team.id, role: 'receiving_service', source: SUBJECT(id), by: actor.userId, at: now });
      if (!internal) await startInvolvement(tx, { personId, agencyId: actor.agencyId, teamId: actor.teamId, role: 'referrer', source: SUBJECT(id), by: actor.userId, at: now });
      await this.startDeadline(tx, actor, { id, personId }, deadlines.screenDeadline(receivedAt), { kind: 'team', teamId: team.id, agencyId: team.agencyId });
      await this.event(tx, actor, id, 'received', `Referral received by ${team.name}${reReferral ? ' (a re-referral within 12 months)' : ''}`, true, { suggestedCategory: suggestion.category });
      record({ action: 'referral.received', personId, subject: SUBJECT(id), details: { reference: row!.reference, receivingTeamId: team.id, reReferral } });
      return row!;
    });
  }

  // ---- Enough information? (REF-2) -------------------------------------------------------------

  async requestInformation(actor: Actor, command: Command, input: unknown) {
    await this.guard.require(actor, 'referrals.work');
    const values = parseOrThrow(rules.informationRequestInput, input, 'REFERRALS.INVALID');
    return this.step(actor, command, 'request_information', async (tx, row, record) => {
      const settings = await this.settingsFor(tx, row.receivingTeamId);
      const due = deadlines.informationRequestDeadline(this.clock.now(), settings.informationRequestWorkingDays);
      const [request] = await tx
        .insert(informationRequest)
        .values({ referralId: row.id, items: values.items, question: values.question, requestedAt: this.clock.now(), requestedBy: actor.userId, dueAt: due.dueAt })
        .returning();
      // The referrer owes the answer when they are in Concord; otherwise the duty team chases it.
      const owner = row.referrerAgencyId && row.referrerTeamId
        ? { kind: 'team' as const, teamId: row.referrerTeamId, agencyId: row.referrerAgencyId }
        : receivingTeamOf(row);
      await this.startDeadline(tx, actor, row, due, owner);
      const asked: string[] = [...values.items.map((i) => rules.INFORMATION_ITEMS[i]), ...(values.question ? [values.question] : [])];
      await this.event(tx, actor, row.id, 'information_requested', `More information requested: ${asked.join('; ')}`, true, { requestId: request!.id });
      record({ action: 'referral.information_requested', personId: row.personId, subject: SUBJECT(row.id), details: { requestId: request!.id, items: values.items } });
    });
  }

  /** The referrer answers inside Concord, or the receiving team records an answer given another way. */
  async answerInformation(actor: Actor, command: Command, input: unknown) {
    await this.guard.require(actor, 'referrals.make');
    const values = parseOrThrow(rules.informationAnswerInput, input, 'REFERRALS.INVALID');
    return this.step(actor, command, 'information_received', async (tx, row, record) => {
      const open = await store.openInformationRequest(tx, row.id);
      if (!open) throw conflict('REFERRALS.NO_OPEN_REQUEST', 'There is no request for information waiting for an answer.');
      await tx.update(informationRequest).set({ answer: values.answer, answeredAt: this.clock.now(), answeredBy: actor.userId, answeredByName: actor.name }).where(eq(informationRequest.id, open.id));
      await this.obligations.meetAllFor(tx, SUBJECT(row.id), ['referral.information'], actor.userId);
      await this.event(tx, actor, row.id, 'information_received', `Information received from ${actor.name}, ${actor.agencyName}`, true, { requestId: open.id });
      record({ action: 'referral.information_received', personId: row.personId, subject: SUBJECT(row.id), details: { requestId: open.id } });
    }, 'referrer');
  }

  // ---- Screening (REF-3, REF-4, REF-5) -----------------------------------------------------------

  async screen(actor: Actor, command: Command, input: unknown) {
    await this.guard.require(actor, 'referrals.work');
    const values = parseOrThrow(rules.screeningInput, input, 'REFERRALS.INVALID');
    const event = rules.screeningEvent(values.category);
    return this.step(actor, command, event, async (tx, row, record) => {
      const settings = await this.settingsFor(tx, row.receivingTeamId);
      const suggestion = rules.suggestCategory(risksOf(row), settings.automaticallyUrgentAgencies.includes(row.referrerAgencyId ?? ''));
      const problems = rules.screeningProblems(values, suggestion.category);
      if (problems.length) throw invalid('REFERRALS.SCREENING_INVALID', problems);
      await tx.update(referral).set({ category: values.category, categoryReason: values.reason, pathway: values.pathway }).where(eq(referral.id, row.id));
      await this.obligations.meetAllFor(tx, SUBJECT(row.id), ['referral.screen'], actor.userId);
      const responses = deadlines.screeningDeadlines(values.category, row.receivedAt, settings.standards);
      for (const deadline of responses) await this.startDeadline(tx, actor, row, deadline, receivingTeamOf(row));
      if (event === 'screen_inappropriate') {
        await endInvolvementsFrom(tx, SUBJECT(row.id), this.clock.now(), 'signposted', 'receiving_service');
        await this.event(tx, actor, row.id, 'signposted', `Not accepted: ${values.notAssessingReason}. Advice and signposting: ${values.signposting}`, true, { category: values.category });
      } else {
        await this.event(tx, actor, row.id, 'screened', `Screened as ${values.category}: ${responses.map((d) => d.title.toLowerCase()).join('; ')}`, true, { category: values.category, suggested: suggestion.category });
      }
      record({ action: 'referral.screened', personId: row.personId, subject: SUBJECT(row.id), details: { category: values.category, suggested: suggestion.category, reason: values.reason } });
    });
  }

  // ---- Contact and assessment (ELIG-1) ----------------------------------------------------------

  async recordContact(actor: Actor, command: Command, input: unknown) {
    await this.guard.require(actor, 'referrals.work');
    const values = parseOrThrow(rules.contactInput, input, 'REFERRALS.INVALID');
    const happenedAt = new Date(values.happenedAt);
    if (happenedAt > this.clock.now()) throw invalid('REFERRALS.INVALID', [{ field: 'happenedAt', message: 'The time cannot be in the future' }]);
    return this.step(actor, command, 'record_contact', async (tx, row, record) => {
      const kind = values.kind === 'first_contact' ? 'referral.first_contact' : 'referral.assessment';
      const due = (await this.obligations.forSubject(tx, SUBJECT(row.id))).find((o) => o.kind === kind && (o.state === 'open' || o.state === 'breached'));
      const { late, problem } = deadlines.contactLateness(happenedAt, due?.dueAt ?? null, values.lateReason);
      if (problem) throw invalid('REFERRALS.INVALID', [problem]);
      await tx.insert(responseContact).values({ referralId: row.id, kind: values.kind, happenedAt, method: values.method, summary: values.summary, lateReason: values.lateReason, recordedAt: this.clock.now(), recordedBy: actor.userId });
      if (due) await this.obligations.meet(tx, due.id, actor.userId, late ? values.lateReason : null);
      await this.event(tx, actor, row.id, values.kind, values.kind === 'first_contact' ? 'First contact made' : 'Assessment carried out', true, { method: values.method });
      record({ action: 'referral.contact_recorded', personId: row.personId, subject: SUBJECT(row.id), details: { kind: values.kind, late } });
    });
  }

  // ---- Eligibility (ELIG-2, ELIG-3) -------------------------------------------------------------

  async decideEligibility(actor: Actor, command: Command, input: unknown) {
    await this.guard.require(actor, 'referrals.work');
    const values = parseOrThrow(rules.eligibilityInput, input, 'REFERRALS.INVALID');
    const problems = rules.eligibilityProblems(values);
    if (problems.length) throw invalid('REFERRALS.ELIGIBILITY_INVALID', problems);
    return this.step(actor, command, values.eligible ? 'decide_eligible' : 'decide_not_eligible', async (tx, row, record) => {
      await tx.insert(eligibilityDecision).values({ referralId: row.id, ...values, decidedAt: this.clock.now(), decidedBy: actor.userId });
      await this.obligations.meetAllFor(tx, SUBJECT(row.id), ['referral.first_contact', 'referral.assessment'], actor.userId);
      if (values.eligible) {
        const settings = await this.settingsFor(tx, row.receivingTeamId);
        await this.startDeadline(tx, actor, row, deadlines.allocationDeadline(row.category, this.clock.now(), settings.standards), receivingTeamOf(row));
        await this.event(tx, actor, row.id, 'eligible', `Eligible for the service (${values.levelOfNeed} need); decided by ${values.participants.join(', ')}`, true);
      } else {
        await endInvolvementsFrom(tx, SUBJECT(row.id), this.clock.now(), 'not eligible', 'receiving_service');
        await this.event(tx, actor, row.id, 'not_eligible', `Not eligible. Advice and signposting: ${values.signposting}`, true);
      }
      record({ action: 'referral.eligibility_decided', personId: row.personId, subject: SUBJECT(row.id), details: { eligible: values.eligible, levelOfNeed: values.levelOfNeed } });
    });
  }

  // ---- Waiting list (WAIT-1) ----------------------------------------------------------------------

  async placeOnWaitingList(actor: Actor, command: Command) {
    await this.guard.require(actor, 'referrals.allocate');
    return this.step(actor, command, 'place_on_waiting_list', async (tx, row, record) => {
      await this.startRiskCheck(tx, actor, row);
      await this.event(tx, actor, row.id, 'waiting', 'Placed on the waiting list for allocation', true);
      record({ action: 'referral.waiting', personId: row.personId, subject: SUBJECT(row.id) });
    });
  }

  private async startRiskCheck(tx: Queryable, actor: Actor, row: store.ReferralRow) {
    const settings = await this.settingsFor(tx, row.receivingTeamId);
    await this.startDeadline(tx, actor, row, deadlines.waitingRiskCheckDeadline(this.clock.now(), settings.waitingRiskCheckDays), receivingTeamOf(row));
  }

  async recordRiskCheck(actor: Actor, command: Command, input: unknown) {
    await this.guard.require(actor, 'referrals.work');
    const values = parseOrThrow(rules.riskCheckInput, input, 'REFERRALS.INVALID');
    return this.step(actor, command, 'recheck_risk', async (tx, row, record) => {
      await tx.insert(waitingRiskCheck).values({ referralId: row.id, checkedAt: this.clock.now(), checkedBy: actor.userId, ...values });
      await this.obligations.meetAllFor(tx, SUBJECT(row.id), ['waiting.risk_check'], actor.userId);
      await this.startRiskCheck(tx, actor, row);
      await this.event(tx, actor, row.id, 'risk_rechecked', values.expedite ? 'Risk re-checked: allocation to be expedited' : 'Risk re-checked while waiting', false, { expedite: values.expedite });
      record({ action: 'referral.risk_rechecked', personId: row.personId, subject: SUBJECT(row.id), details: { expedite: values.expedite } });
    });
  }

  // ---- Allocation and hand-over (COORD-1, COORD-2) -------------------------------------------------

  /** Care coordinators in the receiving team, each with their current caseload, for the manager to choose from. */
  async allocationCandidates(actor: Actor, referralId: string) {
    await this.guard.require(actor, 'referrals.allocate');
    const { row } = await this.load(this.db, actor, referralId);
    const members = await this.directory.activeMembersWithRoles(row.receivingTeamId, ['care_coordinator']);
    const loads = await this.cases.caseloads(members.map((m) => m.userId));
    return members.map((m) => ({ ...m, openCases: loads.get(m.userId) ?? 0 }));
  }

  async allocate(actor: Actor, command: Command, input: unknown) {
    await this.guard.require(actor, 'referrals.allocate');
    const values = parseOrThrow(rules.allocationInput, input, 'REFERRALS.INVALID');
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const { row } = await this.lockForStep(tx, actor, command);
      const notTheirs = rules.allocatorProblem(row.receivingTeamId, actor.teamId);
      if (notTheirs) throw conflict('REFERRALS.NOT_YOUR_TEAM', notTheirs);
      const event = rules.allocationEvent(row.state, row.category);
      const step = rules.transition(row.state, event);
      if (!step.ok) throw conflict(`REFERRALS.${step.code}`, step.message);
      const candidates = await this.directory.activeMembersWithRoles(row.receivingTeamId, ['care_coordinator']);
      const notACoordinator = rules.coordinatorProblem(candidates.map((c) => c.userId), values.coordinatorUserId);
      if (notACoordinator) throw invalid('REFERRALS.INVALID', [notACoordinator]);
      // The hand-over: from here the case is the cases module's, which opens it with its coordinator, lead agency and clocks.
      const opened = await this.cases.open(tx, {
        personId: row.personId, referralId: row.id, teamId: row.receivingTeamId, agencyId: row.receivingAgencyId, leadAgencyId: values.leadAgencyId, leadAgencyAgreed: values.leadAgencyAgreed,
        coordinatorUserId: values.coordinatorUserId, reasons: values.reasons, considerations: values.considerations, by: actor.userId, at: this.clock.now(),
      });
      await this.obligations.meetAllFor(tx, SUBJECT(row.id), ['referral.allocation', 'waiting.risk_check', 'referral.first_contact', 'referral.assessment'], actor.userId);
      await this.bump(tx, row, step.to);
      const urgent = event === 'allocate_urgently';
      await this.event(tx, actor, row.id, 'allocated', `Allocated to a care coordinator; case ${opened.reference} opened`, true, { caseId: opened.id, urgent });
      record({ action: 'referral.allocated', personId: row.personId, subject: SUBJECT(row.id), details: { caseId: opened.id, coordinatorUserId: values.coordinatorUserId, considerations: values.considerations, leadAgencyAgreed: values.leadAgencyAgreed } });
      return { ...opened, referral: (await store.findReferral(tx, row.id))! };
    });
  }

  // ---- Closing the loop (REF-6) ----------------------------------------------------------------------

  async withdraw(actor: Actor, command: Command, input: unknown) {
    await this.guard.require(actor, 'referrals.work');
    const values = parseOrThrow(rules.withdrawInput, input, 'REFERRALS.INVALID');
    return this.step(actor, command, 'withdraw', async (tx, row, record) => {
      const open = (await this.obligations.forSubject(tx, SUBJECT(row.id))).filter((o) => o.state === 'open' || o.state === 'breached');
      for (const o of open) await this.obligations.waive(tx, o.id, actor.userId, `Referral withdrawn: ${values.reason}`);
      await endInvolvementsFrom(tx, SUBJECT(row.id), this.clock.now(), 'withdrawn');
      await this.event(tx, actor, row.id, 'withdrawn', `Withdrawn: ${values.reason}`, true);
      record({ action: 'referral.withdrawn', personId: row.personId, subject: SUBJECT(row.id) });
    });
  }

  async giveFeedback(actor: Actor, command: Command, input: unknown) {
    await this.guard.require(actor, 'referrals.work');
    const values = parseOrThrow(rules.feedbackInput, input, 'REFERRALS.INVALID');
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const { row } = await this.lockForStep(tx, actor, command);
      await this.bump(tx, row, row.state);
      await this.event(tx, actor, row.id, 'feedback', values.message, true);
      record({ action: 'referral.feedback_given', personId: row.personId, subject: SUBJECT(row.id) });
      return (await store.findReferral(tx, row.id))!;
    });
  }

  /**
   * A person's referrals that involve the actor's agency (received or made), for their record's history.
   * Read as part of the record, which is already audited; the referrals of other agencies are not listed.
   */
  async historyFor(actor: Actor, personId: string) {
    await this.guard.require(actor, 'referrals.make');
    const rows = (await store.referralsOfPerson(this.db, personId, actor.agencyId)).filter((row) => this.viewOf(actor, row) !== null);
    const names = await this.directory.namesFor({ teamIds: rows.map((r) => r.receivingTeamId), agencyIds: rows.map((r) => r.receivingAgencyId) });
    return rows.map((row) => ({
      id: row.id,
      reference: row.reference,
      receivedAt: row.receivedAt,
      state: row.state,
      stateName: rules.REFERRAL_STATE_NAMES[row.state],
      category: this.viewOf(actor, row) === 'receiving' ? row.category : null,
      service: `${names.teams.get(row.receivingTeamId)?.name ?? 'Unknown team'}, ${names.agencies.get(row.receivingAgencyId)?.name ?? ''}`,
      isReReferral: row.isReReferral,
    }));
  }

  // ---- Queues ------------------------------------------------------------------------------------------

  async dutyQueue(actor: Actor) {
    await this.guard.require(actor, 'referrals.work');
    return store.receivedBy(this.db, [actor.teamId], ['received', 'information_requested', 'screened', 'assessing']);
  }

  async allocationQueue(actor: Actor) {
    await this.guard.require(actor, 'referrals.allocate');
    return store.receivedBy(this.db, [actor.teamId], ['eligible', 'waiting']);
  }

  async referralsMade(actor: Actor) {
    await this.guard.require(actor, 'referrals.make');
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const rows = await store.madeBy(tx, actor.agencyId);
      const names = await this.people.namesOf(tx, rows.map((r) => r.personId));
      // Everyone named in the list has been seen by the reader, as in a search result.
      for (const row of rows) record({ action: 'referral.made_viewed', personId: row.personId, subject: SUBJECT(row.id) });
      return rows.map((row) => ({ ...referrerSees(row), personName: names.get(row.personId) ?? null }));
    });
  }

  // ---- helpers ------------------------------------------------------------------------------------------

  /** One step of the journey: lock, check the version, apply the transition, do the step's work, bump the version. */
  private step(actor: Actor, command: Command, event: rules.ReferralEvent, work: (tx: Transaction, row: store.ReferralRow, record: RecordEvent) => Promise<unknown>, need: ReferralView = 'receiving') {
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const { row } = await this.lockForStep(tx, actor, command, need);
      const result = rules.transition(row.state, event);
      if (!result.ok) throw conflict(`REFERRALS.${result.code}`, result.message);
      await work(tx, row, record);
      await this.bump(tx, row, result.to);
      return (await store.findReferral(tx, row.id))!;
    });
  }

  /** Starts one of the referral's clocks (deadline-rules.ts says what is due and when), owned as given. */
  private async startDeadline(tx: Queryable, actor: Actor, row: { id: string; personId: string }, deadline: deadlines.Deadline, owner: Owner) {
    await this.obligations.start(tx, { kind: deadline.kind, ruleId: deadline.rule, title: deadline.title, subject: SUBJECT(row.id), personId: row.personId, owner, dueAt: deadline.dueAt, createdBy: actor.userId });
  }

  private async lockForStep(tx: Queryable, actor: Actor, command: Command, need: ReferralView = 'receiving') {
    const loaded = await this.load(tx, actor, command.referralId, need, true);
    if (loaded.row.version !== command.version) {
      throw conflict('REFERRALS.CHANGED', 'This referral changed since you opened it. Reload it to see what changed, then try again.');
    }
    return loaded;
  }

  private async bump(tx: Queryable, row: store.ReferralRow, state: store.ReferralRow['state']) {
    await tx.update(referral).set({ state, version: sql`${referral.version} + 1`, updatedAt: this.clock.now() }).where(and(eq(referral.id, row.id), eq(referral.version, row.version)));
  }

  private async event(tx: Queryable, actor: Actor, referralId: string, kind: string, summary: string, visibleToReferrer: boolean, details: Record<string, unknown> = {}) {
    await tx.insert(referralEvent).values({ referralId, kind, at: this.clock.now(), byUserId: actor.userId, byName: actor.name, byTeamId: actor.teamId, byAgencyId: actor.agencyId, summary, details, visibleToReferrer });
  }
}

/** The receiving team owns the referral's clocks until allocation, except an answer the referrer owes. */
const receivingTeamOf = (row: store.ReferralRow): Owner => ({ kind: 'team', teamId: row.receivingTeamId, agencyId: row.receivingAgencyId });

export function risksOf(row: store.ReferralRow): rules.RiskAnswers {
  return {
    unintentionalSelfHarm: row.riskUnintentionalSelfHarm,
    intentionalSelfHarm: row.riskIntentionalSelfHarm,
    harmToOthers: row.riskHarmToOthers,
    abuseByOthers: row.riskAbuseByOthers,
  };
}

/** The referrer's view: the status and what they told us, none of the receiving service's working. */
function referrerSees(row: store.ReferralRow) {
  return {
    id: row.id,
    reference: row.reference,
    personId: row.personId,
    receivingTeamId: row.receivingTeamId,
    receivingAgencyId: row.receivingAgencyId,
    receivedAt: row.receivedAt,
    reason: row.reason,
    state: row.state,
    category: row.category,
    version: row.version,
  };
}

/** The people module names a new person's fields on their own; in a referral they sit under `person`. */
function asPersonFields(error: unknown): DomainError {
  if (!(error instanceof DomainError) || !error.fieldErrors.length) throw error;
  return new DomainError(error.code, error.message, error.kind, error.fieldErrors.map((f) => ({ field: `person.${f.field}`, message: f.message })));
}
