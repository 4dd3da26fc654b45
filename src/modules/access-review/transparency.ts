import { auditActorOf, type Actor } from '../../platform/access/actor.js';
import { hasPermission } from '../../platform/access/decide.js';
import type { AccessGuard } from '../../platform/access/guard.js';
import { decideItemAccess, exceptionInForce, type AccessMoment, type PersonAccessFacts } from '../../platform/access/person-access.js';
import { CATEGORY_NAMES, INFORMATION_CATEGORIES } from '../../platform/access/sharing-terms.js';
import { peopleOpenedBy, recordOpensOf } from '../../platform/audit/reads.js';
import type { AuditTrail } from '../../platform/audit/trail.js';
import type { Clock } from '../../platform/clocks/clock.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import { notFound } from '../../platform/errors.js';
import { parseOrThrow } from '../../platform/validation.js';
import type { DirectoryService } from '../directory/service.js';
import type { PeopleService } from '../people/service.js';
import { beforeQuery } from './inputs.js';
import { INVOLVEMENT_ROLE_WORDS, ITEM_ACCESS_WORDS, RECORD_OPEN_WORDS } from './rules.js';
import * as store from './store.js';
import type { RecordOpener } from '../../platform/access/open-record.js';

type Dependencies = {
  db: Database;
  audit: AuditTrail;
  guard: AccessGuard;
  clock: Clock;
  people: Pick<PeopleService, 'exists' | 'namesOf'>;
  directory: Pick<DirectoryService, 'namesFor'>;
  openRecord: RecordOpener;
};

const VIEWERS_PAGE = 25;
const USER_ACCESS_PEOPLE = 200;
const NOT_FOUND = 'There is no person with that reference.';
/** "An item another agency recorded": the question each category row answers. No agency has this id. */
const ANOTHER_AGENCY = '00000000-0000-0000-0000-000000000000';

export type AgencyBasis = { kind: 'involvement' | 'referrer' | 'exception' | 'break_glass'; text: string; until?: Date | string };

/**
 * Transparency about access (CON-2): why the actor sees what they see of a record, which agencies can
 * see it and on what basis, and who has opened it. Who opened what is read from the audit trail.
 */
export class Transparency {
  constructor(private readonly deps: Dependencies) {}

  /** The "Who can see this" section of a record, for anyone who can open the record. */
  async accessPage(actor: Actor, personId: string, query: unknown) {
    const { audit, guard, openRecord } = this.deps;
    await guard.require(actor, 'people.view');
    const { access: mine, at, facts, name } = await openRecord(actor, personId, { section: 'access' });
    const { before } = parseOrThrow(beforeQuery, query, 'OVERSIGHT.PAGE_INVALID');
    const showViewers = hasPermission(actor, 'records.viewers');
    return audit.read(auditActorOf(actor), async (tx, record) => {
      const categories = INFORMATION_CATEGORIES.map((category) => {
        const decision = decideItemAccess(actor, facts, { category, owningAgencyId: ANOTHER_AGENCY }, at);
        return { category, name: CATEGORY_NAMES[category], allowed: decision.allowed, via: decision.via, basis: decision.basis, ...ITEM_ACCESS_WORDS[decision.via] };
      });
      const agencies = await this.agenciesSeeing(tx, personId, facts, at);
      const viewers = showViewers ? await this.viewerPage(tx, personId, before) : null;
      record({ action: 'access.viewed', personId, subject: { type: 'person', id: personId }, details: { viewersShown: viewers?.reads.length ?? null } });
      return { person: { id: personId, name }, mine, categories, agencies, viewers };
    });
  }

  /** The same list of who opened a record, for auditors, who cannot open records themselves. */
  async viewersForAuditor(actor: Actor, personId: string, query: unknown) {
    const { db, audit, guard, people } = this.deps;
    await guard.require(actor, 'audit.view');
    if (!(await people.exists(db, personId))) throw notFound('PEOPLE.NOT_FOUND', NOT_FOUND);
    const { before } = parseOrThrow(beforeQuery, query, 'OVERSIGHT.PAGE_INVALID');
    return audit.read(auditActorOf(actor), async (tx, record) => {
      const name = (await people.namesOf(tx, [personId])).get(personId)!;
      const viewers = await this.viewerPage(tx, personId, before);
      record({ action: 'audit.viewers_viewed', personId, subject: { type: 'person', id: personId }, details: { shown: viewers.reads.length } });
      return { person: { id: personId, name }, viewers };
    });
  }

