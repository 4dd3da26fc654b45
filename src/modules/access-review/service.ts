import { auditActorOf, type Actor } from '../../platform/access/actor.js';
import type { AccessGuard } from '../../platform/access/guard.js';
import type { AccessAlertKind } from '../../platform/access/schema.js';
import { BREAK_GLASS_REASON_NAMES, type BreakGlassReason } from '../../platform/access/sharing-terms.js';
import { eventsOfUserAboutPerson, peopleOpenedBy, usersOpeningMany } from '../../platform/audit/reads.js';
import type { AuditTrail, RecordEvent } from '../../platform/audit/trail.js';
import type { Clock } from '../../platform/clocks/clock.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import { conflict, DomainError, forbidden, notFound } from '../../platform/errors.js';
import { parseOrThrow } from '../../platform/validation.js';
import type { Config } from '../../config.js';
import type { DirectoryService, RoleChangeNotice } from '../directory/service.js';
import { ROLE_NAMES, type Role } from '../../platform/access/policy.js';
import type { PeopleService } from '../people/service.js';
import { alertFilters, breakGlassInput, decisionInput, reviewInput } from './inputs.js';
import { ALERT_KIND_NAMES, ALERT_OUTCOME_NAMES, breakGlassExpiry, breakGlassMustWait, DECISION_NAMES, lastHour, manyRecordsWindow } from './rules.js';
import * as store from './store.js';

export type AccessReviewDependencies = {
  db: Database;
  audit: AuditTrail;
  guard: AccessGuard;
  clock: Clock;
  people: Pick<PeopleService, 'followedFromSearch' | 'namesOf'>;
  directory: Pick<DirectoryService, 'namesFor'>;
  config: Config['accessReview'];
};

const ALERTS_PAGE = 50;

/** Emergency access either starts now, or waits for the Caldicott guardian (beyond the hourly allowance). */
export type BreakGlassOutcome =
  | ({ status: 'started'; name: string; alertId: string } & store.BreakGlassRow)
  | { status: 'waiting'; requestId: string; personId: string; name: string; requestedAt: Date };

/**
 * Emergency access (break-glass) and the alerts it and other unusual access raise for the auditor and
 * Caldicott guardian: raised, listed, looked into and reviewed once, each step recorded.
 */
export class AccessReviewService {
  constructor(private readonly deps: AccessReviewDependencies) {}

  /** The person emergency access would open, for its form; refused when the record already opens. */
  async breakGlassForm(actor: Actor, personId: string) {
    const name = await this.requireBreakGlassNeeded(actor, personId);
    await this.deps.audit.recordNow(auditActorOf(actor), { action: 'record.break_glass_form_viewed', personId, subject: { type: 'person', id: personId }, details: { purpose: 'emergency access' } });
    return { personId, name, hours: this.deps.config.breakGlassHours };
  }

  /**
   * Opens a record the actor has no relationship with, for a few hours, for a listed reason explained
   * in their words. It raises an alert for the Caldicott guardian in the same transaction. Beyond the
   * hourly allowance it opens nothing: it is recorded as a request that waits for her decision.
   * A refusal (no reason, too short an explanation, no permission) is recorded too. Like its form, it
   * is only for a person a search just showed the actor (`requireBreakGlassNeeded`).
   */
  async breakGlass(actor: Actor, personId: string, input: unknown): Promise<BreakGlassOutcome> {
    const name = await this.requireBreakGlassNeeded(actor, personId);
    const values = await this.parseOrRecordRefusal(actor, personId, input);
    const { audit, clock, config } = this.deps;
    return audit.transaction(auditActorOf(actor), async (tx, record) => {
      const now = clock.now();
      await store.lockBreakGlassOf(tx, actor.userId);
      const started = await store.breakGlassStartedIn(tx, actor.userId, lastHour(now));
      const asked = { personId, userId: actor.userId, agencyId: actor.agencyId, teamId: actor.teamId, reasonCode: values.reason, reasonText: values.explanation };
      if (breakGlassMustWait(started, config.breakGlassPerHour)) {
        const request = await store.insertRequest(tx, { ...asked, requestedAt: now });
        record({
          action: 'record.break_glass_requested',
          personId,
          subject: { type: 'break_glass_request', id: request.id },
          details: { reason: values.reason, explanation: values.explanation, startedInLastHour: started, perHour: config.breakGlassPerHour },
        });
        return { status: 'waiting' as const, requestId: request.id, personId, name, requestedAt: now };
      }
      const glass = await this.start(tx, record, asked, now);
      return { status: 'started' as const, ...glass, name };
    });
  }

