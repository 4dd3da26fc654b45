import { auditActorOf, type Actor } from '../../platform/access/actor.js';
import { hasPermission } from '../../platform/access/decide.js';
import type { AccessGuard } from '../../platform/access/guard.js';
import { loadPersonFacts, momentOf } from '../../platform/access/facts.js';
import {
  endInvolvement,
  involvementsOfPerson,
  lockInvolvementsOf,
  startInvolvement,
  updateInvolvementDetails,
  type InvolvementDetails,
  type InvolvementRow,
} from '../../platform/access/involvements.js';
import { consentShares, decidePersonAccess, exceptionInForce, type AccessMoment, type PersonAccess, type PersonAccessFacts } from '../../platform/access/person-access.js';
import type { AuditTrail } from '../../platform/audit/trail.js';
import type { Clock } from '../../platform/clocks/clock.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import { conflict, forbidden, invalid, notFound, type FieldError } from '../../platform/errors.js';
import { parseOrThrow } from '../../platform/validation.js';
import { changedSinceOpened } from '../directory/rules.js';
import type { DirectoryService } from '../directory/service.js';
import { recordPaths } from '../people/paths.js';
import { addInput, changeInput, changesBetween, endInput, endRefusal, leadClashes, whoLeads, type ChangeInput } from './rules.js';
import type { RecordOpener } from '../../platform/access/open-record.js';

const INVOLVEMENT = (id: string) => ({ type: 'involvement', id });
/** Another coordinator changed or ended it after this one opened it: nothing of theirs is written. */
const changed = () => conflict('INVOLVEMENT.CHANGED', changedSinceOpened('This agency’s involvement'));

type Agency = { id: string; name: string; type: string };

/** An agency's part in the person's care, with the names a reader needs. */
export type InvolvementView = Omit<InvolvementRow, 'personId' | 'sourceId' | 'startedBy'> & {
  agencyName: string;
  teamName: string | null;
  current: boolean;
  /** Why the coordinator cannot end it here (it ends with its referral or case), or null. */
  endRefusal: string | null;
};

type Opened = { person: { id: string; name: string }; facts: PersonAccessFacts; access: PersonAccess };

/**
 * CON-1: what allows the person's information to go to this agency: consent in force naming it (or
 * its kind), for some category, with no later refusal; or a recorded exception in force naming it (CON-4).
 */
function sharingBasis(actor: Actor, agency: Agency, facts: PersonAccessFacts, at: AccessMoment): { kind: 'consent' | 'exception'; id: string } | null {
  // The consent rules judge the acting agency; the agency about to be added stands in for it.
  const standIn: Actor = { ...actor, agencyId: agency.id, agencyName: agency.name, agencyType: agency.type };
  for (const category of new Set((facts.consents ?? []).flatMap((c) => c.categories))) {
    const consent = consentShares(standIn, facts, category, at);
    if (consent) return { kind: 'consent', id: consent.id };
  }
  const exception = (facts.exceptions ?? []).find((e) => exceptionInForce(e, at) && e.agencyIds.includes(agency.id));
  return exception ? { kind: 'exception', id: exception.id } : null;
}

const detailsOf = (values: Omit<ChangeInput, 'version'>): InvolvementDetails => ({
  domains: values.domains,
  leadDomains: values.leadDomains,
  keyContact: { name: values.contactName, role: values.contactRole, phone: values.contactPhone },
  communication: values.communication,
});

/** The details as the forms and the audit trail name them. */
const flatDetails = (row: Pick<InvolvementRow, 'domains' | 'leadDomains' | 'keyContact' | 'communication'>) => ({
  domains: row.domains,
  leadDomains: row.leadDomains,
  contactName: row.keyContact?.name ?? null,
  contactRole: row.keyContact?.role ?? null,
  contactPhone: row.keyContact?.phone ?? null,
  communication: row.communication,
});

/**
 * The agencies involved in a person's care (COORD-6): who covers and leads on each aspect, who to ask
 * and how they keep in touch. Adding an agency shares the record with it, so it needs the person's
 * consent (CON-1) or a recorded exception; ending one ends its access on its next request.
 */