  /** Which people one user opened, when and how, most recent first: for an auditor looking into their access. */
  async userAccess(actor: Actor, userId: string) {
    const { audit, guard, directory, people } = this.deps;
    await guard.require(actor, 'audit.view');
    const user = (await directory.namesFor({ userIds: [userId] })).users.get(userId);
    if (!user) throw notFound('OVERSIGHT.USER_NOT_FOUND', 'There is no user with that reference.');
    return audit.read(auditActorOf(actor), async (tx, record) => {
      const opened = await peopleOpenedBy(tx, userId, { limit: USER_ACCESS_PEOPLE });
      const names = await people.namesOf(tx, opened.map((p) => p.personId));
      const glass = await store.breakGlassUses(tx, { userId });
      const subject = { type: 'user', id: userId };
      record({ action: 'audit.user_access_viewed', subject, details: { people: opened.length } });
      for (const p of opened) record({ action: 'audit.user_access_viewed', personId: p.personId, subject, details: { opens: p.opens } });
      return {
        user: { id: userId, name: user.name, jobTitle: user.jobTitle, email: user.email },
        limit: USER_ACCESS_PEOPLE,
        people: opened.map((p) => ({
          ...p,
          name: names.get(p.personId) ?? 'Unknown person',
          actionNames: p.actions.map((a) => RECORD_OPEN_WORDS[a] ?? a),
          breakGlass: glass.filter((g) => g.personId === p.personId).map((g) => ({ startedAt: g.startedAt, expiresAt: g.expiresAt })),
        })),
      };
    });
  }

  /** Every agency that can see the record now, each with its reasons: involvement, an exception, emergency access. */
  private async agenciesSeeing(tx: Queryable, personId: string, facts: PersonAccessFacts, at: AccessMoment) {
    const bases = new Map<string, AgencyBasis[]>();
    const add = (agencyId: string, basis: AgencyBasis) => bases.set(agencyId, [...(bases.get(agencyId) ?? []), basis]);
    for (const involvement of facts.involvements.filter((i) => i.active)) {
      add(involvement.agencyId, { kind: involvement.role === 'referrer' ? 'referrer' : 'involvement', text: INVOLVEMENT_ROLE_WORDS[involvement.role] });
    }
    for (const exception of (facts.exceptions ?? []).filter((e) => exceptionInForce(e, at))) {
      const covering = exception.categories.map((c) => CATEGORY_NAMES[c as keyof typeof CATEGORY_NAMES] ?? c).join(', ');
      for (const agencyId of exception.agencyIds) add(agencyId, { kind: 'exception', text: `Shared without consent under a recorded exception (${covering}), until its review on`, until: exception.reviewDate });
    }
    const glass = await store.breakGlassUses(tx, { personId, inForceAt: at.now });
    const names = await this.deps.directory.namesFor({ agencyIds: [...bases.keys(), ...glass.map((g) => g.agencyId)], userIds: glass.map((g) => g.userId) }, tx);
    for (const g of glass) add(g.agencyId, { kind: 'break_glass', text: `Emergency access used by ${names.users.get(g.userId)?.name ?? 'a user'}, until`, until: g.expiresAt });
    return [...bases.entries()]
      .map(([agencyId, list]) => ({
        agencyId,
        name: names.agencies.get(agencyId)?.name ?? 'Unknown agency',
        level: list.every((b) => b.kind === 'referrer') ? ('referral-status' as const) : ('record' as const),
        bases: list,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** One page of who opened the record, newest first, with their agency and team and whether it was by emergency access. */
  private async viewerPage(tx: Queryable, personId: string, beforeId: number | undefined) {
    const page = await recordOpensOf(tx, personId, { beforeId, size: VIEWERS_PAGE });
    const glass = await store.breakGlassUses(tx, { personId });
    const names = await this.deps.directory.namesFor({
      userIds: page.reads.flatMap((r) => (r.userId ? [r.userId] : [])),
      agencyIds: page.reads.flatMap((r) => (r.agencyId ? [r.agencyId] : [])),
      teamIds: page.reads.flatMap((r) => (r.teamId ? [r.teamId] : [])),
    }, tx);
    return {
      nextBeforeId: page.nextBeforeId,
      reads: page.reads.map((r) => ({
        id: r.id,
        occurredAt: r.occurredAt,
        userId: r.userId,
        userName: (r.userId && names.users.get(r.userId)?.name) || r.userName || 'Unknown user',
        agencyName: r.agencyId ? (names.agencies.get(r.agencyId)?.name ?? 'Unknown agency') : null,
        teamName: r.teamId ? (names.teams.get(r.teamId)?.name ?? 'Unknown team') : null,
        action: r.action,
        what: RECORD_OPEN_WORDS[r.action] ?? r.action,
        viaBreakGlass: glass.some((g) => g.userId === r.userId && g.startedAt <= r.occurredAt && r.occurredAt < g.expiresAt),
      })),
    };
  }
}
