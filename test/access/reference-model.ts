/**
 * A second statement of who may see what of a person's record, kept deliberately small and naive so
 * the product's decision (src/platform/access/person-access.ts) and its SQL twin (person-filter.ts)
 * can be checked against it. It is written from the rules in words — PRACTICE-RULES.md CON-1 … CON-5
 * and COORD-6, and the rules listed at the top of person-access.ts — and never calls or copies that
 * code: each question is a decision table read from the top, where the first row that applies answers.
 *
 * The words, as this model reads them:
 * - Only casework roles (practitioner, care coordinator, team manager) open records at all.
 * - An agency involved in the person's care (receiving a referral, leading, or a partner) opens the
 *   record while its involvement lasts; a referrer sees only the status of its referral (COORD-6).
 * - A sharing exception in force (not ended, review date not yet passed) naming the agency opens the
 *   record (CON-4); so does the user's own break-glass, between its start and its expiry.
 * - Within the record: the owning agency sees its own items; an exception covering the category shares
 *   it whatever the person said; a restriction (CON-3) naming the agency or its kind hides the entry or
 *   the category; basic details are shared with everyone who may open the record; otherwise the
 *   person's standing consent decides (CON-1), and a break-glass shows the rest.
 * - Consent: decisions naming the agency (or its kind) and the category count while they stand — a
 *   refusal until withdrawn, a consent given until withdrawn or until its review date has passed (no
 *   review date: it has never been given a life, so it does not stand). The latest standing decision
 *   is the person's wish; when a refusal and a consent are as recent as each other, the refusal wins.
 * - Search (REF-8, and issue 9's "a purpose, not a browse"): whether someone is known to services is
 *   asked by a team that receives referrals, with a query that identifies one person (a first and last
 *   name with a full date of birth, or an NHS number); that check finds anyone. Every other search, by
 *   anyone else or with a query that identifies no one, finds only the people whose record the
 *   searcher may open. Only casework roles search at all (all of them work referrals).
 */

export type RefActor = { userId: string; agencyId: string; agencyType: string; roles: readonly string[] };
/** The instant of the request and its date in London (YYYY-MM-DD), on which review dates turn. */
export type RefMoment = { now: Date; today: string };

export type RefWorld = {
  involvements: readonly { agencyId: string; role: string; active: boolean }[];
  consents: readonly {
    decision: 'given' | 'refused';
    agencyIds: readonly string[];
    agencyTypes: readonly string[];
    categories: readonly string[];
    obtainedAt: Date;
    reviewDate: string | null;
    withdrawn: boolean;
  }[];
  exceptions: readonly { agencyIds: readonly string[]; categories: readonly string[]; reviewDate: string; ended: boolean }[];
  restrictions: readonly { entryId: string | null; categories: readonly string[]; agencyIds: readonly string[]; agencyTypes: readonly string[]; ended: boolean }[];
  breakGlass: readonly { userId: string; startedAt: Date; expiresAt: Date }[];
};

export type RefItem = { category: string; owningAgencyId: string; entryId?: string | null };

export type RecordLevel = 'record' | 'referral-status' | 'none';
export type RecordReason = 'role' | 'involvement' | 'exception' | 'break_glass' | 'referrer' | 'none';
export type ItemReason = 'no_record' | 'own_agency' | 'exception' | 'restricted' | 'basic_details' | 'consent' | 'break_glass' | 'no_consent';

type Situation = { actor: RefActor; world: RefWorld; at: RefMoment };
type Row<Reason, Answer> = { because: Reason; when: (s: Situation, item: RefItem) => boolean; answer: Answer };

const CASEWORK_ROLES = new Set(['practitioner', 'care_coordinator', 'team_manager']);
/** The involvement roles that are part of the person's care; the referrer's is not. */
const CARE_ROLES = new Set(['receiving_service', 'lead_agency', 'partner']);

const notYetPast = (reviewDate: string, at: RefMoment) => at.today <= reviewDate;
const namesActorsAgency = (fact: { agencyIds: readonly string[]; agencyTypes?: readonly string[] }, actor: RefActor) =>
  fact.agencyIds.includes(actor.agencyId) || (fact.agencyTypes ?? []).includes(actor.agencyType);

const ourLiveInvolvements = ({ actor, world }: Situation) => world.involvements.filter((i) => i.agencyId === actor.agencyId && i.active);
const exceptionsForUs = ({ actor, world, at }: Situation) => world.exceptions.filter((e) => !e.ended && notYetPast(e.reviewDate, at) && e.agencyIds.includes(actor.agencyId));
const ownGlassInForce = ({ actor, world, at }: Situation) =>
  world.breakGlass.some((b) => b.userId === actor.userId && b.startedAt.getTime() <= at.now.getTime() && at.now.getTime() < b.expiresAt.getTime());

