import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, auditSince, countRows, lastAuditId, testConcord } from '../support/app.js';
import { referralApiPaths as api } from '../../src/modules/referrals/paths.js';
import { closeCase, openCase, refer } from '../support/casework.js';

// Monday 2 March 2026, 10:00 in London (GMT).
const t = await testConcord({ now: '2026-03-02T10:00:00Z' });
const raj = await apiClient(t, 'raj.patel@northshire-council.example'); // adult social care: the referrer
const tom = await apiClient(t, 'tom.okafor@riverside-nhs.example'); // CMHT care coordinator
const priya = await apiClient(t, 'priya.raman@riverside-nhs.example'); // CMHT team manager
const kofi = await apiClient(t, 'kofi.mensah@harbour-housing.example'); // housing: not involved
const alex = await apiClient(t, 'alex.morgan@northshire-care.example'); // partnership administrator: no casework

type Response = { statusCode: number; body: string; headers: Record<string, unknown> };
const json = (response: Response) => JSON.parse(response.body);
const ok = (response: Response, status = 200) => {
  assert.equal(response.statusCode, status, response.body);
  return json(response);
};

const TABLES = ['referral', 'person', 'referral_event', 'obligation', 'information_request', 'response_contact', 'eligibility_decision', 'waiting_risk_check', 'care_case'];
const counts = async () => Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await countRows(t, table)])));

/** A refused call: the status, problem+json (naming each field when given), and nothing written. */
async function assertProblem(call: () => Promise<Response>, status: number, expected: { code?: string; title?: RegExp; errors?: Record<string, string> } = {}, audited: string[] = []) {
  const before = await counts();
  const auditBefore = await lastAuditId(t);
  const response = await call();
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const problem = json(response);
  if (expected.code) assert.equal(problem.code, expected.code);
  if (expected.title) assert.match(problem.title, expected.title);
  if (expected.errors) assert.deepEqual(Object.fromEntries(problem.errors.map((e: { field: string; message: string }) => [e.field, e.message])), expected.errors);
  assert.deepEqual(await counts(), before);
  assert.deepEqual((await auditSince(t, auditBefore)).map((e) => e.action), audited);
  return problem;
}

const noRisk = { unintentionalSelfHarm: 'none', intentionalSelfHarm: 'none', harmToOthers: 'none', abuseByOthers: 'none' };
const intake = (overrides: Record<string, unknown> = {}) => ({
  receivingTeamId: tom.actor.teamId,
  sourceType: 'agency',
  channel: 'electronic',
  reason: 'Low mood and not eating; lives alone',
  risks: { ...noRisk, unintentionalSelfHarm: 'potential' },
  consentToReferral: 'yes',
  consentToShare: 'yes',
  person: { givenName: 'Marjorie', familyName: 'Ellerby', dateOfBirth: '1951-08-19', postcode: 'NE1 4ST' },
  ...overrides,
});

