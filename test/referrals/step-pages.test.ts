import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, auditSince, countRows, lastAuditId, testConcord } from '../support/app.js';
import { errorSummary, errorSummaryHtml } from '../support/pages.js';
import { referralPaths as paths } from '../../src/modules/referrals/paths.js';

/**
 * Every step's form refuses what it cannot accept: missing, too long, not on the list, a stale
 * version, the wrong state (naming the rule), the wrong team or agency. Each refusal puts the
 * message on the form and writes nothing.
 */

// Monday 2 March 2026, 10:00 in London (GMT).
const t = await testConcord({ now: '2026-03-02T10:00:00Z' });
const { referrals, directory } = t.services;

async function actorFor(email: string) {
  const account = await directory.findAccountByEmail(email);
  return (await directory.loadActor(account!.userId, null, { kind: 'session', sessionId: 'test' }))!;
}
const [raj, tom, priya, alex] = await Promise.all(['raj.patel@northshire-council.example', 'tom.okafor@riverside-nhs.example', 'priya.raman@riverside-nhs.example', 'alex.morgan@northshire-care.example'].map(actorFor)) as [Awaited<ReturnType<typeof actorFor>>, Awaited<ReturnType<typeof actorFor>>, Awaited<ReturnType<typeof actorFor>>, Awaited<ReturnType<typeof actorFor>>];

// A team manager in another Riverside team: same agency as the CMHT, not its manager.
const CRISIS = (await t.pool.query('select id from team where name = $1', ['Crisis Resolution and Home Treatment'])).rows[0].id as string;
await directory.createUser(alex, priya.agencyId, { name: 'Nadia Rahman', email: 'nadia.rahman@riverside-nhs.example', teamId: CRISIS, roles: ['team_manager'], password: 'lantern orchard pebble' });

const browsers = {
  raj: await new Browser(t.app).signIn('raj.patel@northshire-council.example'),
  tom: await new Browser(t.app).signIn('tom.okafor@riverside-nhs.example'),
  priya: await new Browser(t.app).signIn('priya.raman@riverside-nhs.example'),
  kofi: await new Browser(t.app).signIn('kofi.mensah@harbour-housing.example'),
  nadia: await new Browser(t.app).signIn('nadia.rahman@riverside-nhs.example', 'lantern orchard pebble'),
};

// ---- Referrals in each state, moved there through the service ----

const version = async (id: string) => (await t.pool.query('select version from referral where id = $1', [id])).rows[0].version as number;
const command = async (id: string) => ({ referralId: id, version: await version(id) });
const noRisk = { unintentionalSelfHarm: 'none', intentionalSelfHarm: 'none', harmToOthers: 'none', abuseByOthers: 'none' };
let people = 0;
async function received(risks: Record<string, string> = noRisk) {
  people += 1;
  const row = await referrals.receive(raj, {
    receivingTeamId: tom.teamId, sourceType: 'agency', channel: 'electronic', reason: 'Struggling at home since a bereavement', risks, consentToReferral: 'yes', consentToShare: 'yes',
    person: { givenName: 'Testperson', familyName: `Number${people}`, dateOfBirth: '1970-01-01' }, confirmedNewPerson: 'yes',
  });
  return row.id;
}
async function screened(category = 'routine') {
  const id = await received(category === 'urgent' ? { ...noRisk, harmToOthers: 'potential' } : noRisk);
  await referrals.screen(tom, await command(id), { category });
  return id;
}
async function assessing() {
  const id = await screened();
  await referrals.recordContact(tom, await command(id), { kind: 'first_contact', happenedAt: '2026-03-02T09:00:00Z', method: 'Telephone', summary: 'Spoke to them' });
  return id;
}
async function eligible() {
  const id = await assessing();
  await referrals.decideEligibility(tom, await command(id), { eligible: 'yes', seriousMentalIllness: 'yes', risks: 'yes', levelOfNeed: 'substantial', participants: ['Priya Raman', 'Tom Okafor'], basis: 'Meets the criteria' });
  return id;
}
async function waiting() {
  const id = await eligible();
  await referrals.placeOnWaitingList(priya, await command(id));
  return id;
}
async function allocated() {
  const id = await eligible();
  await referrals.allocate(priya, await command(id), { coordinatorUserId: tom.userId, reasons: 'Experience', considerations: ['expertise'], leadAgencyId: tom.agencyId, leadAgencyAgreed: 'yes' });
  return id;
}
async function informationRequested() {
  const id = await received();
  await referrals.requestInformation(tom, await command(id), { question: 'Who is her GP?' });
  return id;
}

