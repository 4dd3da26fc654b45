import { auditActorOf, type Actor } from '../../src/platform/access/actor.js';
import type { TestConcord } from './app.js';

/**
 * Referrals and cases made through the real ReferralsService, for tests of the pages that show
 * them (My work, the case page). Each step reads the referral's current version first.
 */

export async function actorFor(t: TestConcord, email: string, teamName?: string): Promise<Actor> {
  const account = await t.services.directory.findAccountByEmail(email);
  if (!account) throw new Error(`no demo user ${email}`);
  const teamId = teamName ? ((await t.pool.query('select id from team where name = $1', [teamName])).rows[0]?.id as string) : null;
  return (await t.services.directory.loadActor(account.userId, teamId, { kind: 'session', sessionId: 'test' }))!;
}

export const NO_RISK = { unintentionalSelfHarm: 'none', intentionalSelfHarm: 'none', harmToOthers: 'none', abuseByOthers: 'none' } as const;

let made = 0;

/** Refers a new person (named after the test, so they are easy to find on a page) to `team`'s service. */
export async function refer(t: TestConcord, by: Actor, team: Actor, options: { name?: [string, string]; risks?: Partial<Record<keyof typeof NO_RISK, string>>; overrides?: Record<string, unknown> } = {}) {
  made += 1;
  const [givenName, familyName] = options.name ?? ['Testperson', `Number${made}`];
  const internal = by.agencyId === team.agencyId;
  return t.services.referrals.receive(by, {
    receivingTeamId: team.teamId,
    sourceType: 'agency',
    channel: 'electronic',
    reason: 'Low mood and not coping at home',
    risks: { ...NO_RISK, ...options.risks },
    consentToReferral: 'yes',
    consentToShare: 'yes',
    referrerContact: '01632 960 777',
    ...(internal ? { referrerName: 'A caller', sourceType: 'professional', channel: 'phone' } : {}),
    person: { givenName, familyName, dateOfBirth: '1970-01-01' },
    confirmedNewPerson: 'yes',
    ...options.overrides,
  });
}

/** The referral journey's steps for one referral, each as the given actor. */
export function stepsFor(t: TestConcord, referralId: string) {
  const referrals = t.services.referrals;
  const command = async () => ({ referralId, version: (await t.pool.query('select version from referral where id = $1', [referralId])).rows[0].version as number });
  const earlier = () => new Date(t.clock.now().getTime() - 60_000).toISOString();
  return {
    screen: async (actor: Actor, category: string, extra: Record<string, unknown> = {}) => referrals.screen(actor, await command(), { category, ...extra }),
    contact: async (actor: Actor, kind: 'first_contact' | 'assessment') => referrals.recordContact(actor, await command(), { kind, happenedAt: earlier(), method: 'Telephone', summary: 'Spoke with them' }),
    eligible: async (actor: Actor) =>
      referrals.decideEligibility(actor, await command(), { eligible: 'yes', seriousMentalIllness: 'yes', risks: 'yes', levelOfNeed: 'substantial', participants: ['Priya Raman', 'Tom Okafor'], basis: 'Discussed at the MDT' }),
    waitingList: async (manager: Actor) => referrals.placeOnWaitingList(manager, await command()),
    requestInformation: async (actor: Actor) => referrals.requestInformation(actor, await command(), { items: ['presenting_needs'] }),
    allocate: async (manager: Actor, coordinator: Actor, input: { leadAgencyId?: string; leadAgencyAgreed?: 'yes' | 'no' } = {}) =>
      referrals.allocate(manager, await command(), {
        coordinatorUserId: coordinator.userId,
        reasons: 'Knows the family; the person asked for them',
        considerations: ['expertise', 'persons_wishes'],
        leadAgencyId: input.leadAgencyId ?? manager.agencyId,
        leadAgencyAgreed: input.leadAgencyAgreed ?? 'yes',
      }),
  };
}

/** A referral taken to the waiting list: screened routine, contacted, assessed, eligible, waiting. */
export async function onTheWaitingList(t: TestConcord, referrer: Actor, worker: Actor, manager: Actor, name?: [string, string]) {
  const row = await refer(t, referrer, manager, { name });
  const steps = stepsFor(t, row.id);
  await steps.screen(worker, 'routine');
  await steps.contact(worker, 'first_contact');
  await steps.contact(worker, 'assessment');
  await steps.eligible(worker);
  await steps.waitingList(manager);
  return row;
}

/** A case opened by urgent allocation (before the MDT), with the lead agency as given. */
export async function openCase(t: TestConcord, referrer: Actor, manager: Actor, coordinator: Actor, options: { name?: [string, string]; leadAgencyId?: string; leadAgencyAgreed?: 'yes' | 'no' } = {}) {
  const row = await refer(t, referrer, manager, { name: options.name, risks: { intentionalSelfHarm: 'potential' } });
  const steps = stepsFor(t, row.id);
  await steps.screen(manager, 'urgent');
  const opened = await steps.allocate(manager, coordinator, options);
  return { referral: row, caseId: opened.id, caseReference: opened.reference };
}

/** Closes a case as `by`, as the discharge journey will: in one audited transaction. */
export function closeCase(t: TestConcord, by: Actor, input: { caseId: string; at: Date; reason: string }) {
  return t.services.audit.transaction(auditActorOf(by), (tx, record) => t.services.cases.close(tx, record, input));
}

// ---- Reading pages --------------------------------------------------------------------------------

export const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();

/** The HTML of one My work section, or null when the page does not show it. */
export function sectionOf(body: string, queue: string): string | null {
  return new RegExp(`<section data-qa="section-${queue}"[\\s\\S]*?</section>`).exec(body)?.[0] ?? null;
}

/** Each row of a My work section's table, as text. */
export function rowsOf(body: string, queue: string): string[] {
  const tbody = /<tbody[\s\S]*?<\/tbody>/.exec(sectionOf(body, queue) ?? '')?.[0] ?? '';
  return [...tbody.matchAll(/<tr[\s\S]*?<\/tr>/g)].map((m) => textOf(m[0]));
}

/** The people a page links to, by id. */
export const peopleLinkedFrom = (body: string) => [...new Set([...body.matchAll(/href="\/people\/([0-9a-f-]{36})"/g)].map((m) => m[1]!))].sort();