describe('the referral journey through the API', () => {
  let id = '';
  let version = 0;
  /** Takes a step with the version last seen, and remembers the new one. */
  async function step(client: typeof tom, url: string, body: Record<string, unknown>, state: string, action: string) {
    const before = await lastAuditId(t);
    const answer = ok(await client.post(url, { version, ...body }));
    assert.equal(answer.state, state);
    assert.equal(answer.version, version + 1);
    version = answer.version;
    assert.deepEqual((await auditSince(t, before)).map((e) => e.action), [action]);
    return answer;
  }

  test('Raj refers Marjorie: 201, where to find it, and what it suggests', async () => {
    const before = await lastAuditId(t);
    const response = await raj.post(api.referrals(), intake());
    const body = ok(response, 201);
    id = body.id;
    version = body.version;
    assert.equal(response.headers.location, api.referral(id));
    assert.match(body.reference, /^REF-2026-\d{6}$/);
    assert.deepEqual({ state: body.state, category: body.category, suggestedCategory: body.suggestedCategory, isReReferral: body.isReReferral, version: body.version }, { state: 'received', category: null, suggestedCategory: 'urgent', isReReferral: false, version: 1 });
    assert.deepEqual((await auditSince(t, before)).map((e) => e.action), ['person.created', 'referral.received']);
  });

  test('the receiving team reads all of it; the read is recorded', async () => {
    const before = await lastAuditId(t);
    const seen = ok(await tom.get(api.referral(id)));
    assert.equal(seen.view, 'receiving');
    assert.deepEqual(seen.referral.risks, { ...noRisk, unintentionalSelfHarm: 'potential' });
    assert.equal(seen.person.name, 'Marjorie Ellerby');
    assert.equal(seen.person.dateOfBirth, '1951-08-19');
    assert.deepEqual(seen.suggestion, { category: 'urgent', because: 'Potential risk: unintentional self-harm (for example self-neglect)' });
    assert.deepEqual(seen.missing, []);
    assert.deepEqual(seen.obligations.map((o: { kind: string; state: string; dueAt: string }) => [o.kind, o.state, o.dueAt]), [['referral.screen', 'open', '2026-03-03T23:59:59.999Z']]);
    assert.ok(seen.allowed.includes('screen'));
    assert.equal(seen.referral.riskUnintentionalSelfHarm, undefined, 'risks are one object, not four columns');
    assert.deepEqual((await auditSince(t, before)).map((e) => e.action), ['referral.viewed']);
  });

  test('information is requested and answered; screening, contact and the MDT decision follow', async () => {
    await step(tom, api.informationRequests(id), { items: ['presenting_needs'], question: 'Has she seen her GP?' }, 'information_requested', 'referral.information_requested');
    await step(raj, api.informationAnswers(id), { answer: 'GP saw her last week.' }, 'received', 'referral.information_received');
    const screened = await step(tom, api.screening(id), { category: 'urgent', pathway: 'CMHT older adults' }, 'screened', 'referral.screened');
    assert.equal(screened.category, 'urgent');
    await step(tom, api.contacts(id), { kind: 'assessment', happenedAt: '2026-03-02T09:30:00Z', method: 'Home visit', summary: 'Assessed at home' }, 'assessing', 'referral.contact_recorded');
    await step(tom, api.eligibility(id), { eligible: 'yes', seriousMentalIllness: 'yes', risks: 'yes', levelOfNeed: 'substantial', participants: ['Priya Raman', 'Tom Okafor'], basis: 'Severe depression with self-neglect' }, 'eligible', 'referral.eligibility_decided');
  });

  test('she waits, her risk is re-checked, and the manager allocates Tom from the candidates and their caseloads', async () => {
    await step(priya, api.waitingList(id), {}, 'waiting', 'referral.waiting');
    await step(tom, api.riskChecks(id), { riskSummary: 'Eating a little more', expedite: 'no' }, 'waiting', 'referral.risk_rechecked');
    const { candidates } = ok(await priya.get(api.allocationCandidates(id)));
    const toms = candidates.find((c: { userId: string }) => c.userId === tom.actor.userId);
    const openCases = (await t.pool.query(`select count(*)::int as n from care_case where coordinator_user_id = $1 and state <> 'closed'`, [tom.actor.userId])).rows[0].n;
    assert.deepEqual(toms, { userId: tom.actor.userId, name: 'Tom Okafor', email: 'tom.okafor@riverside-nhs.example', openCases });
    const allocated = await step(priya, api.allocation(id), { coordinatorUserId: tom.actor.userId, reasons: 'Experience with older adults', considerations: ['expertise', 'persons_wishes'], leadAgencyId: tom.actor.agencyId, leadAgencyAgreed: 'yes' }, 'allocated', 'referral.allocated');
    assert.match(allocated.case.reference, /^CASE-2026-\d{6}$/);
    assert.equal(allocated.case.coordinatorUserId, tom.actor.userId);
  });

  test('the referrer reads the status and the timeline shared with them, and finds it among the referrals made', async () => {
    const seen = ok(await raj.get(api.referral(id)));
    assert.equal(seen.view, 'referrer');
    assert.deepEqual(Object.keys(seen).sort(), ['informationRequests', 'person', 'referral', 'timeline', 'view']);
    assert.deepEqual(Object.keys(seen.referral).sort(), ['category', 'id', 'personId', 'reason', 'receivedAt', 'receivingAgencyId', 'receivingTeamId', 'reference', 'state', 'version']);
    assert.deepEqual(seen.timeline.map((e: { kind: string }) => e.kind), ['received', 'information_requested', 'information_received', 'screened', 'assessment', 'eligible', 'waiting', 'allocated']);
    const before = await lastAuditId(t);
    const { referrals } = ok(await raj.get(api.made()));
    const mine = referrals.find((r: { id: string }) => r.id === id);
    assert.deepEqual({ state: mine.state, personName: mine.personName }, { state: 'allocated', personName: 'Marjorie Ellerby' });
    const audited = await auditSince(t, before);
    assert.ok(audited.some((e) => e.action === 'referral.made_viewed' && e.subject_id === id), 'each referral listed is a recorded read');
  });

  test('every refused step answers problem+json and writes nothing', async () => {
    await assertProblem(() => tom.post(api.feedback(id), { message: 'Thanks' }), 400, { errors: { version: 'Send the version of the referral you are acting on, as it was when you opened it' } });
    await assertProblem(() => tom.post(api.feedback(id), { version: 1, message: 'Thanks' }), 409, { code: 'REFERRALS.CHANGED', title: /^This referral changed since you opened it/ });
    await assertProblem(() => tom.post(api.screening(id), { version, category: 'routine' }), 409, { code: 'REFERRALS.REF-3', title: /^REF-3: a referral that is "allocated" cannot be moved this way/ });
    await assertProblem(() => priya.post(api.waitingList(id), { version }), 409, { code: 'REFERRALS.WAIT-1', title: /^WAIT-1: / });
    await assertProblem(() => tom.post(api.feedback(id), { version, message: 'x'.repeat(2001) }), 400, { errors: { message: 'The feedback for the referrer must be 2000 characters or fewer' } });
    await assertProblem(() => kofi.get(api.referral(id)), 404);
    await assertProblem(() => kofi.post(api.screening(id), { version, category: 'routine' }), 404);
    await assertProblem(() => tom.get(api.referral('REF-2026-000001')), 404);
    await assertProblem(() => tom.post(api.allocation(id), { version }), 403, {}, ['access.denied']);
    await assertProblem(() => alex.get(api.referral(id)), 403, {}, ['access.denied']);
    await assertProblem(() => t.app.inject({ method: 'GET', url: api.referral(id) }), 401);
  });
});

