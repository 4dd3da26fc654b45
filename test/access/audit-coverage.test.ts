import { test } from 'node:test';
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { apiClient, auditSince, lastAuditId, signedIn, testConcord, type Browser } from '../support/app.js';
import { actorFor, onTheWaitingList, openCase, refer, stepsFor } from '../support/casework.js';
import { hasPermission } from '../../src/platform/access/decide.js';
import type { Actor } from '../../src/platform/access/actor.js';
import type { RouteSpec } from '../../src/platform/http/route-table.js';
import { insertFacts } from './world.js';
import { guidedActions, type Answers, type FollowUpAnswers } from '../../src/modules/risk/rules.js';
import { DOMAINS } from '../../src/modules/assessments/rules.js';

/*
 * Every read of a person's data is audited (DESIGN §3): this walks the app's own route table, so a
 * route added later is covered without anyone remembering to add it here. Each GET is called by
 * every demo user allowed to call it, with real ids; a route that answers with a person's data —
 * one about a person (:personId, :caseId, :referralId …), or any page or list that shows one of
 * this file's people — must have written an audit event naming each person it showed.
 */

const t = await testConcord();

const EMAILS = [
  'tom.okafor@riverside-nhs.example', // care coordinator, the receiving team
  'priya.raman@riverside-nhs.example', // its team manager
  'raj.patel@northshire-council.example', // the referrer, in another agency
  'kofi.mensah@harbour-housing.example', // an agency with no relationship
  'helen.marsh@riverside-nhs.example', // auditor
  'alex.morgan@northshire-care.example', // partnership administrator
  'aisha.bello@riverside-nhs.example', // agency administrator
];

type Caller = { email: string; actor: Actor; browser: Browser; api: Awaited<ReturnType<typeof apiClient>> };
const callers: Caller[] = [];
for (const email of EMAILS) callers.push({ email, actor: await actorFor(t, email), browser: await signedIn(t.app, email), api: await apiClient(t, email) });
const [tom, priya, raj] = callers.map((c) => c.actor) as [Actor, Actor, Actor];

// People at each stage of the journey, so every referral and case page has something to show.
const received = await refer(t, raj, priya, { name: ['Coverage', 'Auditwrena'] });
const asked = await refer(t, raj, priya, { name: ['Coverage', 'Auditwrenb'] });
await stepsFor(t, asked.id).requestInformation(tom);
const waiting = await onTheWaitingList(t, raj, tom, priya, ['Coverage', 'Auditwrenc']);
const opened = await openCase(t, raj, priya, tom, { name: ['Coverage', 'Auditwrend'] });
await t.services.people.recordInquiry(
  tom,
  { about: 'Coverage Auditwrena', inquirerName: 'A neighbour', channel: 'phone', reason: 'Worried about them', response: 'Told them we cannot say' },
  received.personId,
);

// The record's other parts, written as their services would, each about the person with the open case.
const about = opened.referral.personId;
const facts = { consent: randomUUID(), restriction: randomUUID(), exception: randomUUID(), glass: randomUUID(), note: randomUUID(), alert: randomUUID() };
await insertFacts(
  t.db,
  about,
  {
    consents: [{ id: facts.consent, decision: 'given', agencyIds: [tom.agencyId], agencyTypes: [], categories: ['risk'], obtainedAt: t.clock.now(), reviewDate: '2099-01-01', withdrawn: false }],
    restrictions: [{ id: facts.restriction, entryId: null, categories: ['housing'], agencyIds: [raj.agencyId], agencyTypes: [], ended: false }],
    exceptions: [{ id: facts.exception, agencyIds: [raj.agencyId], categories: ['risk'], reviewDate: '2099-01-01', ended: false }],
    breakGlass: [{ id: facts.glass, userId: tom.userId, startedAt: t.clock.now(), expiresAt: new Date(t.clock.now().getTime() + 3_600_000) }],
  },
  tom,
  t.clock.now(),
);
await t.pool.query(
  `insert into record_note (id, person_id, category, owning_agency_id, team_id, author_id, author_role, title, text, recorded_at, original_id)
   values ($1, $2, 'mental_health', $3, $4, $5, 'care_coordinator', 'Home visit', 'Seen at home; settled.', now(), $1)`,
  [facts.note, about, tom.agencyId, tom.teamId, tom.userId],
);
// A risk review completed as the risk module completes one, so its pages and API have a real one to show.
const quiet = { answers: { self_harm: 'no', harm_to_others: 'no', risk_to_children: 'no', harm_from_others: 'no', refusing_contact: 'no', criminal_justice: 'no', wandering_falling: 'no', capacity: 'yes' }, followUps: { childrenInContact: 'no', childrenCaring: 'no' } };
const riskReview = await t.services.risk.complete(tom, about, {
  ...quiet, level: 'medium', evidence: 'Seen at home.', mappaLevel: 'none',
  actions: Object.fromEntries(guidedActions(quiet.answers as Answers, quiet.followUps as FollowUpAnswers).map((a) => [a.id, { status: 'done' }])),
});
await t.pool.query(`insert into access_alert (id, kind, user_id, person_id, break_glass_id, details, raised_at) values ($1, 'break_glass', $2, $3, $4, '{}', now())`, [facts.alert, tom.userId, about, facts.glass]);
const glassRequest = (await t.pool.query(`insert into break_glass_request (person_id, user_id, agency_id, team_id, reason_code, reason_text, requested_at)
  values ('${about}', '${raj.userId}', '${raj.agencyId}', '${raj.teamId}', 'risk_to_life', 'Waiting for the Caldicott guardian', now()) returning id`)).rows[0]!.id as string;