  /** Starts emergency access and raises its alert, in the caller's transaction. */
  private async start(tx: Queryable, record: RecordEvent, asked: Omit<store.RequestRow, 'id' | 'requestedAt'>, startedAt: Date, approval?: { requestId: string }) {
    const expiresAt = breakGlassExpiry(startedAt, this.deps.config.breakGlassHours);
    const glass = await store.insertBreakGlass(tx, { ...asked, startedAt, expiresAt });
    const alert = await store.insertAlert(tx, {
      kind: 'break_glass',
      userId: asked.userId,
      personId: asked.personId,
      breakGlassId: glass.id,
      details: { reason: asked.reasonCode, agencyId: asked.agencyId, teamId: asked.teamId, expiresAt: expiresAt.toISOString(), ...(approval ?? {}) },
      raisedAt: startedAt,
    });
    record({
      action: 'record.break_glass',
      personId: asked.personId,
      subject: { type: 'person', id: asked.personId },
      details: { breakGlassId: glass.id, alertId: alert.id, userId: asked.userId, reason: asked.reasonCode, explanation: asked.reasonText, expiresAt: expiresAt.toISOString(), ...(approval ?? {}) },
    });
    return { ...glass, alertId: alert.id };
  }

  /** The reason and explanation, or a refusal that is recorded before it is answered. */
  private async parseOrRecordRefusal(actor: Actor, personId: string, input: unknown) {
    try {
      return parseOrThrow(breakGlassInput, input, 'OVERSIGHT.BREAK_GLASS_INVALID');
    } catch (error) {
      if (error instanceof DomainError) {
        await this.deps.audit.recordNow(auditActorOf(actor), {
          action: 'record.break_glass_refused',
          outcome: 'denied',
          personId,
          subject: { type: 'person', id: personId },
          details: { problems: error.fieldErrors.map((e) => ({ field: e.field, message: e.message })) },
        });
      }
      throw error;
    }
  }

  // ---- Emergency access waiting for the Caldicott guardian -------------------------------------

  /** Emergency access waiting for a decision, longest wait first, each person shown recorded as seen. */
  async waitingRequests(actor: Actor) {
    const { audit, guard } = this.deps;
    await guard.require(actor, 'alerts.review');
    const rows = await audit.transaction(auditActorOf(actor), async (tx, record) => {
      const found = await store.waitingRequests(tx);
      for (const personId of new Set(found.map((r) => r.personId))) record({ action: 'break_glass_requests.viewed', personId, subject: { type: 'person', id: personId }, details: { shown: found.length } });
      return found;
    });
    return this.describeRequests(rows.map((request) => ({ request, decision: null })));
  }

  /** One request, with its decision if it has one. */
  async request(actor: Actor, requestId: string) {
    const { audit, guard, db } = this.deps;
    await guard.require(actor, 'alerts.review');
    const found = await store.findRequest(db, requestId);
    if (!found) throw notFound('OVERSIGHT.REQUEST_NOT_FOUND', 'There is no emergency access request with that reference.');
    await audit.recordNow(auditActorOf(actor), { action: 'record.break_glass_request_viewed', personId: found.request.personId, subject: { type: 'break_glass_request', id: requestId } });
    return (await this.describeRequests([found]))[0]!;
  }