describe('intake through the API', () => {
  test('bad intake: 400 naming each field of the referral and of the new person, nothing written', async () => {
    await assertProblem(() => raj.post(api.referrals(), { receivingTeamId: 'cmht', channel: 'pigeon', risks: { harmToOthers: 'maybe' }, person: { givenName: '', nhsNumber: '1234' } }), 400, {
      errors: {
        receivingTeamId: 'Select the service the referral is to',
        sourceType: 'Select who made the referral',
        channel: 'Select how the referral was made',
        reason: 'Enter the reason for the referral',
        risks: 'Select whether the risk of unintentional self-harm is immediate, potential, none or not known',
        consentToReferral: 'Select whether the person agreed to the referral',
        consentToShare: 'Select whether the person agreed to information being shared',
        'person.givenName': 'Enter the first name',
        'person.familyName': 'Enter the last name',
        'person.nhsNumber': 'Enter a valid NHS number: 10 digits, like 943 476 5919',
      },
    });
    await assertProblem(() => raj.post(api.referrals(), intake({ personId: 'someone' })), 400, { errors: { personId: 'Select a person found by the search' } });
  });

  test('a referral for an existing person needs them found first: an id never shown answers as one that does not exist, and writes nothing', async () => {
    // Made by another referrer: Raj has never searched for this person and his agency is not involved.
    const hidden = { id: (await refer(t, tom.actor, tom.actor, { name: ['Ottilie', 'Unseen'] })).personId };
    const before = await counts();
    const unseen = await raj.post(api.referrals(), intake({ person: undefined, personId: hidden.id }));
    const missing = await raj.post(api.referrals(), intake({ person: undefined, personId: '0b5c1d9e-3f4a-4b6c-8d7e-1f2a3b4c5d6e' }));
    assert.equal(unseen.statusCode, 400);
    const answer = (response: Response) => ({ status: response.statusCode, body: { ...json(response), instance: null, requestId: null } });
    assert.deepEqual(answer(unseen), answer(missing));
    assert.deepEqual(await counts(), before, 'nothing written');
  });

  test('someone who looks known is refused as a possible duplicate until the referrer confirms they are new', async () => {
    const person = { givenName: 'Desmond', familyName: 'Achterberg', dateOfBirth: '1960-05-05' };
    ok(await raj.post(api.referrals(), intake({ person })), 201);
    // Showing the possible match is recorded as a read of that person; nothing is written.
    const problem = await assertProblem(() => raj.post(api.referrals(), intake({ person })), 409, { code: 'REFERRALS.POSSIBLE_DUPLICATE' }, ['person.search_result']);
    assert.deepEqual(problem.errors, [{ field: 'person', message: 'Possible matches: Desmond Achterberg (born 1960-05-05): contact Riverside Community Mental Health Team, Riverside NHS Mental Health Trust, who hold their record' }]);
    const people = await countRows(t, 'person');
    ok(await raj.post(api.referrals(), intake({ person, confirmedNewPerson: 'yes' })), 201);
    assert.equal(await countRows(t, 'person'), people + 1);
  });

  test('the OpenAPI document describes the referral endpoints, their bodies with the version, and their answers', async () => {
    const document = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
    const screening = document.paths['/api/v1/referrals/{referralId}/screening'].post;
    assert.deepEqual(screening.tags, ['Referrals']);
    assert.match(JSON.stringify(screening.requestBody), /"version"/);
    assert.match(JSON.stringify(screening.requestBody), /"inappropriate"/);
    assert.ok(document.paths['/api/v1/referrals'].post.responses['201']);
    assert.ok(document.paths['/api/v1/referrals/made'].get);
    assert.match(JSON.stringify(document.paths['/api/v1/referrals/{referralId}'].get.responses['200']), /"referrer"/);
  });
});