export class InvolvementService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditTrail,
    private readonly guard: AccessGuard,
    private readonly clock: Clock,
    private readonly directory: Pick<DirectoryService, 'namesFor' | 'listAgencies' | 'listAllTeams'>,
    private readonly openPersonRecord: RecordOpener,
  ) {}

  /** The person, if the actor may open their record (the one way in: platform/access/open-record). */
  private async open(actor: Actor, personId: string, attempt: string): Promise<Opened> {
    const { id, name, facts, access } = await this.openPersonRecord(actor, personId, { section: 'agencies', attempted: attempt });
    return { person: { id, name }, facts, access };
  }

  private mayManage(actor: Actor, facts: PersonAccessFacts) {
    return hasPermission(actor, 'involvement.manage') && facts.involvements.some((i) => i.active && i.agencyId === actor.agencyId && i.role !== 'referrer');
  }

  /**
   * Changing who is involved is for the coordinators of an agency in the person's care: an agency that
   * sees the record under an exception or by emergency access does not decide who else sees it.
   */
  private async openToManage(actor: Actor, personId: string, attempt: string): Promise<Opened> {
    await this.guard.require(actor, 'involvement.manage', {}, { type: 'person', id: personId });
    const opened = await this.open(actor, personId, attempt);
    if (!this.mayManage(actor, opened.facts)) {
      await this.audit.recordNow(auditActorOf(actor), { action: 'access.denied', outcome: 'denied', personId, subject: { type: 'person', id: personId }, details: { permission: 'involvement.manage', attempt, reason: 'agency not involved' } });
      throw forbidden('INVOLVEMENT.NOT_INVOLVED', `Only an agency involved in ${opened.person.name}’s care can change which agencies are involved. ${opened.access.basis}`);
    }
    return opened;
  }

  /** Inside a transaction, pass it: asking the pool for a second connection while holding one can starve the pool. */
  private async describe(rows: InvolvementRow[], db?: Queryable): Promise<InvolvementView[]> {
    const names = await this.directory.namesFor({ agencyIds: rows.map((r) => r.agencyId), teamIds: rows.flatMap((r) => (r.teamId ? [r.teamId] : [])) }, db);
    return rows.map(({ personId: _p, sourceId: _s, startedBy: _b, ...row }) => {
      const agencyName = names.agencies.get(row.agencyId)?.name ?? 'Unknown agency';
      const current = row.endedAt === null;
      return {
        ...row,
        agencyName,
        teamName: row.teamId ? (names.teams.get(row.teamId)?.name ?? null) : null,
        current,
        endRefusal: current ? endRefusal({ role: row.role, sourceType: row.sourceType, active: true, agencyName }) : null,
      };
    });
  }

  private factsFor(views: InvolvementView[]) {
    return views.map((v) => ({ id: v.id, agencyName: v.agencyName, role: v.role, domains: v.domains, leadDomains: v.leadDomains, sourceType: v.sourceType, active: v.current }));
  }

  // ---- Reading ------------------------------------------------------------------------------------

  /** The agencies involved, current and ended, and who leads on each aspect of care. Reading it is recorded. */
  async list(actor: Actor, personId: string) {
    await this.guard.require(actor, 'people.view');
    const { person, facts, access } = await this.open(actor, personId, 'view');
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const all = await this.describe(await involvementsOfPerson(tx, personId), tx);
      const current = all.filter((i) => i.current);
      const byId = new Map(current.map((i) => [i.id, i]));
      const leads = whoLeads(this.factsFor(current)).map((l) => ({
        domain: l.domain,
        name: l.name,
        lead: l.lead ? byId.get(l.lead.id)! : null,
        coveredBy: l.coveredBy.map((c) => byId.get(c.id)!),
      }));
      record({ action: 'involvement.viewed', personId, subject: { type: 'person', id: personId } });
      return { person, access, current, ended: all.filter((i) => !i.current), leads, canManage: this.mayManage(actor, facts) };
    });
  }

  /** What the form to add an agency offers: active agencies not already involved, and their teams. Showing it is a read of who is involved. */
  async forAdding(actor: Actor, personId: string) {
    const { person, facts, access } = await this.openToManage(actor, personId, 'add');
    const involved = new Set(facts.involvements.filter((i) => i.active && i.role !== 'referrer').map((i) => i.agencyId));
    const agencies = (await this.directory.listAgencies(actor)).filter((a) => a.active && !involved.has(a.id));
    const offered = new Set(agencies.map((a) => a.id));
    const teams = (await this.directory.listAllTeams(actor)).filter((t) => t.active && offered.has(t.agencyId));
    await this.audit.recordNow(auditActorOf(actor), { action: 'involvement.viewed', personId, subject: { type: 'person', id: personId }, details: { purpose: 'add' } });
    return { person, access, agencies, teams };
  }

  /** One current involvement, for the forms that change or end it. Showing it is a read. */
  async forChanging(actor: Actor, personId: string, involvementId: string, purpose: 'change' | 'end') {
    const { person, access } = await this.openToManage(actor, personId, purpose);
    const [found] = await this.describe((await involvementsOfPerson(this.db, personId)).filter((i) => i.id === involvementId));
    if (!found) throw notFound('INVOLVEMENT.NOT_FOUND', 'There is no such agency involvement for this person.');
    if (!found.current) throw conflict('INVOLVEMENT.ENDED', `${found.agencyName}’s involvement has already ended.`);
    await this.audit.recordNow(auditActorOf(actor), { action: 'involvement.viewed', personId, subject: INVOLVEMENT(involvementId), details: { purpose } });
    return { person, access, involvement: found, values: { ...flatDetails(found), version: found.version } };
  }

  // ---- Changing ----------------------------------------------------------------------------------

  /** Adds an agency to the person's care (COORD-6), which shares the record with it (CON-1). */
  async add(actor: Actor, personId: string, input: unknown): Promise<InvolvementView> {
    const { person } = await this.openToManage(actor, personId, 'add');
    const values = parseOrThrow(addInput, input, 'INVOLVEMENT.INVALID');
    const agency = (await this.directory.listAgencies(actor)).find((a) => a.id === values.agencyId.toLowerCase());
    const team = values.teamId ? (await this.directory.listAllTeams(actor)).find((t) => t.id === values.teamId) : null;
    const problems: FieldError[] = [];
    if (!agency?.active) problems.push({ field: 'agencyId', message: agency ? `${agency.name} no longer works in the partnership: select another agency` : 'Select an agency from the list' });
    if (agency && values.teamId && (!team?.active || team.agencyId !== agency.id)) problems.push({ field: 'teamId', message: `Select a team of ${agency.name}, or no team` });
    if (problems.length || !agency) throw invalid('INVOLVEMENT.INVALID', problems);
    const now = this.clock.now();
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      await lockInvolvementsOf(tx, personId);
      const current = (await this.describe(await involvementsOfPerson(tx, personId), tx)).filter((i) => i.current);
      const facts = await loadPersonFacts(tx, personId);
      const refusals: { code: string; error: FieldError }[] = [];
      const already = current.find((i) => i.agencyId === agency.id && i.role !== 'referrer');
      if (already) {
        refusals.push({ code: 'INVOLVEMENT.ALREADY_INVOLVED', error: { field: 'agencyId', message: `${agency.name} is already involved in ${person.name}’s care: change its involvement instead of adding it again` } });
      }
      const basis = sharingBasis(actor, agency, facts, momentOf(this.clock));
      if (!basis && !already) {
        refusals.push({
          code: 'INVOLVEMENT.NO_CONSENT',
          error: { field: 'agencyId', message: `There is no consent in force to share ${person.name}’s information with ${agency.name}: record ${person.name}’s consent first, on the Consent and sharing page` },
        });
      }
      for (const message of leadClashes(this.factsFor(current), null, values.leadDomains)) refusals.push({ code: 'INVOLVEMENT.LEAD_TAKEN', error: { field: 'leadDomains', message } });
      if (refusals.length) {
        const first = refusals[0]!;
        const title = first.code === 'INVOLVEMENT.NO_CONSENT' ? `${first.error.message} (${recordPaths.sharing(personId)})` : first.error.message;
        throw conflict(first.code, title, refusals.map((r) => r.error));
      }
      const row = await startInvolvement(tx, {
        personId,
        agencyId: agency.id,
        teamId: team?.id ?? null,
        role: values.role,
        source: { type: 'coordinator', id: actor.userId },
        by: actor.userId,
        at: now,
        details: detailsOf(values),
      });
      record({
        action: 'involvement.started',
        personId,
        subject: INVOLVEMENT(row.id),
        details: { agencyId: agency.id, teamId: row.teamId, role: row.role, ...flatDetails(row), sharedUnder: basis },
      });
      return (await this.describe([row], tx))[0]!;
    });
  }

  /** Changes what an agency covers and leads on, who to ask there and how the agencies keep in touch (COORD-6). */
  async change(actor: Actor, personId: string, involvementId: string, input: unknown): Promise<InvolvementView> {
    await this.openToManage(actor, personId, 'change');
    const { version, ...values } = parseOrThrow(changeInput, input, 'INVOLVEMENT.INVALID');
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const before = await this.lockedOne(tx, personId, involvementId, version);
      if (before.row.role === 'referrer') {
        throw conflict('INVOLVEMENT.REFERRER', `${before.row.agencyName} referred this person and sees only the referral’s status: add it as a partner agency to record its part in their care.`);
      }
      const clashes = leadClashes(this.factsFor(before.current), involvementId, values.leadDomains);
      if (clashes.length) throw conflict('INVOLVEMENT.LEAD_TAKEN', clashes[0]!, clashes.map((message) => ({ field: 'leadDomains', message })));
      const updated = await updateInvolvementDetails(tx, involvementId, detailsOf(values), version);
      if (!updated) throw changed();
      const changes = changesBetween(flatDetails(before.row), flatDetails(updated));
      record({ action: 'involvement.changed', personId, subject: INVOLVEMENT(involvementId), details: { agencyId: before.row.agencyId, changes } });
      return (await this.describe([updated], tx))[0]!;
    });
  }

  /**
   * The coordinator ends an agency's part in the person's care, with the reason. The agency loses
   * access on its next request, since the access decision reads the involvement each time.
   */
  async end(actor: Actor, personId: string, involvementId: string, input: unknown) {
    await this.openToManage(actor, personId, 'end');
    const values = parseOrThrow(endInput, input, 'INVOLVEMENT.INVALID');
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const { row } = await this.lockedOne(tx, personId, involvementId, values.version);
      const refusal = endRefusal({ role: row.role, sourceType: row.sourceType, active: row.current, agencyName: row.agencyName });
      if (refusal) throw conflict('INVOLVEMENT.ENDS_ELSEWHERE', refusal);
      const ended = await endInvolvement(tx, involvementId, this.clock.now(), values.reason, values.version);
      if (!ended) throw changed();
      record({ action: 'involvement.ended', personId, subject: INVOLVEMENT(involvementId), details: { agencyId: row.agencyId, role: row.role, reason: values.reason } });
      const access = decidePersonAccess(actor, await loadPersonFacts(tx, personId), momentOf(this.clock));
      return { involvement: (await this.describe([ended], tx))[0]!, stillHasAccess: access.level === 'record' };
    });
  }

  /**
   * One of the person's involvements, under the person's lock, with the others current beside it;
   * refused if it has ended, or changed since the coordinator read it at `version`.
   */
  private async lockedOne(tx: Queryable, personId: string, involvementId: string, version: number) {
    await lockInvolvementsOf(tx, personId);
    const all = await this.describe(await involvementsOfPerson(tx, personId), tx);
    const row = all.find((i) => i.id === involvementId);
    if (!row) throw notFound('INVOLVEMENT.NOT_FOUND', 'There is no such agency involvement for this person.');
    if (!row.current) throw conflict('INVOLVEMENT.ENDED', `${row.agencyName}’s involvement has already ended: add the agency again if it is involved once more.`);
    if (row.version !== version) throw changed();
    return { row, current: all.filter((i) => i.current) };
  }
}