  /**
   * The Caldicott guardian's decision, made once, by someone other than the one asking. Approval starts
   * the emergency access then (its hours count from the approval) and raises its alert like any other.
   */
  async decide(actor: Actor, requestId: string, input: unknown) {
    const { audit, guard, db, clock } = this.deps;
    await guard.require(actor, 'alerts.review');
    const found = await store.findRequest(db, requestId);
    if (!found) throw notFound('OVERSIGHT.REQUEST_NOT_FOUND', 'There is no emergency access request with that reference.');
    if (found.decision) throw alreadyDecided();
    if (found.request.userId === actor.userId) throw forbidden('OVERSIGHT.OWN_REQUEST', 'You cannot decide on your own emergency access: ask another auditor.');
    const values = parseOrThrow(decisionInput, input, 'OVERSIGHT.DECISION_INVALID');
    return audit.transaction(auditActorOf(actor), async (tx, record) => {
      const now = clock.now();
      const { id: _id, requestedAt: _at, ...asked } = found.request;
      const glass = values.decision === 'approved' ? await this.start(tx, record, asked, now, { requestId }) : null;
      const decision = await store.insertDecision(tx, { requestId, decision: values.decision, notes: values.notes, decidedBy: actor.userId, decidedAt: now, breakGlassId: glass?.id ?? null });
      if (!decision) throw alreadyDecided();
      record({
        action: values.decision === 'approved' ? 'record.break_glass_approved' : 'record.break_glass_declined',
        personId: asked.personId,
        subject: { type: 'break_glass_request', id: requestId },
        details: { userId: asked.userId, notes: values.notes, ...(glass ? { breakGlassId: glass.id, expiresAt: glass.expiresAt.toISOString() } : {}) },
      });
      return { ...decision, expiresAt: glass?.expiresAt ?? null };
    });
  }

  private async describeRequests(rows: { request: store.RequestRow; decision: store.DecisionRow | null }[]) {
    const { db, directory, people } = this.deps;
    const names = await directory.namesFor({
      userIds: rows.flatMap((r) => [r.request.userId, ...(r.decision ? [r.decision.decidedBy] : [])]),
      agencyIds: rows.map((r) => r.request.agencyId),
      teamIds: rows.map((r) => r.request.teamId),
    });
    const personNames = await people.namesOf(db, rows.map((r) => r.request.personId));
    return rows.map(({ request, decision }) => ({
      id: request.id,
      requestedAt: request.requestedAt,
      user: { id: request.userId, name: names.users.get(request.userId)?.name ?? 'Unknown user' },
      agency: { id: request.agencyId, name: names.agencies.get(request.agencyId)?.name ?? 'Unknown agency' },
      team: { id: request.teamId, name: names.teams.get(request.teamId)?.name ?? 'Unknown team' },
      person: { id: request.personId, name: personNames.get(request.personId) ?? 'Unknown person' },
      reason: request.reasonCode,
      reasonName: BREAK_GLASS_REASON_NAMES[request.reasonCode as BreakGlassReason] ?? request.reasonCode,
      explanation: request.reasonText,
      decision: decision
        ? { decision: decision.decision, decisionName: DECISION_NAMES[decision.decision], notes: decision.notes, decidedAt: decision.decidedAt, decidedBy: { id: decision.decidedBy, name: names.users.get(decision.decidedBy)?.name ?? 'Unknown user' } }
        : null,
    }));
  }

  /**
   * The name of the person emergency access would open, for its form and for asking for it. Only for
   * someone a search just showed the actor, or with whom they already have a relationship: any other
   * id, made up or real, answers (and is recorded) as a person that does not exist, so emergency access
   * cannot be used to find out who exists.
   */
  private async requireBreakGlassNeeded(actor: Actor, personId: string): Promise<string> {
    const { guard, people } = this.deps;
    await guard.require(actor, 'records.break_glass', {}, { type: 'person', id: personId });
    const found = await people.followedFromSearch(actor, personId);
    // The notice says no name: it is shown on whichever page comes next, which may not be the record.
    if (found.access.level === 'record') throw accessNotNeeded();
    return found.name;
  }