const RECORD_TABLE: Row<RecordReason, RecordLevel>[] = [
  { because: 'role', when: ({ actor }) => !actor.roles.some((r) => CASEWORK_ROLES.has(r)), answer: 'none' },
  { because: 'involvement', when: (s) => ourLiveInvolvements(s).some((i) => CARE_ROLES.has(i.role)), answer: 'record' },
  { because: 'exception', when: (s) => exceptionsForUs(s).length > 0, answer: 'record' },
  { because: 'break_glass', when: ownGlassInForce, answer: 'record' },
  { because: 'referrer', when: (s) => ourLiveInvolvements(s).some((i) => i.role === 'referrer'), answer: 'referral-status' },
  { because: 'none', when: () => true, answer: 'none' },
];

/** What the person's standing consent decisions say about sharing this category with the actor's agency. */
export function consentStanding({ actor, world, at }: Situation, category: string): 'given' | 'refused' | 'none' {
  const standing = world.consents.filter(
    (c) =>
      !c.withdrawn &&
      namesActorsAgency(c, actor) &&
      c.categories.includes(category) &&
      (c.decision === 'refused' || (c.reviewDate !== null && notYetPast(c.reviewDate, at))),
  );
  if (standing.length === 0) return 'none';
  const latest = Math.max(...standing.map((c) => c.obtainedAt.getTime()));
  const latestDecisions = standing.filter((c) => c.obtainedAt.getTime() === latest);
  return latestDecisions.some((c) => c.decision === 'refused') ? 'refused' : 'given';
}

const restrictedFromUs = ({ actor, world }: Situation, item: RefItem) =>
  world.restrictions.some(
    (r) => !r.ended && namesActorsAgency(r, actor) && (r.entryId !== null ? r.entryId === (item.entryId ?? null) : r.categories.includes(item.category)),
  );

const ITEM_TABLE: Row<ItemReason, boolean>[] = [
  { because: 'no_record', when: (s) => recordAccess(s.actor, s.world, s.at).level !== 'record', answer: false },
  { because: 'own_agency', when: (s, item) => item.owningAgencyId === s.actor.agencyId, answer: true },
  { because: 'exception', when: (s, item) => exceptionsForUs(s).some((e) => e.categories.includes(item.category)), answer: true },
  { because: 'restricted', when: restrictedFromUs, answer: false },
  { because: 'basic_details', when: (_s, item) => item.category === 'basic_details', answer: true },
  { because: 'consent', when: (s, item) => consentStanding(s, item.category) === 'given', answer: true },
  { because: 'break_glass', when: ownGlassInForce, answer: true },
  { because: 'no_consent', when: () => true, answer: false },
];

function firstRow<R, A>(table: Row<R, A>[], s: Situation, item: RefItem): { because: R; answer: A } {
  const row = table.find((r) => r.when(s, item));
  if (!row) throw new Error('a decision table must end with a row that always applies');
  return row;
}

const NO_ITEM: RefItem = { category: 'basic_details', owningAgencyId: '' };

export function recordAccess(actor: RefActor, world: RefWorld, at: RefMoment): { level: RecordLevel; because: RecordReason } {
  const { because, answer } = firstRow(RECORD_TABLE, { actor, world, at }, NO_ITEM);
  return { level: answer, because };
}

export function itemAccess(actor: RefActor, world: RefWorld, item: RefItem, at: RefMoment): { allowed: boolean; because: ItemReason } {
  const { because, answer } = firstRow(ITEM_TABLE, { actor, world, at }, item);
  return { allowed: answer, because };
}

export type SearchQuestion = { identifying: boolean; teamReceivesReferrals: boolean };
export type SearchPurposeRef = 'known_check' | 'relationship' | 'refused';

const SEARCH_TABLE: { when: (actor: RefActor, q: SearchQuestion) => boolean; answer: SearchPurposeRef }[] = [
  { when: (actor) => !actor.roles.some((r) => CASEWORK_ROLES.has(r)), answer: 'refused' },
  { when: (_actor, q) => q.identifying && q.teamReceivesReferrals, answer: 'known_check' },
  { when: () => true, answer: 'relationship' },
];

/** What a search is for, by who asks and how: read from the top, the first row that applies answers. */
export function searchPurpose(actor: RefActor, q: SearchQuestion): SearchPurposeRef {
  return SEARCH_TABLE.find((row) => row.when(actor, q))!.answer;
}

/** Whether a search may find this person: anyone for the known check, else only someone whose record the searcher may open. */
export function searchFinds(actor: RefActor, world: RefWorld, at: RefMoment, q: SearchQuestion): boolean {
  const purpose = searchPurpose(actor, q);
  if (purpose === 'refused') return false;
  return purpose === 'known_check' || recordAccess(actor, world, at).level === 'record';
}

export const EMPTY_WORLD: RefWorld = { involvements: [], consents: [], exceptions: [], restrictions: [], breakGlass: [] };