describe('the re-referral rate (REF-7) through the API', () => {
  test('a team manager reads the share of the last 12 months’ referrals to the team that were re-referrals; a re-referral made now counts', async () => {
    const since = new Date(t.clock.now());
    since.setUTCFullYear(since.getUTCFullYear() - 1);
    const expected = async () => {
      const { total, re } = (await t.pool.query(`select count(*)::int as total, count(*) filter (where is_re_referral)::int as re from referral where receiving_team_id = $1 and received_at >= $2`, [priya.actor.teamId, since])).rows[0];
      return { total, reReferrals: re, percent: total ? Math.round((re / total) * 100) : 0 };
    };
    const before = ok(await priya.get(api.reReferralRate()));
    assert.deepEqual(before, await expected());
    // Someone whose case here closed a month ago is referred again: a re-referral.
    const opened = await openCase(t, raj.actor, priya.actor, tom.actor, { name: ['Rowena', 'Backagain'] });
    await closeCase(t, priya.actor, { caseId: opened.caseId, at: new Date(t.clock.now().getTime() - 30 * 86_400_000), reason: 'Discharged to the GP' });
    const person = opened.referral.personId;
    // As a partner system would: the details typed meet the duplicate check, which shows the person held; then the referral is for them.
    const duplicate = await raj.post(api.referrals(), intake({ person: { givenName: 'Rowena', familyName: 'Backagain', dateOfBirth: '1970-01-01' } }));
    assert.equal(duplicate.statusCode, 409);
    const made = ok(await raj.post(api.referrals(), intake({ person: undefined, personId: person })), 201);
    assert.equal(made.isReReferral, true);
    const after = ok(await priya.get(api.reReferralRate()));
    assert.deepEqual(after, await expected());
    assert.equal(after.reReferrals, before.reReferrals + 1);
    const document = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
    assert.ok(document.paths['/api/v1/referral-settings/re-referral-rate'].get);
  });

  test('it is a manager’s figure: a care coordinator is refused with 403', async () => {
    const response = await tom.get(api.reReferralRate());
    assert.equal(response.statusCode, 403);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  });
});