  // ---- The alert queue -------------------------------------------------------------------------

  async alerts(actor: Actor, query: unknown) {
    const { audit, guard } = this.deps;
    await guard.require(actor, 'alerts.review');
    const filters = parseOrThrow(alertFilters, query, 'OVERSIGHT.FILTERS_INVALID');
    const page = filters.page ?? 1;
    const listed = await audit.transaction(auditActorOf(actor), async (tx, record) => {
      const found = await store.listAlerts(tx, filters, { offset: (page - 1) * ALERTS_PAGE, size: ALERTS_PAGE });
      const details = { filters: { kind: filters.kind, status: filters.status }, page, shown: found.rows.length };
      record({ action: 'alerts.viewed', details });
      // The queue names the people whose records were opened: each is recorded as seen, like a search result.
      for (const personId of new Set(found.rows.flatMap((r) => (r.alert.personId ? [r.alert.personId] : [])))) {
        record({ action: 'alerts.viewed', personId, subject: { type: 'person', id: personId }, details });
      }
      return found;
    });
    return { filters, page, hasMore: listed.hasMore, alerts: await this.describe(listed.rows), unreviewed: await store.countUnreviewed(this.deps.db) };
  }

  /** One alert in full, with what its user did about the person while the emergency access lasted. */
  async alert(actor: Actor, alertId: string) {
    const { audit, guard, db } = this.deps;
    await guard.require(actor, 'alerts.review');
    const found = await store.findAlert(db, alertId);
    if (!found) throw notFound('OVERSIGHT.ALERT_NOT_FOUND', 'There is no access alert with that reference.');
    const [view] = await this.describe([found]);
    const { activity, opened } = await audit.transaction(auditActorOf(actor), async (tx, record) => {
      const alert = found.alert;
      const glass = view!.breakGlass;
      const events = glass && alert.personId ? await eventsOfUserAboutPerson(tx, alert.userId, alert.personId, { from: glass.startedAt, to: glass.expiresAt }) : [];
      const window = manyRecordsWindowOf(alert);
      const people = window ? await peopleOpenedBy(tx, alert.userId, { ...window, limit: 500 }) : [];
      const subject = { type: 'access_alert', id: alert.id };
      record({ action: 'alert.viewed', personId: alert.personId ?? undefined, subject, details: { kind: alert.kind } });
      for (const opened of people) record({ action: 'alert.viewed', personId: opened.personId, subject, details: { kind: alert.kind, shownAs: 'record opened in the hour counted' } });
      return { activity: events, opened: people };
    });
    const names = await this.deps.people.namesOf(db, opened.map((p) => p.personId));
    return { ...view!, activity, opened: opened.map((p) => ({ ...p, name: names.get(p.personId) ?? 'Unknown person' })) };
  }

  /** The auditor's finding on an alert: made once, by someone other than the person it is about. */
  async review(actor: Actor, alertId: string, input: unknown) {
    const { audit, guard, db, clock } = this.deps;
    await guard.require(actor, 'alerts.review');
    const found = await store.findAlert(db, alertId);
    if (!found) throw notFound('OVERSIGHT.ALERT_NOT_FOUND', 'There is no access alert with that reference.');
    if (found.review) throw alreadyReviewed();
    if (found.alert.userId === actor.userId) throw forbidden('OVERSIGHT.OWN_ALERT', 'You cannot review an alert about your own access: ask another auditor.');
    const values = parseOrThrow(reviewInput, input, 'OVERSIGHT.REVIEW_INVALID');
    return audit.transaction(auditActorOf(actor), async (tx, record) => {
      const review = await store.insertReview(tx, { alertId, outcome: values.outcome, notes: values.notes, reviewedBy: actor.userId, reviewedAt: clock.now() });
      if (!review) throw alreadyReviewed();
      record({ action: 'alert.reviewed', personId: found.alert.personId ?? undefined, subject: { type: 'access_alert', id: alertId }, details: { kind: found.alert.kind, outcome: values.outcome } });
      return review;
    });
  }