// ---- Refusals ----

const TABLES = ['referral', 'referral_event', 'obligation', 'information_request', 'response_contact', 'eligibility_decision', 'waiting_risk_check', 'care_case', 'involvement'];
async function snapshot() {
  const counts = Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await countRows(t, table)])));
  const versions = (await t.pool.query('select sum(version)::int as n from referral')).rows[0].n as number;
  return { counts, versions, audit: await lastAuditId(t) };
}
/** Nothing changed: no rows, no new versions, and no audit event other than the record of opening the form. */
async function assertNothingWritten(before: Awaited<ReturnType<typeof snapshot>>, allowed = ['referral.viewed']) {
  const after = await snapshot();
  assert.deepEqual(after.counts, before.counts);
  assert.equal(after.versions, before.versions, 'no referral changed');
  assert.deepEqual((await auditSince(t, before.audit)).map((e) => e.action).filter((a) => !allowed.includes(a)), []);
}

const versionOn = (body: string) => /name="version" value="(\d+)"/.exec(body)?.[1];
type Step = 'requestInformation' | 'answer' | 'screen' | 'contact' | 'eligibility' | 'waitingList' | 'riskCheck' | 'allocate' | 'withdraw' | 'feedback';
type Refusal = { what: string; who?: keyof typeof browsers; step: Step; from: () => Promise<string>; form: Record<string, string | string[]>; expect: string[] | RegExp };

/** Opens the step's form, sends it, and checks the form comes back with the messages and nothing was written. */
async function refused({ who = 'tom', step, from, form, expect }: Refusal) {
  const browser = browsers[who];
  const id = await from();
  const url = paths[step](id);
  const before = await snapshot();
  const page = await browser.get(url);
  assert.equal(page.statusCode, 200);
  const posted = await browser.post(url, { version: versionOn(page.body) ?? String(await version(id)), ...form });
  assert.equal(posted.statusCode, 303);
  assert.equal(posted.headers.location, url, 'back to the same form');
  const landed = await browser.get(url);
  assert.equal(landed.statusCode, 400);
  if (Array.isArray(expect)) assert.deepEqual(errorSummary(landed.body), expect);
  else assert.match(errorSummaryHtml(landed.body), expect);
  await assertNothingWritten(before);
}

const STALE = /This referral changed since you opened it\. Reload it to see what changed, then try again\./;
const long = (n: number) => 'x'.repeat(n);

