import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/access/actor.js';
import { auditActorOf } from '../../platform/access/actor.js';
import type { AccessGuard } from '../../platform/access/guard.js';
import { factsReader, loadAccessFacts, momentOf } from '../../platform/access/facts.js';
import { decideItemAccess, decidePersonAccess, type PersonAccess } from '../../platform/access/person-access.js';
import { hasPermission } from '../../platform/access/decide.js';
import { canSeeRecord } from '../../platform/access/person-filter.js';
import { eventsOfUserAboutPerson } from '../../platform/audit/reads.js';
import { AuditTrail, type RecordEvent } from '../../platform/audit/trail.js';
import type { Clock } from '../../platform/clocks/clock.js';
import { londonDate } from '../../platform/clocks/working-days.js';
import { runTransaction, type Database, type Queryable } from '../../platform/db/database.js';
import { rowFromJson } from '../../platform/db/row-json.js';
import { conflict, notFound } from '../../platform/errors.js';
import { parseOrThrow } from '../../platform/validation.js';
import type { CasesService } from '../cases/service.js';
import type { DirectoryService } from '../directory/service.js';
import { childInput, followsOnFromSearch, identifiesSomeone, inquiryInput, isLikelyMatch, nameQuery, normaliseName, personInput, searchInput, shownBySearchWindow, type PersonInput, type SearchPurpose } from './rules.js';
import { childLink, inquiry, person, personAlias } from './schema.js';
import * as store from './store.js';

export type KnownTo = { agencyId: string; agencyName: string; teamName: string | null; role: string; current: boolean; since: Date; until: Date | null };
export type CaseAtAGlance = {
  reference: string;
  agencyName: string;
  teamName: string;
  state: string;
  openedAt: Date;
  closedAt: Date | null;
  coordinator: { name: string; phone: string | null; email: string; teamName: string; teamPhone: string | null } | null;
};
export type SearchResult = {
  id: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  postcode: string | null;
  nhsNumberMatches: boolean;
  likely: boolean;
  knownTo: KnownTo[];
  cases: CaseAtAGlance[];
  canOpenRecord: boolean;
};

/** What a search answers: whom it looked among, and the people found. */
export type SearchAnswer = { purpose: SearchPurpose; results: SearchResult[] };

/**
 * The duplicate check's answer about a person it found: that a likely match exists and whom to ask
 * about it (the coordinator of an open case, or else the team holding the record), not which agencies
 * are involved: that would tell anyone adding a person who is known to a mental health trust.
 */
export type LikelyMatch = {
  id: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  contact: { kind: 'coordinator'; name: string; phone: string | null; email: string; teamName: string; teamPhone: string | null } | { kind: 'team'; agencyName: string; teamName: string | null } | null;
  canOpenRecord: boolean;
};

/** Who a person is, for a page a search result led to. */
export type ShownPerson = { id: string; name: string; dateOfBirth: string | null };

/** Whether the team an actor acts for receives referrals (the referrals module's settings: REF-8's known check is theirs). */
export type ReceivesReferrals = (teamId: string) => Promise<boolean>;

function searchCriteria(sought: { name: string | null; dateOfBirth: string | null; nhsNumber: string | null; postcode: string | null }): store.SearchCriteria {
  const name = sought.name ? nameQuery(sought.name) : null;
  return { given: name?.given ?? [], family: name?.family ?? null, dateOfBirth: sought.dateOfBirth, nhsNumber: sought.nhsNumber, postcode: sought.postcode };
}