// An assessment completed and one in draft, written through the service as a practitioner would.
const assessments = t.services.assessments;
let assessing = await assessments.start(tom, about, { kind: 'core', assessmentAgreement: 'agreed', sharingAgreement: 'agreed' });
for (const { key } of DOMAINS) assessing = await assessments.saveDomain(tom, about, assessing.id, key, { status: 'assessed', needs: 'Some', source: 'The person', verified: 'yes', version: assessing.version });
assessing = await assessments.saveOutcome(tom, about, assessing.id, { goals: 'Stay well', options: 'Support', nextSteps: 'Visits', agenciesToInvolve: 'None', version: assessing.version });
const assessmentDone = await assessments.complete(tom, about, assessing.id, { version: assessing.version });
const difficulty = await t.services.escalations.escalate(tom, about, { heldBy: 'Northshire GP practice', informationSought: 'Medication history', step: 'supervisor', escalatedTo: 'Priya Raman, team manager', answer: 'Will call the practice manager', resolved: 'no' });
const assessmentDraft = await assessments.start(tom, about, { kind: 'short_term', assessmentAgreement: 'agreed', sharingAgreement: 'agreed' });

type Subject = { id: string; name: string };
const people: Subject[] = [
  { id: received.personId, name: 'Coverage Auditwrena' },
  { id: asked.personId, name: 'Coverage Auditwrenb' },
  { id: waiting.personId, name: 'Coverage Auditwrenc' },
  { id: opened.referral.personId, name: 'Coverage Auditwrend' },
];
const family = (p: Subject) => p.name.split(' ')[1]!;

const one = async (query: string) => (await t.pool.query(query)).rows[0]!.id as string;

/** Real values for each path parameter, and the person each is about (none for the staff directory's). */
const PARAMETERS: Record<string, () => Promise<{ value: string; personId: string | null }[]>> = {
  // The person with a case, consent, a restriction, an exception, a note and an alert: every section has something to show.
  personId: async () => [{ value: about, personId: about }],
  referralId: async () => [received, asked, waiting, opened.referral].map((r) => ({ value: r.id, personId: r.personId })),
  caseId: async () => [{ value: opened.caseId, personId: opened.referral.personId }],
  involvementId: async () => (await t.pool.query('select id, person_id from involvement where person_id = any($1)', [people.map((p) => p.id)])).rows.map((r) => ({ value: r.id as string, personId: r.person_id as string })),
  noteId: async () => [{ value: facts.note, personId: about }],
  reviewId: async () => [{ value: riskReview.id, personId: about }],
  assessmentId: async () => [{ value: assessmentDone.id, personId: about }],
  draftId: async () => [{ value: assessmentDraft.id, personId: about }],
  domain: async () => [{ value: 'abuse', personId: about }],
  difficultyId: async () => [{ value: difficulty.id, personId: about }],
  consentId: async () => [{ value: facts.consent, personId: about }],
  restrictionId: async () => [{ value: facts.restriction, personId: about }],
  exceptionId: async () => [{ value: facts.exception, personId: about }],
  alertId: async () => [{ value: facts.alert, personId: about }],
  requestId: async () => [{ value: glassRequest, personId: about }],
  agencyId: async () => [{ value: tom.agencyId, personId: null }],
  teamId: async () => [{ value: tom.teamId, personId: null }],
  userId: async () => [{ value: tom.userId, personId: null }],
  membershipId: async () => [{ value: await one(`select id from team_membership where user_id = '${tom.userId}'`), personId: null }],
};