const refusals: Refusal[] = [
  // Request information (REF-2)
  { what: 'nothing asked', step: 'requestInformation', from: received, form: {}, expect: ['items: Select what is missing, or write the question to ask'] },
  { what: 'an item not on the list', step: 'requestInformation', from: received, form: { items: 'shoe_size' }, expect: ['items: Select what is missing from the list'] },
  { what: 'a question over 2,000 characters', step: 'requestInformation', from: received, form: { question: long(2001) }, expect: ['question: The question must be 2000 characters or fewer'] },
  { what: 'a stale version', step: 'requestInformation', from: received, form: { version: '0', question: 'Who is her GP?' }, expect: ['version: Send the version of the referral you are acting on, as it was when you opened it'] },
  { what: 'a version someone else has moved on from', step: 'requestInformation', from: informationRequested, form: { version: '1', question: 'Who is her GP?' }, expect: STALE },
  { what: 'a referral already allocated', step: 'requestInformation', from: allocated, form: { question: 'Who is her GP?' }, expect: /REF-2: a referral that is &quot;allocated&quot; cannot be moved this way; it must be received, screened\./ },
  // Answer (REF-2)
  { what: 'an empty answer', who: 'raj', step: 'answer', from: informationRequested, form: { answer: ' ' }, expect: ['answer: Enter the information given'] },
  { what: 'an answer over 4,000 characters', who: 'raj', step: 'answer', from: informationRequested, form: { answer: long(4001) }, expect: ['answer: The information given must be 4000 characters or fewer'] },
  { what: 'an answer with nothing asked', step: 'answer', from: received, form: { answer: 'Her GP is Dr Lin' }, expect: /REF-2: a referral that is &quot;received&quot; cannot be moved this way; it must be information requested\./ },
  // Screening (REF-3, REF-4)
  { what: 'no category', step: 'screen', from: received, form: {}, expect: ['category: Select emergency, urgent, routine or inappropriate'] },
  { what: 'a category not on the list', step: 'screen', from: received, form: { category: 'soonish' }, expect: ['category: Select emergency, urgent, routine or inappropriate'] },
  { what: 'routine when urgent is suggested, with no reason', step: 'screen', from: () => received({ ...noRisk, harmToOthers: 'potential' }), form: { category: 'routine' }, expect: ['reason: REF-3: You chose routine rather than the suggested urgent: give the reason (10 characters or more)'] },
  { what: 'inappropriate with no signposting or reasons', step: 'screen', from: received, form: { category: 'inappropriate', reason: 'Housing need only, no mental health need' }, expect: ['signposting: REF-3: record the advice and signposting to other services', 'notAssessingReason: REF-4: a decision not to assess needs its reasons recorded'] },
  { what: 'a pathway over 200 characters', step: 'screen', from: received, form: { category: 'routine', pathway: long(201) }, expect: ['pathway: The pathway must be 200 characters or fewer'] },
  { what: 'a referral already screened', step: 'screen', from: screened, form: { category: 'routine' }, expect: /REF-3: a referral that is &quot;screened&quot; cannot be moved this way; it must be received\./ },
  // Contact and assessment (ELIG-1)
  { what: 'nothing entered', step: 'contact', from: screened, form: {}, expect: ['kind: Select first contact or assessment', 'happenedAt: Enter when it happened as a date and time', 'method: Enter how the contact was made', 'summary: Enter a summary'] },
  { what: 'a time in the future', step: 'contact', from: screened, form: { kind: 'first_contact', 'happenedAt-day': '2', 'happenedAt-month': '3', 'happenedAt-year': '2026', 'happenedAt-time': '11:00', method: 'Telephone', summary: 'Spoke to her' }, expect: ['happenedAt: The time cannot be in the future'] },
  { what: 'a summary over 4,000 characters', step: 'contact', from: screened, form: { kind: 'first_contact', 'happenedAt-day': '2', 'happenedAt-month': '3', 'happenedAt-year': '2026', 'happenedAt-time': '9am', method: 'Telephone', summary: long(4001) }, expect: ['summary: A summary must be 4000 characters or fewer'] },
  { what: 'a referral not yet screened', step: 'contact', from: received, form: { kind: 'first_contact', 'happenedAt-day': '2', 'happenedAt-month': '3', 'happenedAt-year': '2026', 'happenedAt-time': '9am', method: 'Telephone', summary: 'Spoke to her' }, expect: /ELIG-1: contact and assessment are recorded once a referral is screened; this one is received\./ },
  // Eligibility (ELIG-2, ELIG-3)
  { what: 'nothing decided', step: 'eligibility', from: assessing, form: {}, expect: ['eligible: Select whether the person is eligible', 'seriousMentalIllness: Select whether there is an apparent serious mental illness', 'risks: Select whether there are one or more risks', 'levelOfNeed: Select the level of need', 'basis: Enter the basis for the decision'] },
  { what: 'eligible against the criteria, decided alone', step: 'eligibility', from: assessing, form: { eligible: 'yes', seriousMentalIllness: 'no', risks: 'no', levelOfNeed: 'moderate', participants: 'Tom Okafor', basis: 'Discussed' }, expect: ['participants: ELIG-2: record at least two people who took part in the MDT decision', 'eligible: ELIG-2: eligible needs an apparent serious mental illness or at least one risk', 'levelOfNeed: ELIG-2: eligible needs functioning impaired at a critical or substantial level'] },
  { what: 'not eligible with no signposting', step: 'eligibility', from: assessing, form: { eligible: 'no', seriousMentalIllness: 'no', risks: 'no', levelOfNeed: 'low', participants: 'Tom Okafor\nPriya Raman', basis: 'No mental health need' }, expect: ['signposting: ELIG-3: record the advice or signposting given to someone who is not eligible'] },
  { what: 'a level of need not on the list', step: 'eligibility', from: assessing, form: { eligible: 'yes', seriousMentalIllness: 'yes', risks: 'yes', levelOfNeed: 'severe', participants: 'Tom Okafor\nPriya Raman', basis: 'Meets the criteria' }, expect: ['levelOfNeed: Select the level of need'] },
  { what: 'a referral not being assessed', step: 'eligibility', from: screened, form: { eligible: 'yes', seriousMentalIllness: 'yes', risks: 'yes', levelOfNeed: 'critical', participants: 'Tom Okafor\nPriya Raman', basis: 'Meets the criteria' }, expect: /ELIG-2: a referral that is &quot;screened&quot; cannot be moved this way; it must be assessing\./ },
  // Waiting list and risk checks (WAIT-1)
  { what: 'a referral not yet eligible', who: 'priya', step: 'waitingList', from: received, form: {}, expect: /WAIT-1: a referral that is &quot;received&quot; cannot be moved this way; it must be eligible\./ },
  { what: 'a version someone else has moved on from', who: 'priya', step: 'waitingList', from: eligible, form: { version: '1' }, expect: STALE },
  { what: 'nothing entered', step: 'riskCheck', from: waiting, form: {}, expect: ['riskSummary: Enter the current risk', 'expedite: Select whether allocation should be expedited'] },
  { what: 'an answer not on the list', step: 'riskCheck', from: waiting, form: { riskSummary: 'Settled', expedite: 'perhaps' }, expect: ['expedite: Select whether allocation should be expedited'] },
  { what: 'a person not on the waiting list', step: 'riskCheck', from: eligible, form: { riskSummary: 'Settled', expedite: 'no' }, expect: /WAIT-1: risk is re-checked while a person waits for allocation; this referral is not on the waiting list\./ },
  // Allocation (COORD-1 to COORD-3)
  { what: 'nothing chosen', who: 'priya', step: 'allocate', from: eligible, form: {}, expect: ['coordinatorUserId: Select a care coordinator', 'reasons: Enter the reasons for this allocation', 'considerations: Select what was considered (not capacity alone)', 'leadAgencyId: Select the lead agency', 'leadAgencyAgreed: Select whether the lead agency is agreed'] },
  { what: 'someone who is not a care coordinator in the team', who: 'priya', step: 'allocate', from: eligible, form: { coordinatorUserId: priya.userId, reasons: 'Experience', considerations: 'expertise', leadAgencyId: priya.agencyId, leadAgencyAgreed: 'yes' }, expect: ['coordinatorUserId: COORD-1: select a care coordinator in this team'] },
  { what: 'a consideration not on the list', who: 'priya', step: 'allocate', from: eligible, form: { coordinatorUserId: tom.userId, reasons: 'Experience', considerations: ['expertise', 'capacity'], leadAgencyId: priya.agencyId, leadAgencyAgreed: 'yes' }, expect: ['considerations: Select from the list'] },
  { what: 'a manager of another team in the same agency', who: 'nadia', step: 'allocate', from: eligible, form: { coordinatorUserId: tom.userId, reasons: 'Experience', considerations: 'expertise', leadAgencyId: priya.agencyId, leadAgencyAgreed: 'yes' }, expect: /COORD-2: allocation is made by a manager of the receiving team\./ },
  { what: 'a routine referral not yet found eligible', who: 'priya', step: 'allocate', from: screened, form: { coordinatorUserId: tom.userId, reasons: 'Experience', considerations: 'expertise', leadAgencyId: priya.agencyId, leadAgencyAgreed: 'yes' }, expect: /COORD-1: a referral that is &quot;screened&quot; cannot be moved this way; it must be eligible, waiting for allocation\./ },
  // Withdrawal and feedback (REF-6)
  { what: 'no reason', step: 'withdraw', from: received, form: {}, expect: ['reason: Enter the reason the referral is withdrawn'] },
  { what: 'a referral already allocated', step: 'withdraw', from: allocated, form: { reason: 'Moved away' }, expect: /REF-6: a referral that is &quot;allocated&quot; cannot be moved this way/ },
  { what: 'no feedback', step: 'feedback', from: received, form: { message: '' }, expect: ['message: Enter the feedback for the referrer'] },
  { what: 'feedback over 2,000 characters', step: 'feedback', from: received, form: { message: long(2001) }, expect: ['message: The feedback for the referrer must be 2000 characters or fewer'] },
];

