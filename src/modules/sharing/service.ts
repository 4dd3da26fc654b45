import type { Actor } from '../../platform/access/actor.js';
import { auditActorOf } from '../../platform/access/actor.js';
import { momentOf } from '../../platform/access/facts.js';
import type { AccessGuard } from '../../platform/access/guard.js';
import type { AccessMoment, ConsentFact, PersonAccess } from '../../platform/access/person-access.js';
import type { Permission } from '../../platform/access/policy.js';
import type { AuditTrail } from '../../platform/audit/trail.js';
import type { Clock } from '../../platform/clocks/clock.js';
import { endOfLondonDay, londonDate } from '../../platform/clocks/working-days.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import { DomainError, conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import type { DirectoryService } from '../directory/service.js';
import type { EntryKinds } from '../../platform/records/entries.js';
import * as rules from './rules.js';
import type { Problem, Read, Refusal } from './rules.js';
import * as store from './store.js';
import type { RecordOpener } from '../../platform/access/open-record.js';

/**
 * Consent and sharing on a person's record (CON-1, CON-3, CON-4, CON-5): the decisions the person
 * made, the restrictions they asked for, and the exceptions under which information is shared
 * without consent. Each use case opens the record as the rest of Concord does (a person the actor
 * may not see answers as one that does not exist), writes once, and audits in the same transaction.
 * What is shared is then decided by platform/access from these rows, on the very next request.
 */

type Agency = rules.DirectoryAgency;
type Names = { agencies: Map<string, Agency>; users: Map<string, { name: string }> };


function refused(code: string, refusal: Refusal): DomainError {
  if (refusal.kind === 'not_found') return notFound(code, refusal.message);
  if (refusal.kind === 'forbidden') return forbidden(code, refusal.message);
  return conflict(code, refusal.message);
}

function valueOr<T>(read: Read<T>, code: string): T {
  if (read.ok) return read.value;
  throw invalid(code, read.problems);
}

function isUniqueViolation(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } })?.cause ?? error;
  return (cause as { code?: string })?.code === '23505';
}

/** Someone else did the same a moment earlier: the unique key answers what the check before it would have. */
async function once<T>(write: () => Promise<T>, code: string, message: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof DomainError || !isUniqueViolation(error)) throw error;
    throw conflict(code, message);
  }
}

/** The start of a London day, as an instant. */
function startOfLondonDay(date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const dayBefore = new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
  return new Date(endOfLondonDay(dayBefore).getTime() + 1);
}

const withdrawnIds = (rows: store.ConsentRow[]) => new Map(rows.flatMap((r) => (r.withdraws ? [[r.withdraws, r] as const] : [])));

const factOf = (row: store.ConsentRow, withdrawn: ReadonlyMap<string, unknown>): ConsentFact => ({
  id: row.id,
  decision: row.decision as 'given' | 'refused',
  agencyIds: row.agencyIds,
  agencyTypes: row.agencyTypes,
  categories: row.categories,
  obtainedAt: row.obtainedAt,
  reviewDate: row.reviewDate,
  withdrawn: withdrawn.has(row.id),
});

export type SharingRecord = Awaited<ReturnType<SharingService['overview']>>;
export type ConsentView = ReturnType<SharingService['consentViews']>[number];