export class PeopleService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditTrail,
    private readonly guard: AccessGuard,
    private readonly clock: Clock,
    private readonly directory: Pick<DirectoryService, 'namesAlongside' | 'namesFromRead'>,
    private readonly cases: Pick<CasesService, 'summariesAlongside' | 'caseColumnAmong' | 'summariesFromRead'>,
    private readonly receivesReferrals: ReceivesReferrals,
  ) {
    // What a list of people says of each (to whom they are known, their cases and the names on both),
    // read with the access facts in one statement; a record read adds the record itself.
    const described = sql.join(
      [
        cases.summariesAlongside,
        directory.namesAlongside({
          agencyIds: sql`${store.involvedAmong('agencyId')} union ${cases.caseColumnAmong('agencyId')}`,
          teamIds: sql`${store.involvedAmong('teamId')} union ${cases.caseColumnAmong('teamId')}`,
          userIds: cases.caseColumnAmong('coordinatorUserId'),
        }),
      ],
      sql` union all `,
    );
    this.readDescribed = factsReader(described);
    this.readDescribedRecording = factsReader(described, AuditTrail.recordingWith);
    this.readRecord = factsReader(sql`${store.recordAlongside} union all ${described}`);
  }

  private readonly readPerson = factsReader(store.personAlongside);
  private readonly readDescribed: ReturnType<typeof factsReader>;
  /** readDescribed, writing the events of the search that found the people in the same statement. */
  private readonly readDescribedRecording: ReturnType<typeof factsReader>;
  private readonly readRecord: ReturnType<typeof factsReader>;

  /** Each person's name, read with the access facts when a record is opened (see recordOpener). */
  readonly nameAlongside = store.nameAlongside;

  private today() {
    return londonDate(this.clock.now());
  }

  /**
   * A person search, for one of two purposes. The known check (REF-8: "is this person already known,
   * and to whom?") is for a practitioner of a team that receives referrals, asking about one identified
   * person: it looks among everyone and answers with the agencies, cases and coordinator, nothing
   * clinical, each person shown recorded as `person.known_check`. Every other search looks only among
   * the people the actor may open the record of, filtered in the statement itself, so people they may
   * not see change nothing in the answer.
   */
  async search(actor: Actor, input: unknown): Promise<SearchAnswer> {
    await this.guard.require(actor, 'people.search');
    const criteria = parseOrThrow(searchInput(this.today()), input, 'PEOPLE.SEARCH_INVALID');
    const purpose = await this.purposeOf(actor, criteria);
    const at = momentOf(this.clock);
    const among: store.SearchAmong = purpose === 'known_check' ? store.EVERYONE : { kind: 'related', agencyId: actor.agencyId, userId: actor.userId, today: at.today, now: at.now };
    const shownAs = purpose === 'known_check' ? 'person.known_check' : 'person.search_result';
    // A search writes nothing but its record, so it runs with no transaction around it; the people it
    // found are described, and the search and each person shown recorded, in one statement.
    const who = auditActorOf(actor);
    return this.audit.read(
      who,
      async (tx) => {
        const candidates = await store.findCandidates(tx, searchCriteria(criteria), 20, among);
        const events = [
          { action: 'person.searched', details: { criteria, purpose, results: candidates.length } },
          ...candidates.map((c) => ({ action: shownAs, personId: c.id, subject: { type: 'person', id: c.id }, details: { purpose } })),
        ];
        if (candidates.length === 0) {
          await this.audit.recordNow(who, ...events);
          return { purpose, results: [] };
        }
        const loaded = await this.readDescribedRecording(tx, candidates.map((c) => c.id), { events: this.audit.eventsFor(who, events) });
        return { purpose, results: this.described(actor, candidates, criteria, loaded).results };
      },
      store.SEARCH_SETTINGS,
    );
  }

  /** The settings are read only for a query that could be a known check: most searches cost nothing more. */
  private async purposeOf(actor: Actor, criteria: { name: string | null; dateOfBirth: string | null; nhsNumber: string | null }): Promise<SearchPurpose> {
    if (!identifiesSomeone(criteria) || !hasPermission(actor, 'referrals.work')) return 'relationship';
    return (await this.receivesReferrals(actor.teamId)) ? 'known_check' : 'relationship';
  }

  /**
   * What a list of people says of each: to whom they are known, their cases and coordinators, whether
   * the actor may open their record. Also returns the involvements and cases it read, so that a caller
   * showing more of the same people does not read them again.
   */
  private async describe(tx: Queryable, actor: Actor, candidates: store.Candidate[], criteria: { dateOfBirth: string | null; nhsNumber: string | null }) {
    return this.described(actor, candidates, criteria, await this.readDescribed(tx, candidates.map((c) => c.id)));
  }

  /** describe, on what was read (for a record read, with the record in the same statement). */
  private described(actor: Actor, candidates: store.Candidate[], criteria: { dateOfBirth: string | null; nhsNumber: string | null }, loaded: ReadWithFacts) {
    const { facts, involvements, read } = loaded;
    const at = momentOf(this.clock);
    const cases = this.cases.summariesFromRead(read);
    const names = this.directory.namesFromRead(read);
    const results: SearchResult[] = candidates.map((candidate) => {
      const own = involvements.filter((i) => i.personId === candidate.id);
      const access = decidePersonAccess(actor, facts.get(candidate.id)!, at);
      const nhsNumberMatches = criteria.nhsNumber !== null && candidate.nhsNumber === criteria.nhsNumber;
      return {
        id: candidate.id,
        givenName: candidate.givenName,
        familyName: candidate.familyName,
        dateOfBirth: candidate.dateOfBirth,
        postcode: candidate.postcode,
        nhsNumberMatches,
        likely: isLikelyMatch(candidate, criteria),
        knownTo: own.map((i) => ({
          agencyId: i.agencyId,
          agencyName: names.agencies.get(i.agencyId)?.name ?? 'Unknown agency',
          teamName: i.teamId ? (names.teams.get(i.teamId)?.name ?? null) : null,
          role: i.role,
          current: i.endedAt === null,
          since: i.startedAt,
          until: i.endedAt,
        })),
        cases: (cases.get(candidate.id) ?? []).map((c) => {
          const coordinator = names.users.get(c.coordinatorUserId);
          const team = names.teams.get(c.teamId);
          return {
            reference: c.reference,
            agencyName: names.agencies.get(c.agencyId)?.name ?? 'Unknown agency',
            teamName: team?.name ?? 'Unknown team',
            state: c.state,
            openedAt: c.openedAt,
            closedAt: c.closedAt,
            coordinator:
              c.state === 'closed' || !coordinator
                ? null
                : { name: coordinator.name, phone: coordinator.phone, email: coordinator.email, teamName: team?.name ?? '', teamPhone: team?.phone ?? null },
          };
        }),
        canOpenRecord: access.level === 'record',
      };
    });
    return { results, involvements, cases };
  }

  /**
   * People who are probably the one about to be added: shown before a new record can be created
   * (REF-8). It looks among everyone, as it must to prevent a second record, and so answers only that a
   * likely match exists and whom to contact.
   */
  async likelyDuplicates(actor: Actor, input: PersonInput): Promise<LikelyMatch[]> {
    const candidates = await runTransaction(this.db, store.SEARCH_SETTINGS, async (tx) => ({
      // Matched as the search matches the name typed into it, so it finds whom the search would find.
      result: await store.findCandidates(tx, searchCriteria({ name: `${input.givenName} ${input.familyName}`, dateOfBirth: input.dateOfBirth, nhsNumber: input.nhsNumber, postcode: null })),
    }));
    const { results: described } = await this.describe(this.db, actor, candidates, input);
    const likely = described.filter((r) => r.likely);
    // Showing a possible match is showing that person's name: recorded like a search result.
    if (likely.length) {
      await this.audit.recordNow(
        auditActorOf(actor),
        ...likely.map((r) => ({ action: 'person.search_result', personId: r.id, subject: { type: 'person', id: r.id }, details: { purpose: 'duplicate check' } })),
      );
    }
    return likely.map(likelyMatchOf);
  }

  parsePerson(input: unknown) {
    return parseOrThrow(personInput(this.today()), input, 'PEOPLE.PERSON_INVALID');
  }

  /** Adds a person inside the caller's transaction (a referral's intake), recording who did it. */
  async createInTransaction(tx: Queryable, actor: Actor, values: PersonInput, record: RecordEvent) {
    const now = this.clock.now();
    if (values.nhsNumber) {
      const [clash] = await tx.select({ id: person.id }).from(person).where(eq(person.nhsNumber, values.nhsNumber)).limit(1);
      if (clash) throw conflict('PEOPLE.NHS_NUMBER_TAKEN', 'A person with that NHS number is already recorded: search for them and use their record', [{ field: 'nhsNumber', message: 'A person with that NHS number is already recorded' }]);
    }
    const [row] = await tx
      .insert(person)
      .values({ ...values, searchGiven: normaliseName(values.givenName), searchFamily: normaliseName(values.familyName), createdAt: now, createdBy: actor.userId, updatedAt: now })
      .returning();
    record({ action: 'person.created', personId: row!.id, subject: { type: 'person', id: row!.id }, details: { name: `${values.givenName} ${values.familyName}` } });
    return row!;
  }

  async exists(db: Queryable, personId: string): Promise<boolean> {
    return (await store.findPerson(db, personId)) !== null;
  }

  /** The identifying facts another part of Concord needs to judge a referral complete (REF-2), and nothing more. */
  async identityFor(db: Queryable, personId: string) {
    const found = await store.findPerson(db, personId);
    return { dateOfBirth: found?.dateOfBirth ?? null, nhsNumber: found?.nhsNumber ?? null, postcode: found?.postcode ?? null, addressLine1: found?.addressLine1 ?? null };
  }

  /**
   * Names of those among these people whose record the actor may open, decided in SQL: what work
   * queues and case pages show. Anyone missing from the answer must not be shown at all. The caller
   * records that the names were seen.
   */
  /**
   * Names only, for a caller that has already decided the actor may see these people's names by another
   * relationship (a referrer sees who their own referral is about, though not the record).
   */
  async namesOf(db: Queryable, personIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(personIds)];
    if (ids.length === 0) return new Map();
    const rows = await db.select({ id: person.id, givenName: person.givenName, familyName: person.familyName }).from(person).where(inArray(person.id, ids));
    return new Map(rows.map((r) => [r.id, `${r.givenName} ${r.familyName}`]));
  }

  async visibleNames(db: Queryable, actor: Actor, personIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(personIds)];
    if (ids.length === 0) return new Map();
    const rows = await db
      .select({ id: person.id, givenName: person.givenName, familyName: person.familyName })
      .from(person)
      .where(and(inArray(person.id, ids), canSeeRecord(actor, person.id, momentOf(this.clock))));
    return new Map(rows.map((r) => [r.id, `${r.givenName} ${r.familyName}`]));
  }

  /** The access this actor has to this person, from the facts held now. */
  async accessTo(db: Queryable, actor: Actor, personId: string): Promise<PersonAccess> {
    return decidePersonAccess(actor, (await loadAccessFacts(db, [personId])).get(personId)!, momentOf(this.clock));
  }

  /**
   * The whole record, for an agency involved with the person. Anyone else gets exactly the answer
   * for a record that does not exist; the refusal is still recorded.
   */
  async get(actor: Actor, id: string) {
    await this.guard.require(actor, 'people.view');
    const loaded = await this.readRecord(this.db, [id]);
    const { found, access, facts, at } = this.recordOrRefusal(actor, id, loaded);
    if (!found || !access) return this.refuse(actor, id);
    const aliases = rowsOfKind(loaded.read, 'alias', personAlias).sort(oldestFirst);
    // REC-3 children are children-and-safeguarding information owned by the agency that recorded them:
    // shown only where the decision shares them, and nothing says that others exist.
    const children = rowsOfKind(loaded.read, 'child', childLink)
      .filter((child) => decideItemAccess(actor, facts, { category: 'children_safeguarding', owningAgencyId: child.recordedByAgency }, at).allowed)
      .sort(oldestFirst);
    const described = this.described(actor, [{ ...found, nameScore: 0, score: 0 }], { dateOfBirth: null, nhsNumber: null }, loaded);
    const summary = described.results[0]!;
    await this.audit.recordNow(auditActorOf(actor), { action: 'person.viewed', personId: id, subject: { type: 'person', id } });
    return { person: found, aliases, children, involvements: described.involvements, cases: described.cases.get(id) ?? [], knownTo: summary.knownTo, caseSummaries: summary.cases, access };
  }

  private async requireRecordAccess(actor: Actor, personId: string) {
    await this.guard.require(actor, 'people.record');
    const { found, access } = this.recordOrRefusal(actor, personId, await this.readPerson(this.db, [personId]));
    return found && access ? found : this.refuse(actor, personId);
  }

  /**
   * The person and the actor's access, from one read of the person with their access facts; `found`
   * and `access` are both set only when the actor may open the record. A person id that came with a
   * request and is not the actor's to open gets the one answer (refuse), whether it exists or not:
   * the same statement runs either way, and the same refusal is recorded, naming the id asked for.
   */
  private recordOrRefusal(actor: Actor, id: string, loaded: ReadWithFacts) {
    const facts = loaded.facts.get(id)!;
    const at = momentOf(this.clock);
    const decided = decidePersonAccess(actor, facts, at);
    const [found] = rowsOfKind(loaded.read, 'person', person);
    const access = found && decided.level === 'record' ? decided : null;
    return { found: access ? found : null, access, facts, at };
  }

  private async refuse(actor: Actor, id: string): Promise<never> {
    await this.audit.recordNow(auditActorOf(actor), { action: 'person.view_refused', outcome: 'denied', personId: id, subject: { type: 'person', id }, details: { answered: 'not found' } });
    throw notFound('PEOPLE.NOT_FOUND', 'There is no person with that reference.');
  }

  /**
   * Who a person is (name, date of birth), for a page a search result led to (a referral for them),
   * recorded as `shownAs`. Refused as `followedFromSearch` refuses.
   */
  async shownToActor(actor: Actor, personId: string, shownAs: { action: string; purpose: string }): Promise<ShownPerson> {
    const { access: _access, ...shown } = await this.followedFromSearch(actor, personId);
    await this.audit.recordNow(auditActorOf(actor), { action: shownAs.action, personId, subject: { type: 'person', id: personId }, details: { purpose: shownAs.purpose } });
    return shown;
  }

  /**
   * The person an action that came with their id is about, and the actor's access to them, when the
   * actor may follow on to it (`followsOnFromSearch`: a relationship, or a search that just showed them
   * this person). Anyone else gets the one refusal, recorded, whether the person exists or not: the same
   * statements run either way. Nothing more is recorded: the caller records what it then does.
   */
  async followedFromSearch(actor: Actor, personId: string): Promise<ShownPerson & { access: PersonAccess }> {
    const { found, access } = await this.followingOn(this.db, actor, personId);
    if (!found) return this.refuse(actor, personId);
    return { id: personId, name: `${found.givenName} ${found.familyName}`, dateOfBirth: found.dateOfBirth, access };
  }

  /** Whether an id that came with a request may be acted on (see followsOnFromSearch), without answering for it: a referral for them says so in its own words. */
  async followsOn(db: Queryable, actor: Actor, personId: string): Promise<boolean> {
    return (await this.followingOn(db, actor, personId)).found !== null;
  }

  private async followingOn(db: Queryable, actor: Actor, personId: string) {
    const found = await store.findPerson(db, personId);
    const access = await this.accessTo(db, actor, personId);
    const shown = await shownBySearch(db, actor.userId, personId, shownBySearchWindow(this.clock.now()));
    return { found: found && followsOnFromSearch(access.level, shown) ? found : null, access };
  }

  /**
   * The person's details for a form that changes them or adds to them: the same access as the
   * change itself, and showing them is recorded as a read.
   */
  async getForChange(actor: Actor, id: string) {
    const found = await this.requireRecordAccess(actor, id);
    await this.audit.recordNow(auditActorOf(actor), { action: 'person.viewed', personId: id, subject: { type: 'person', id }, details: { purpose: 'change' } });
    return found;
  }

  /** Changes identity details. The version guards against two people editing at once. */
  async update(actor: Actor, id: string, input: unknown, expectedVersion: number) {
    const before = await this.requireRecordAccess(actor, id);
    const values = this.parsePerson(input);
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const [row] = await tx
        .update(person)
        .set({ ...values, searchGiven: normaliseName(values.givenName), searchFamily: normaliseName(values.familyName), updatedAt: this.clock.now(), version: sql`${person.version} + 1` })
        .where(and(eq(person.id, id), eq(person.version, expectedVersion)))
        .returning();
      if (!row) throw conflict('PEOPLE.CHANGED', 'This record was changed by someone else since you opened it. Reload it to see their changes, then make yours again.');
      const changes = Object.fromEntries(Object.entries(values).filter(([k, v]) => (before as Record<string, unknown>)[k] !== v).map(([k, v]) => [k, { from: (before as Record<string, unknown>)[k] ?? null, to: v }]));
      record({ action: 'person.updated', personId: id, subject: { type: 'person', id }, details: { changes } });
      return row;
    });
  }

  async addAlias(actor: Actor, personId: string, input: { givenName?: unknown; familyName?: unknown }) {
    await this.requireRecordAccess(actor, personId);
    const values = parseOrThrow(personInput(this.today()).pick({ givenName: true, familyName: true }), input, 'PEOPLE.ALIAS_INVALID');
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const [row] = await tx
        .insert(personAlias)
        .values({ personId, ...values, searchGiven: normaliseName(values.givenName), searchFamily: normaliseName(values.familyName), recordedAt: this.clock.now(), recordedBy: actor.userId })
        .returning();
      record({ action: 'person.alias_added', personId, subject: { type: 'person', id: personId }, details: values });
      return row!;
    });
  }

  /** Dependent children and children with significant contact (REC-3). */
  async addChild(actor: Actor, personId: string, input: unknown) {
    await this.requireRecordAccess(actor, personId);
    const values = parseOrThrow(childInput(this.today()), input, 'PEOPLE.CHILD_INVALID');
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const [row] = await tx.insert(childLink).values({ personId, ...values, recordedAt: this.clock.now(), recordedBy: actor.userId, recordedByAgency: actor.agencyId }).returning();
      record({ action: 'person.child_recorded', personId, subject: { type: 'person', id: personId }, details: { childLinkId: row!.id, relationship: values.relationship } });
      return row!;
    });
  }

  /** An inquiry with no referral and no case (REC-4), visible to colleagues and managers in the agency. */
  async recordInquiry(actor: Actor, input: unknown, personId: string | null = null) {
    await this.guard.require(actor, 'people.record');
    const values = parseOrThrow(inquiryInput, input, 'PEOPLE.INQUIRY_INVALID');
    if (personId && !(await store.findPerson(this.db, personId))) throw notFound('PEOPLE.NOT_FOUND', 'There is no person with that reference.');
    const now = this.clock.now();
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const [row] = await tx
        .insert(inquiry)
        .values({ ...values, personId, askedAt: now, recordedAt: now, recordedBy: actor.userId, recordedByTeam: actor.teamId, recordedByAgency: actor.agencyId })
        .returning();
      record({ action: 'inquiry.recorded', personId: personId ?? undefined, subject: { type: 'inquiry', id: row!.id } });
      return row!;
    });
  }

  /** The agency's inquiry log. It holds free text about people, so reading it is recorded. */
  async inquiries(actor: Actor) {
    await this.guard.require(actor, 'people.search');
    return this.audit.transaction(auditActorOf(actor), async (tx, record) => {
      const rows = await store.inquiriesFor(tx, actor.agencyId);
      record({ action: 'inquiry.list_viewed', details: { inquiries: rows.length } });
      // An inquiry linked to a person shows who they are: each such person is recorded as seen.
      for (const personId of new Set(rows.flatMap((r) => (r.personId ? [r.personId] : [])))) {
        record({ action: 'inquiry.list_viewed', personId, subject: { type: 'person', id: personId } });
      }
      return rows;
    });
  }
}