describe('each step refuses what it cannot accept, and writes nothing', () => {
  for (const refusal of refusals) test(`${refusal.step}: ${refusal.what}`, () => refused(refusal));
});

describe('who may take each step', () => {
  test('an agency with no part in the referral is told it does not exist, on the form and when it posts', async () => {
    const id = await received();
    const before = await snapshot();
    assert.equal((await browsers.kofi.get(paths.screen(id))).statusCode, 404);
    assert.equal((await browsers.kofi.post(paths.screen(id), { version: '1', category: 'routine' })).statusCode, 404);
    await assertNothingWritten(before, []);
  });

  test('the referrer cannot open or send the receiving team’s forms', async () => {
    const id = await received();
    const before = await snapshot();
    assert.equal((await browsers.raj.get(paths.screen(id))).statusCode, 404);
    assert.equal((await browsers.raj.post(paths.screen(id), { version: '1', category: 'routine' })).statusCode, 404);
    await assertNothingWritten(before, ['referral.viewed']);
  });

  test('a care coordinator cannot place on the waiting list or allocate: refused, and the refusal recorded', async () => {
    const id = await eligible();
    const before = await snapshot();
    assert.equal((await browsers.tom.get(paths.waitingList(id))).statusCode, 403);
    assert.equal((await browsers.tom.post(paths.allocate(id), { version: String(await version(id)) })).statusCode, 403);
    await assertNothingWritten(before, ['access.denied']);
    assert.deepEqual((await auditSince(t, before.audit)).map((e) => [e.action, e.outcome]), [['access.denied', 'denied'], ['access.denied', 'denied']]);
  });

  test('the answer page says so when nothing is waiting for an answer, and offers no form', async () => {
    const id = await received();
    const page = await browsers.raj.get(paths.answer(id));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /There is no request for information waiting for an answer\./);
    assert.doesNotMatch(page.body, /data-qa="step-form"/);
  });
});

describe('what the receiving team sees on the referral page', () => {
  test('a deadline that has passed is shown overdue, in red; a re-referral is flagged (REF-7)', async () => {
    const id = await received();
    await t.pool.query('update referral set is_re_referral = true where id = $1', [id]);
    t.clock.set('2026-03-04T09:00:00Z');
    try {
      // Two days on, the earlier sessions have ended: sign in afresh.
      const tomLater = await new Browser(t.app).signIn('tom.okafor@riverside-nhs.example');
      const page = await tomLater.get(paths.referral(id));
      assert.equal(page.statusCode, 200);
      const clocks = /data-qa="clocks"[\s\S]*?<\/table>/.exec(page.body)![0].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
      assert.match(clocks, /Screen the referral REF-3 3 March 2026 at 11:59pm Overdue/);
      assert.match(page.body, /<strong class="govuk-tag govuk-tag--red" data-qa="overdue">Overdue<\/strong>/);
      assert.match(page.body, /A re-referral: this person’s last case with this service closed in the past 12 months \(REF-7\)\./);
    } finally {
      t.clock.set('2026-03-02T10:00:00Z');
    }
  });
});