  /**
   * A change to a sensitive role, raised in the changer's transaction. The alert is about the user
   * whose access changed, so they cannot review it themselves; who made the change is in its details.
   */
  async raiseRoleChangeAlert(tx: Queryable, record: RecordEvent, change: RoleChangeNotice) {
    const details = { changedBy: change.changedBy, change: change.kind, membershipId: change.membershipId, teamId: change.teamId, before: change.before, after: change.after, sensitive: change.sensitive };
    const alert = await store.insertAlert(tx, { kind: 'role_change', userId: change.subjectUserId, details, raisedAt: this.deps.clock.now() });
    record({ action: 'alert.raised', subject: { type: 'access_alert', id: alert.id }, details: { kind: alert.kind, userId: change.subjectUserId, ...details } });
    return alert;
  }

  /** How many alerts wait for review, for the navigation. Not a read of anyone's data. */
  unreviewedCount(): Promise<number> {
    return store.countUnreviewed(this.deps.db);
  }

  /**
   * The periodic check: anyone who opened more than the configured number of different people's
   * records in the last hour raises one alert for this clock hour. Safe to run from several workers at
   * once: the alert's unique key lets only the first insert count, and only that one is recorded.
   */
  async raiseManyRecordsAlerts(): Promise<number> {
    const { db, audit, clock, config } = this.deps;
    const now = clock.now();
    const window = manyRecordsWindow(now);
    const heavy = await usersOpeningMany(db, window, config.peoplePerHour);
    if (heavy.length === 0) return 0;
    return audit.transaction(null, async (tx, record) => {
      const raised = await store.raiseManyRecordsAlerts(
        tx,
        heavy.map((h) => ({
          userId: h.userId,
          windowStart: window.hourStart,
          raisedAt: now,
          details: { people: h.people, threshold: config.peoplePerHour, from: window.from.toISOString(), to: now.toISOString() },
        })),
      );
      for (const alert of raised) {
        record({ action: 'alert.raised', subject: { type: 'access_alert', id: alert.id }, details: { kind: alert.kind, userId: alert.userId, people: (alert.details as { people: number }).people } });
      }
      return raised.length;
    });
  }