/** Whom to contact about a likely duplicate: the coordinator of an open case, else the team that holds the record now. */
function likelyMatchOf(result: SearchResult): LikelyMatch {
  const coordinated = result.cases.find((c) => c.coordinator !== null);
  const holder = result.knownTo.find((k) => k.current && k.role !== 'referrer');
  const contact: LikelyMatch['contact'] = coordinated?.coordinator
    ? { kind: 'coordinator', ...coordinated.coordinator }
    : holder
      ? { kind: 'team', agencyName: holder.agencyName, teamName: holder.teamName }
      : null;
  return { id: result.id, givenName: result.givenName, familyName: result.familyName, dateOfBirth: result.dateOfBirth, contact, canOpenRecord: result.canOpenRecord };
}

/** A likely match in words: who it may be, and whom to ask (never the agencies involved). */
export function describeLikelyMatch(match: LikelyMatch): string {
  const who = `${match.givenName} ${match.familyName}${match.dateOfBirth ? ` (born ${match.dateOfBirth})` : ''}`;
  const { contact } = match;
  if (!contact) return `${who}: a record exists with no team holding it now; ask the partnership's administrators`;
  if (contact.kind === 'coordinator') return `${who}: contact their coordinator, ${contact.name} (${[contact.phone ?? contact.teamPhone, contact.email].filter(Boolean).join(', ')})`;
  return `${who}: contact ${contact.teamName ?? contact.agencyName}${contact.teamName ? `, ${contact.agencyName}` : ''}, who hold their record`;
}

/**
 * Whether a search (or the known check) showed this person to this user in the window: read from the
 * audit trail, which records every person each search shows.
 */
async function shownBySearch(db: Queryable, userId: string, personId: string, window: { from: Date; to: Date }): Promise<boolean> {
  const events = await eventsOfUserAboutPerson(db, userId, personId, window);
  return events.some((e) => SHOWN_BY.has(e.action) && e.outcome === 'success');
}
const SHOWN_BY = new Set(['person.search_result', 'person.known_check']);

type ReadWithFacts = Awaited<ReturnType<ReturnType<typeof factsReader>>>;

/** The rows of one kind read alongside the facts, as drizzle would have returned them. */
function rowsOfKind<T extends typeof person | typeof personAlias | typeof childLink>(read: ReadWithFacts['read'], kind: string, table: T): T['$inferSelect'][] {
  return read.flatMap((row) => (row.kind === kind ? [rowFromJson(table, row.fact as Record<string, unknown>)] : []));
}

const oldestFirst = (a: { recordedAt: Date }, b: { recordedAt: Date }) => a.recordedAt.getTime() - b.recordedAt.getTime();