/** Routes that only show people when asked: the ways to ask. */
// A search by name alone finds the people the caller works with; with the date of birth (every referral here
// gives 1 January 1970), a team that receives referrals checks whether anyone is known (REF-8).
const QUERIES: Record<string, string[]> = {
  '/people/search': people.flatMap((p) => [`?name=${encodeURIComponent(p.name)}`, `?name=${encodeURIComponent(p.name)}&dateOfBirth-day=1&dateOfBirth-month=1&dateOfBirth-year=1970`]),
  '/api/v1/people': people.flatMap((p) => [`?name=${encodeURIComponent(p.name)}`, `?name=${encodeURIComponent(p.name)}&dateOfBirth=1970-01-01`]),
  '/referrals/new': people.map((p) => `?personId=${p.id}`),
};

function urlsFor(spec: RouteSpec, values: Record<string, { value: string; personId: string | null }[]>) {
  const names = [...spec.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  let urls = [{ url: spec.url, personId: null as string | null }];
  for (const name of names) {
    urls = urls.flatMap((u) => values[name]!.map((v) => ({ url: u.url.replace(`:${name}`, v.value), personId: v.personId ?? u.personId })));
  }
  return urls.flatMap((u) => (QUERIES[spec.url] ?? ['']).map((q) => ({ ...u, url: u.url + q })));
}

test('every route that returns a person’s data writes an audit event naming that person', async () => {
  const routes = t.app.registeredRoutes
    .filter((r) => r.method === 'GET' && r.spec && r.spec.kind !== 'system' && !('public' in r.spec.access))
    .map((r) => r.spec!);
  const unknownParameters = [...new Set(routes.flatMap((r) => [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]!)))].filter((name) => !(name in PARAMETERS));
  assert.deepEqual(unknownParameters, [], 'teach this test where to find a real value for these path parameters');
  const values = Object.fromEntries(await Promise.all(Object.entries(PARAMETERS).map(async ([name, find]) => [name, await find()] as const)));

  const checked: string[] = [];
  const unaudited: string[] = [];
  const unreachable: string[] = [];
  for (const spec of routes) {
    const permission = 'permission' in spec.access ? spec.access.permission : null;
    const allowed = callers.filter((c) => permission === null || hasPermission(c.actor, permission));
    const aboutAPerson = spec.url.match(/:(\w+)/g)?.some((p) => values[p.slice(1)]!.some((v) => v.personId !== null)) ?? false;
    let answered = false;
    let showedSomeone = false;
    for (const { url, personId } of urlsFor(spec, values)) {
      // Callers run side by side: each one's events are told apart by who wrote them.
      await Promise.all(
        allowed.map(async (caller) => {
          const before = await lastAuditId(t);
          const response = spec.kind === 'api' ? await caller.api.get(url) : await caller.browser.get(url);
          if (response.statusCode !== 200) return;
          answered = true;
          // What the caller typed, repeated in a form's fields, shows no one.
          const body = response.body.replace(/ value="[^"]*"/g, '');
          const shown = people.filter((p) => body.includes(p.id) || body.includes(family(p))).map((p) => p.id);
          // A route that declares it writes no audit (it answers with staff, not a person) is held to that by what it shows.
          const expected = new Set([...shown, ...(personId && !('none' in spec.audit) ? [personId] : [])]);
          if (expected.size === 0) return;
          showedSomeone = true;
          const events = (await auditSince(t, before)).filter((e) => e.actor_user_id === caller.actor.userId);
          const audited = new Set(events.map((e) => (e as unknown as { person_id: string | null }).person_id));
          const missing = [...expected].filter((id) => !audited.has(id));
          if (missing.length) unaudited.push(`${spec.method} ${spec.url} (${url} as ${caller.email}): no audit event for ${missing.map((id) => people.find((p) => p.id === id)!.name).join(', ')}`);
        }),
      );
    }
    if (aboutAPerson && !answered) unreachable.push(`${spec.method} ${spec.url}`);
    if (showedSomeone) checked.push(`${spec.method} ${spec.url}`);
  }
  console.log(`audit coverage: ${routes.length} GET routes enumerated, ${checked.length} return a person’s data, ${checked.length - new Set(unaudited.map((u) => u.split(' (')[0])).size} of them audited every person shown`);
  console.log(`  ${checked.join('\n  ')}`);
  assert.deepEqual(unreachable, [], 'routes about a person that no allowed demo user could read: give this test a case they can answer');
  assert.deepEqual(unaudited, [], 'routes that showed a person without recording it');
  assert.ok(checked.length >= 10, 'the walk reached the routes that show people');
});