  /** Alerts with the names an auditor reads: who, their agency and team, the person, the reason, the review. */
  private async describe(rows: { alert: store.AlertRow; review: store.ReviewRow | null }[]) {
    const { db, directory, people } = this.deps;
    const glassIds = rows.flatMap((r) => (r.alert.breakGlassId ? [r.alert.breakGlassId] : []));
    const glasses = new Map((await store.breakGlassByIds(db, glassIds)).map((g) => [g.id, g]));
    const roleChanges = new Map(rows.flatMap(({ alert }) => (alert.kind === 'role_change' ? [[alert.id, alert.details as RoleChangeDetails] as const] : [])));
    const names = await directory.namesFor({
      userIds: rows.flatMap((r) => [r.alert.userId, ...(r.review ? [r.review.reviewedBy] : [])]).concat([...roleChanges.values()].map((c) => c.changedBy)),
      agencyIds: [...glasses.values()].map((g) => g.agencyId),
      teamIds: [...glasses.values()].map((g) => g.teamId).concat([...roleChanges.values()].map((c) => c.teamId)),
    });
    const personNames = await people.namesOf(db, rows.flatMap((r) => (r.alert.personId ? [r.alert.personId] : [])));
    return rows.map(({ alert, review }) => {
      const glass = alert.breakGlassId ? (glasses.get(alert.breakGlassId) ?? null) : null;
      return {
        id: alert.id,
        kind: alert.kind as AccessAlertKind,
        kindName: ALERT_KIND_NAMES[alert.kind],
        raisedAt: alert.raisedAt,
        user: { id: alert.userId, name: names.users.get(alert.userId)?.name ?? 'Unknown user', jobTitle: names.users.get(alert.userId)?.jobTitle ?? null },
        agency: glass ? { id: glass.agencyId, name: names.agencies.get(glass.agencyId)?.name ?? 'Unknown agency' } : null,
        team: glass ? { id: glass.teamId, name: names.teams.get(glass.teamId)?.name ?? 'Unknown team' } : null,
        person: alert.personId ? { id: alert.personId, name: personNames.get(alert.personId) ?? 'Unknown person' } : null,
        breakGlass: glass
          ? { id: glass.id, reason: glass.reasonCode, reasonName: BREAK_GLASS_REASON_NAMES[glass.reasonCode as BreakGlassReason] ?? glass.reasonCode, explanation: glass.reasonText, startedAt: glass.startedAt, expiresAt: glass.expiresAt }
          : null,
        manyRecords: alert.kind === 'many_records' ? { people: Number((alert.details as { people?: number }).people ?? 0), threshold: Number((alert.details as { threshold?: number }).threshold ?? 0), ...manyRecordsWindowOf(alert)! } : null,
        roleChange: roleChangeView(roleChanges.get(alert.id), names),
        review: review
          ? { outcome: review.outcome, outcomeName: ALERT_OUTCOME_NAMES[review.outcome], notes: review.notes, reviewedAt: review.reviewedAt, reviewedBy: { id: review.reviewedBy, name: names.users.get(review.reviewedBy)?.name ?? 'Unknown user' } }
          : null,
      };
    });
  }
}

/** What a role-change alert recorded when it was raised (directory: raiseRoleChangeAlert). */
type RoleChangeDetails = { changedBy: string; change: 'add' | 'change' | 'end'; teamId: string; before: Role[]; after: Role[]; sensitive: Role[] };
const ROLE_CHANGE_WORDS = { add: 'Added to a team', change: 'Roles changed', end: 'Membership ended' } as const;

/** A role change in words: who made it, in which team, the roles before and after, and which of them reach furthest. */
function roleChangeView(change: RoleChangeDetails | undefined, names: Awaited<ReturnType<DirectoryService['namesFor']>>) {
  if (!change) return null;
  const roles = (list: Role[]) => (list.length ? list.map((role) => ROLE_NAMES[role] ?? role).join(', ') : 'None');
  return {
    change: change.change,
    changeName: ROLE_CHANGE_WORDS[change.change] ?? change.change,
    changedBy: { id: change.changedBy, name: names.users.get(change.changedBy)?.name ?? 'Unknown user' },
    team: { id: change.teamId, name: names.teams.get(change.teamId)?.name ?? 'Unknown team' },
    before: roles(change.before),
    after: roles(change.after),
    sensitive: roles(change.sensitive),
  };
}

const accessNotNeeded = () => conflict('OVERSIGHT.ACCESS_NOT_NEEDED', 'You can already open this record, so emergency access is not needed.');
const alreadyDecided = () => conflict('OVERSIGHT.ALREADY_DECIDED', 'This request has already been decided. A decision cannot be changed.');
const alreadyReviewed = () => conflict('OVERSIGHT.ALREADY_REVIEWED', 'This alert has already been reviewed. A review cannot be changed.');

/** The hour a "many records" alert counted, from what it recorded when raised. */
function manyRecordsWindowOf(alert: store.AlertRow): { from: Date; to: Date } | null {
  if (alert.kind !== 'many_records') return null;
  const details = alert.details as { from?: string; to?: string };
  return details.from && details.to ? { from: new Date(details.from), to: new Date(new Date(details.to).getTime() + 1) } : null;
}