export class SharingService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditTrail,
    private readonly guard: AccessGuard,
    private readonly clock: Clock,
    private readonly openPersonRecord: RecordOpener,
    private readonly directory: Pick<DirectoryService, 'listAgencies' | 'listAllTeams' | 'namesFor'>,
    /** The entries a restriction may name (every kind registered as restrictable), to check one is the agency's own, about this person. */
    private readonly entries: EntryKinds,
  ) {}

  private moment(): AccessMoment {
    return momentOf(this.clock);
  }

  /** The person, if the actor may open their record (the one way in: platform/access/open-record), after the permission for what is attempted. */
  private async openRecord(actor: Actor, personId: string, permission: Permission, attempted: string): Promise<{ id: string; name: string; access: PersonAccess }> {
    await this.guard.require(actor, permission);
    const { id, name, access } = await this.openPersonRecord(actor, personId, { section: 'sharing', attempted });
    return { id, name, access };
  }

  private async agencies(actor: Actor): Promise<Agency[]> {
    return (await this.directory.listAgencies(actor)).map((a) => ({ id: a.id, name: a.name, type: a.type, active: a.active }));
  }

  private async names(actor: Actor, userIds: string[]): Promise<Names> {
    const agencies = await this.agencies(actor);
    const { users } = await this.directory.namesFor({ userIds });
    return { agencies: new Map(agencies.map((a) => [a.id, a])), users };
  }

  private readonly agencyName = (names: Names, id: string) => names.agencies.get(id)?.name ?? 'An agency no longer in the directory';
  private readonly userName = (names: Names, id: string) => names.users.get(id)?.name ?? 'Unknown';

  // ---- Reading -----------------------------------------------------------------------------

  /** Everything on the "Consent and sharing" section, as the actor may see it; reading it is recorded. */
  async overview(actor: Actor, personId: string) {
    const person = await this.openRecord(actor, personId, 'people.view', 'sharing.viewed');
    const rows = await this.audit.read(auditActorOf(actor), async (tx, record) => {
      const found = await this.rowsOf(tx, actor, personId);
      record({ action: 'sharing.viewed', personId, subject: { type: 'person', id: personId } });
      return found;
    });
    const at = this.moment();
    const userIds = [
      ...rows.consents.map((c) => c.recordedBy),
      ...rows.restrictions.flatMap((r) => [r.recordedBy, ...(r.end ? [r.end.endedBy] : [])]),
      ...rows.exceptions.flatMap((e) => [e.decidedBy, ...(e.end ? [e.end.endedBy] : [])]),
    ];
    const names = await this.names(actor, userIds);
    const teams = await this.directory.listAllTeams(actor);
    return {
      person,
      consents: this.consentViews(rows.consents, names, at),
      consequences: this.consequences(rows.consents, names, teams, at),
      restrictions: rows.restrictions.map((r) => this.restrictionView(r, names)),
      exceptions: rows.exceptions.map((e) => this.exceptionView(e, names, at)),
    };
  }

  /** The rows the actor may see: restrictions only if their agency recorded them (CON-3). */
  private async rowsOf(db: Queryable, actor: Actor, personId: string) {
    return {
      consents: await store.consentsOf(db, personId),
      restrictions: (await store.restrictionsOf(db, personId)).filter((r) => rules.restrictionShownTo(actor, r)),
      exceptions: await store.exceptionsOf(db, personId),
    };
  }

  consentViews(rows: store.ConsentRow[], names: Names, at: AccessMoment) {
    const withdrawals = withdrawnIds(rows);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return rows.map((row) => {
      const fact = row.decision === 'withdrawn' ? null : factOf(row, withdrawals);
      const withdrawal = withdrawals.get(row.id);
      return {
        id: row.id,
        decision: row.decision,
        status: fact ? rules.consentStatus(fact, at) : null,
        withdraws: row.withdraws,
        withdrawsDecidedOn: row.withdraws ? (byId.get(row.withdraws)?.obtainedAt ?? null) : null,
        withdrawnBy: withdrawal?.id ?? null,
        agencies: row.agencyIds.map((id) => ({ id, name: this.agencyName(names, id) })),
        agencyTypes: row.agencyTypes,
        categories: row.categories,
        purposes: row.purposes,
        obtainedHow: row.obtainedHow,
        obtainedAt: row.obtainedAt,
        reviewDate: row.reviewDate,
        notes: row.notes,
        consequences: row.consequences,
        recordedAt: row.recordedAt,
        recordedBy: { id: row.recordedBy, name: this.userName(names, row.recordedBy) },
        recordedByAgency: { id: row.recordedByAgency, name: this.agencyName(names, row.recordedByAgency) },
      };
    });
  }

  /** CON-5: for each refusal still standing, who cannot be told what, what the person was told, and the services that cannot receive it. */
  private consequences(rows: store.ConsentRow[], names: Names, teams: rules.DirectoryTeam[], at: AccessMoment) {
    const withdrawals = withdrawnIds(rows);
    const facts = rows.filter((r) => r.decision !== 'withdrawn').map((r) => factOf(r, withdrawals));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const agencyNames = new Map([...names.agencies].map(([id, a]) => [id, a.name]));
    const agencies = [...names.agencies.values()];
    return rules.standingRefusals(facts, at, (id) => names.agencies.get(id)?.type).map(({ refusal, parties }) => {
      const row = byId.get(refusal.id)!;
      return {
        consentId: refusal.id,
        decidedAt: row.obtainedAt,
        parties: parties.map((p) => ({ ...p, name: rules.partyName(p, agencyNames) })),
        restricted: rules.refusalWording(parties, agencyNames),
        personWasTold: row.consequences,
        services: rules.servicesWithout(parties, agencies, teams),
      };
    });
  }

  private restrictionView(row: store.RestrictionRow, names: Names) {
    return {
      id: row.id,
      entryType: row.entryType,
      entryId: row.entryId,
      categories: row.categories,
      agencies: row.agencyIds.map((id) => ({ id, name: this.agencyName(names, id) })),
      agencyTypes: row.agencyTypes,
      otherParties: row.otherParties,
      reason: row.reason,
      recordedAt: row.recordedAt,
      recordedBy: { id: row.recordedBy, name: this.userName(names, row.recordedBy) },
      lifted: row.end ? { at: row.end.endedAt, by: { id: row.end.endedBy, name: this.userName(names, row.end.endedBy) }, reason: row.end.reason } : null,
    };
  }

  private exceptionView(row: store.ExceptionRow, names: Names, at: AccessMoment) {
    return {
      id: row.id,
      status: rules.exceptionStatus({ ...row, ended: row.end !== null }, at),
      lawfulBasis: row.lawfulBasis,
      justification: row.justification,
      categories: row.categories,
      recipients: row.agencyIds.map((id) => ({ id, name: this.agencyName(names, id) })),
      checklist: row.checklist as ReturnType<typeof rules.checklistRecord>,
      personInformed: rules.personInformedOf(row.personInformed),
      decidedAt: row.decidedAt,
      decidedBy: { id: row.decidedBy, name: this.userName(names, row.decidedBy) },
      decidedByAgency: { id: row.decidedByAgency, name: this.agencyName(names, row.decidedByAgency) },
      reviewDate: row.reviewDate,
      ended: row.end ? { at: row.end.endedAt, by: { id: row.end.endedBy, name: this.userName(names, row.end.endedBy) }, reason: row.end.reason } : null,
    };
  }

  /**
   * What a form about this person needs: the name, the access that opens the record, the agencies
   * that may be chosen, and what `check` finds (the decision a form changes, refused if it cannot be).
   * Showing it shows the person's name, so it is recorded as a read.
   */
  private async form<T>(actor: Actor, personId: string, permission: Permission, form: string, check: () => Promise<T>) {
    const person = await this.openRecord(actor, personId, permission, `sharing.${form}`);
    const found = await check();
    await this.audit.recordNow(auditActorOf(actor), { action: 'sharing.viewed', personId, subject: { type: 'person', id: personId }, details: { form } });
    return { person, agencies: (await this.agencies(actor)).filter((a) => a.active), found };
  }

  /** The form to record a consent decision, a restriction or an exception. */
  async formFor(actor: Actor, personId: string, permission: Permission, form: 'consent' | 'restriction' | 'exception') {
    const { person, agencies } = await this.form(actor, personId, permission, form, async () => null);
    return { person, agencies };
  }

  /** The withdrawal form, for consent that can still be withdrawn. */
  async withdrawalForm(actor: Actor, personId: string, consentId: string) {
    const { person, agencies, found } = await this.form(actor, personId, 'sharing.record', 'withdrawal', () => this.withdrawable(personId, consentId));
    const names = await this.names(actor, [found.consent.recordedBy]);
    return { person, agencies, consent: this.consentViews([found.consent], names, this.moment())[0]! };
  }

  /** The lift form, for the recording agency only. */
  async liftForm(actor: Actor, personId: string, restrictionId: string) {
    const { person, found } = await this.form(actor, personId, 'sharing.record', 'lift', () => this.liftable(actor, personId, restrictionId));
    return { person, restriction: this.restrictionView(found, await this.names(actor, [found.recordedBy])) };
  }

  /** The end form, for a team manager in the deciding agency. */
  async endForm(actor: Actor, personId: string, exceptionId: string) {
    const { person, found } = await this.form(actor, personId, 'sharing.exception', 'end_exception', () => this.endable(actor, personId, exceptionId));
    return { person, exception: this.exceptionView(found, await this.names(actor, [found.decidedBy]), this.moment()) };
  }

  /** The consent decisions alone (the API's list), with the consequences of refusal. */
  async consents(actor: Actor, personId: string) {
    const { consents, consequences } = await this.overview(actor, personId);
    return { consents, consequences };
  }

  // ---- Consent (CON-1) -----------------------------------------------------------------------

  /** A decision's date as the instant it counts from: today's is now; an earlier day's, the start of that day. */
  private instantOf(date: string): Date {
    const now = this.clock.now();
    return date === londonDate(now) ? now : startOfLondonDay(date);
  }

  async recordConsent(actor: Actor, personId: string, input: unknown, earlier: Problem[] = []) {
    await this.openRecord(actor, personId, 'sharing.record', 'consent.recorded');
    const agencies = (await this.agencies(actor)).filter((a) => a.active);
    const values = valueOr(rules.readConsent(input, { today: this.moment().today, agencyIds: agencies.map((a) => a.id) }, earlier), 'SHARING.CONSENT_INVALID');
    const { obtainedOn, ...decision } = values;
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const row = await store.insertConsent(tx, {
        personId,
        ...decision,
        obtainedAt: this.instantOf(obtainedOn),
        recordedAt: this.clock.now(),
        recordedBy: actor.userId,
        recordedByAgency: actor.agencyId,
      });
      record({
        action: 'consent.recorded',
        personId,
        subject: { type: 'consent_decision', id: row.id },
        details: { decision: row.decision, agencyIds: row.agencyIds, agencyTypes: row.agencyTypes, categories: row.categories, purposes: row.purposes, reviewDate: row.reviewDate },
      });
      return row;
    });
  }

  private async withdrawable(personId: string, consentId: string) {
    const rows = await store.consentsOf(this.db, personId);
    const consent = rows.find((r) => r.id === consentId && r.decision !== 'withdrawn') ?? null;
    const refusal = rules.withdrawalRefusal(consent ? factOf(consent, withdrawnIds(rows)) : null, this.moment());
    if (refusal) throw refused(refusal.kind === 'conflict' ? 'SHARING.NOT_WITHDRAWABLE' : 'SHARING.CONSENT_NOT_FOUND', refusal);
    return { consent: consent! };
  }

  /** CON-1: a withdrawal is a new decision pointing at the consent it withdraws; from the next request, nothing is shared by it. */
  async withdrawConsent(actor: Actor, personId: string, consentId: string, input: unknown, earlier: Problem[] = []) {
    await this.openRecord(actor, personId, 'sharing.record', 'consent.withdrawn');
    const { consent } = await this.withdrawable(personId, consentId);
    const values = valueOr(rules.readWithdrawal(input, { today: this.moment().today, consentGivenOn: londonDate(consent.obtainedAt) }, earlier), 'SHARING.WITHDRAWAL_INVALID');
    return once(
      () =>
        this.audit.transaction(auditActorOf(actor), async (tx, record) => {
          const row = await store.insertConsent(tx, {
            personId,
            decision: 'withdrawn',
            withdraws: consent.id,
            agencyIds: consent.agencyIds,
            agencyTypes: consent.agencyTypes,
            categories: consent.categories,
            purposes: consent.purposes,
            obtainedHow: values.obtainedHow,
            obtainedAt: this.instantOf(values.withdrawnOn),
            notes: values.notes,
            recordedAt: this.clock.now(),
            recordedBy: actor.userId,
            recordedByAgency: actor.agencyId,
          });
          record({ action: 'consent.withdrawn', personId, subject: { type: 'consent_decision', id: consent.id }, details: { withdrawalId: row.id } });
          return row;
        }),
      'SHARING.NOT_WITHDRAWABLE',
      'This consent has already been withdrawn.',
    );
  }

  // ---- Restrictions (CON-3) ------------------------------------------------------------------

  async restrictions(actor: Actor, personId: string) {
    return (await this.overview(actor, personId)).restrictions;
  }

  async recordRestriction(actor: Actor, personId: string, input: unknown) {
    await this.openRecord(actor, personId, 'sharing.record', 'restriction.recorded');
    const agencies = (await this.agencies(actor)).filter((a) => a.active);
    const values = valueOr(rules.readRestriction(input, { agencyIds: agencies.map((a) => a.id), entryKinds: this.entries.restrictableTypes.map((type) => ({ type, noun: this.entries.kind(type)!.noun })) }), 'SHARING.RESTRICTION_INVALID');
    if (values.entryId) {
      const kind = this.entries.kind(values.entryType ?? '');
      const entry = kind?.restrictable ? await this.entries.summaryFor(this.db, actor, momentOf(this.clock), personId, kind.type, values.entryId) : null;
      if (entry?.owningAgencyId !== actor.agencyId) {
        const noun = kind?.noun ?? 'entry';
        throw invalid('SHARING.RESTRICTION_INVALID', [{ field: 'entryId', message: `Only ${actor.agencyName}’s own ${noun}s about this person can be restricted here: open the ${noun} and choose “Restrict who can see this” again` }]);
      }
    }
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const row = await store.insertRestriction(tx, { personId, ...values, recordedAt: this.clock.now(), recordedBy: actor.userId, recordedByAgency: actor.agencyId });
      record({
        action: 'restriction.recorded',
        personId,
        subject: { type: 'sharing_restriction', id: row.id },
        details: { entryType: row.entryType, entryId: row.entryId, categories: row.categories, agencyIds: row.agencyIds, agencyTypes: row.agencyTypes },
      });
      return row;
    });
  }

  private async liftable(actor: Actor, personId: string, restrictionId: string) {
    const [restriction] = await store.restrictionsOf(this.db, personId, restrictionId);
    const refusal = rules.liftRefusal(actor, restriction ? { ...restriction, ended: restriction.end !== null } : null);
    if (refusal) throw refused(refusal.kind === 'conflict' ? 'SHARING.ALREADY_LIFTED' : 'SHARING.RESTRICTION_NOT_FOUND', refusal);
    return restriction!;
  }

  async liftRestriction(actor: Actor, personId: string, restrictionId: string, input: unknown) {
    await this.openRecord(actor, personId, 'sharing.record', 'restriction.lifted');
    await this.liftable(actor, personId, restrictionId);
    const { reason } = valueOr(rules.readEnd(input), 'SHARING.LIFT_INVALID');
    return once(
      () =>
        this.audit.transaction(auditActorOf(actor), async (tx, record) => {
          const row = await store.insertRestrictionEnd(tx, { restrictionId, endedAt: this.clock.now(), endedBy: actor.userId, reason });
          record({ action: 'restriction.lifted', personId, subject: { type: 'sharing_restriction', id: restrictionId } });
          return row;
        }),
      'SHARING.ALREADY_LIFTED',
      'This restriction has already been lifted.',
    );
  }

  // ---- Exceptions (CON-4) --------------------------------------------------------------------

  async exceptions(actor: Actor, personId: string) {
    return (await this.overview(actor, personId)).exceptions;
  }

  async recordException(actor: Actor, personId: string, input: unknown, earlier: Problem[] = []) {
    await this.openRecord(actor, personId, 'sharing.exception', 'exception.recorded');
    const agencies = (await this.agencies(actor)).filter((a) => a.active);
    const values = valueOr(
      rules.readException(input, { today: this.moment().today, agencyIds: agencies.map((a) => a.id), ownAgencyId: actor.agencyId }, earlier),
      'SHARING.EXCEPTION_INVALID',
    );
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const row = await store.insertException(tx, {
        personId,
        lawfulBasis: values.lawfulBasis,
        justification: values.justification,
        categories: values.categories,
        agencyIds: values.agencyIds,
        checklist: rules.checklistRecord(values.checklist),
        decidedBy: actor.userId,
        decidedByAgency: actor.agencyId,
        decidedAt: this.clock.now(),
        reviewDate: values.reviewDate,
        personInformed: rules.personInformedText(values),
      });
      record({
        action: 'exception.recorded',
        personId,
        subject: { type: 'sharing_exception', id: row.id },
        details: { lawfulBasis: row.lawfulBasis, categories: row.categories, agencyIds: row.agencyIds, reviewDate: row.reviewDate },
      });
      return row;
    });
  }

  private async endable(actor: Actor, personId: string, exceptionId: string) {
    const [exception] = await store.exceptionsOf(this.db, personId, exceptionId);
    const deciding = exception ? ((await this.directory.namesFor({ agencyIds: [exception.decidedByAgency] })).agencies.get(exception.decidedByAgency)?.name ?? 'the agency') : '';
    const refusal = rules.endExceptionRefusal(actor, exception ? { ...exception, ended: exception.end !== null } : null, deciding);
    if (refusal) {
      if (refusal.kind === 'forbidden') {
        await this.audit.recordNow(auditActorOf(actor), {
          action: 'access.denied',
          outcome: 'denied',
          personId,
          subject: { type: 'sharing_exception', id: exceptionId },
          details: { reason: refusal.message },
        });
      }
      throw refused(refusal.kind === 'conflict' ? 'SHARING.ALREADY_ENDED' : refusal.kind === 'forbidden' ? 'SHARING.NOT_DECIDING_AGENCY' : 'SHARING.EXCEPTION_NOT_FOUND', refusal);
    }
    return exception!;
  }

  async endException(actor: Actor, personId: string, exceptionId: string, input: unknown) {
    await this.openRecord(actor, personId, 'sharing.exception', 'exception.ended');
    await this.endable(actor, personId, exceptionId);
    const { reason } = valueOr(rules.readEnd(input), 'SHARING.END_INVALID');
    return once(
      () =>
        this.audit.transaction(auditActorOf(actor), async (tx, record) => {
          const row = await store.insertExceptionEnd(tx, { exceptionId, endedAt: this.clock.now(), endedBy: actor.userId, reason });
          record({ action: 'exception.ended', personId, subject: { type: 'sharing_exception', id: exceptionId } });
          return row;
        }),
      'SHARING.ALREADY_ENDED',
      'This exception has already been ended.',
    );
  }
}
