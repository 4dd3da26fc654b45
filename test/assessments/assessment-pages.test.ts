import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditSince, Browser, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { textOf } from '../support/casework.js';
import { errorSummary } from '../support/pages.js';
import { assessmentsPaths as paths } from '../../src/modules/assessments/paths.js';
import { recordPaths } from '../../src/modules/people/paths.js';
import { DOMAINS } from '../../src/modules/assessments/rules.js';
import { HELEN, KOFI, PRIYA, RAJ, TOM } from '../notes/world.js';
import { AGREED, ANSWERED, assessmentsWorld } from './world.js';

const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z' });
const world = await assessmentsWorld(t);
const { tom: tomActor } = world;

const tom = await new Browser(t.app).signIn(TOM);
const priya = await new Browser(t.app).signIn(PRIYA);
const kofi = await new Browser(t.app).signIn(KOFI);
const raj = await new Browser(t.app).signIn(RAJ);
const helen = await new Browser(t.app).signIn(HELEN);

const actionsSince = async (id: number) => (await auditSince(t, id)).map((e) => [e.action, e.outcome]);
const draftIdFrom = (location: unknown) => /drafts\/([0-9a-f-]{36})/.exec(String(location))![1]!;

/** A refused post: it answers `status` (303 back to the form for a page), and nothing about the person is written. */
async function assertNothingWritten(personId: string, call: () => Promise<{ statusCode: number }>, status: number) {
  const before = { rows: await world.rows(personId), audit: await lastAuditId(t) };
  const response = await call();
  assert.equal(response.statusCode, status);
  assert.deepEqual(await world.rows(personId), before.rows);
  assert.deepEqual((await auditSince(t, before.audit)).filter((e) => e.outcome === 'success' && e.action !== 'person.view_refused').map((e) => e.action), []);
  return response;
}

describe('starting an assessment (ASSESS-1)', () => {
  test('the person’s agreement is recorded first; the draft opens at the first domain, and the record links to it', async () => {
    const person = await world.person();
    const record = await tom.get(recordPaths.person(person.id));
    assert.match(record.body, new RegExp(`href="${paths.assessments(person.id)}"`));
    const list = await tom.get(paths.assessments(person.id));
    assert.match(list.body, /data-qa="start-assessment"/);

    await tom.get(paths.start(person.id));
    const before = await lastAuditId(t);
    const started = await tom.post(paths.start(person.id), { kind: 'core', assessmentAgreement: 'agreed', sharingAgreement: 'could_not_ask', couldNotAskReason: 'Too unwell to discuss sharing today' });
    assert.equal(started.statusCode, 303);
    const draftId = draftIdFrom(started.headers.location);
    assert.equal(started.headers.location, paths.domain(person.id, draftId, 'substance_use'));
    const [row] = (await t.pool.query('select * from assessment_draft where id = $1', [draftId])).rows;
    assert.deepEqual([row.assessment_agreement, row.sharing_agreement, row.could_not_ask_reason, row.version, row.author_id], ['agreed', 'could_not_ask', 'Too unwell to discuss sharing today', 1, tomActor.userId]);
    assert.deepEqual(await actionsSince(before), [['assessment.started', 'success']]);
  });

  test('no agreement, a declined assessment or no reason why it could not be sought: the form says what is wrong and nothing is written', async () => {
    const person = await world.person();
    await tom.get(paths.start(person.id));
    await assertNothingWritten(person.id, () => tom.post(paths.start(person.id), {}), 303);
    assert.deepEqual(errorSummary((await tom.get(paths.start(person.id))).body), [
      'kind: Select what kind of assessment this is',
      'assessmentAgreement: Select whether the person agreed to be assessed',
      'sharingAgreement: Select whether the person agreed to their information being shared',
    ]);
    await assertNothingWritten(person.id, () => tom.post(paths.start(person.id), { kind: 'core', assessmentAgreement: 'declined', sharingAgreement: 'agreed' }), 303);
    assert.match(errorSummary((await tom.get(paths.start(person.id))).body)[0]!, /needs their agreement \(ASSESS-1\)/);
    await assertNothingWritten(person.id, () => tom.post(paths.start(person.id), { kind: 'core', assessmentAgreement: 'could_not_ask', sharingAgreement: 'agreed', couldNotAskReason: 'x'.repeat(501) }), 303);
    const page = await tom.get(paths.start(person.id));
    assert.deepEqual(errorSummary(page.body), ['couldNotAskReason: Why their agreement could not be sought must be 500 characters or fewer']);
    assert.match(page.body, /x{501}/, 'what was typed is kept');
  });

  test('an agency not involved is told the person does not exist, an auditor may not assess; nothing written', async () => {
    const person = await world.person();
    assert.equal((await raj.get(paths.start(person.id))).statusCode, 404);
    await assertNothingWritten(person.id, () => raj.post(paths.start(person.id), AGREED), 404);
    assert.equal((await helen.get(paths.start(person.id))).statusCode, 403);
    await assertNothingWritten(person.id, () => helen.post(paths.start(person.id), AGREED), 403);
  });
});

describe('the draft, page by page (ASSESS-2, REC-2)', () => {
  test('save and continue asks for the domain to be whole and moves to the next; save and come back later keeps a part-answer', async () => {
    const person = await world.person();
    const draft = await t.services.assessments.start(tomActor, person.id, AGREED);
    const url = paths.domain(person.id, draft.id, 'substance_use');
    await tom.get(url);
    await assertNothingWritten(person.id, () => tom.post(url, { version: '1', mode: 'continue', status: 'assessed', needs: 'Drinks daily' }), 303);
    const refused = await tom.get(url);
    assert.deepEqual(errorSummary(refused.body), ['source: Enter where this information came from', 'verified: Select whether the information was verified']);
    assert.match(refused.body, /Drinks daily/);

    const later = await tom.post(url, { version: '1', mode: 'later', status: 'assessed', needs: 'Drinks daily' });
    assert.equal(later.headers.location, paths.draft(person.id, draft.id));
    const before = await lastAuditId(t);
    const next = await tom.post(url, { version: '2', mode: 'continue', ...ANSWERED });
    assert.equal(next.headers.location, paths.domain(person.id, draft.id, 'physical_health'));
    assert.deepEqual(await actionsSince(before), [['assessment.draft_saved', 'success']]);
    const [row] = (await world.rows(person.id)).drafts;
    assert.equal(row.version, 3);
    assert.equal(row.domains.substance_use.source, 'The person, at home');

    const last = await tom.post(paths.domain(person.id, draft.id, 'risk'), { version: '3', ...ANSWERED });
    assert.equal(last.headers.location, paths.outcome(person.id, draft.id));
    const overview = await tom.get(paths.draft(person.id, draft.id));
    assert.match(textOf(overview.body), /Substance use Completed Physical health Not yet started/);
  });

  test('abuse is asked of everyone: it cannot be marked “not assessed”, and its page offers no way to', async () => {
    const person = await world.person();
    const draft = await t.services.assessments.start(tomActor, person.id, AGREED);
    const url = paths.domain(person.id, draft.id, 'abuse');
    const form = await tom.get(url);
    assert.match(form.body, /Abuse is asked of everyone/);
    assert.doesNotMatch(form.body, /value="not_assessed"/);
    await assertNothingWritten(person.id, () => tom.post(url, { version: '1', status: 'not_assessed', notAssessedReason: 'Did not ask' }), 303);
    assert.deepEqual(errorSummary((await tom.get(url)).body), ['status: Abuse is asked of everyone (ASSESS-2): it cannot be left out']);
  });

  test('two people at one draft: the first save wins, the second is told it changed (nothing of theirs lost or written) and can save again knowing', async () => {
    const person = await world.person();
    const draft = await t.services.assessments.start(tomActor, person.id, AGREED);
    const url = paths.domain(person.id, draft.id, 'housing_household');
    await tom.get(url);
    await priya.get(url);
    assert.equal((await tom.post(url, { version: '1', ...ANSWERED, needs: 'Rent arrears: Tom' })).statusCode, 303);
    await assertNothingWritten(person.id, () => priya.post(url, { version: '1', ...ANSWERED, needs: 'Damp flat: Priya' }), 303);
    const told = await priya.get(url);
    assert.match(errorSummary(told.body)[0]!, /This draft changed since you opened it/);
    assert.match(told.body, /Damp flat: Priya/, 'what Priya typed is still in the form');
    assert.match(told.body, /data-qa="latest-saved"[\s\S]*Rent arrears: Tom/, 'and she sees what was saved');
    assert.match(told.body, /name="version" value="2"/);
    assert.equal((await world.rows(person.id)).drafts[0].domains.housing_household.needs, 'Rent arrears: Tom');
    assert.equal((await priya.post(url, { version: '2', ...ANSWERED, needs: 'Damp flat: Priya' })).statusCode, 303);
    assert.equal((await world.rows(person.id)).drafts[0].domains.housing_household.needs, 'Damp flat: Priya');
  });

  test('its author resumes it from anywhere: the person’s assessments list the team’s drafts; another agency neither sees nor opens them', async () => {
    const person = await world.person();
    const draft = await t.services.assessments.start(tomActor, person.id, AGREED);
    const elsewhere = await new Browser(t.app).signIn(TOM);
    const list = await elsewhere.get(paths.assessments(person.id));
    assert.match(list.body, new RegExp(`href="${paths.draft(person.id, draft.id)}"[^<]*Core assessment`));
    assert.match(list.body, /Yours/);
    const theirs = await kofi.get(paths.assessments(person.id));
    assert.equal(theirs.statusCode, 200);
    assert.doesNotMatch(theirs.body, /data-qa="drafts"/);
    assert.equal((await kofi.get(paths.draft(person.id, draft.id))).statusCode, 404);
    assert.equal((await kofi.get(paths.domain(person.id, draft.id, 'risk'))).statusCode, 404);
    await assertNothingWritten(person.id, () => kofi.post(paths.domain(person.id, draft.id, 'risk'), { version: '1', ...ANSWERED }), 404);
    assert.equal((await tom.get(paths.domain(person.id, draft.id, 'not_a_domain'))).statusCode, 404);
    assert.equal((await tom.get(paths.draft(person.id, 'not-an-id'))).statusCode, 404);
  });
});

describe('completing an assessment (ASSESS-3, ASSESS-4)', () => {
  test('refused, naming every unanswered domain (abuse in its own words) and the outcome, with nothing written', async () => {
    const person = await world.person();
    const draft = await world.draft(tomActor, person.id, { domains: DOMAINS.map((d) => d.key).filter((k) => k !== 'abuse' && k !== 'legal_status'), outcome: false });
    const url = paths.complete(person.id, draft.id);
    await tom.get(url);
    await assertNothingWritten(person.id, () => tom.post(url, { version: String(draft.version) }), 303);
    assert.deepEqual(errorSummary((await tom.get(url)).body), [
      'domain-abuse: Ask about abuse: it is asked of everyone (ASSESS-2)',
      'domain-legal_status: Legal status: select whether legal status was assessed',
      'outcome: Outcome: enter the person’s goals',
    ]);
  });

  test('signs it with name, role, agency and time, makes it an entry the database will not change, removes the draft and starts the six-month review', async () => {
    const person = await world.person();
    const draft = await world.draft(tomActor, person.id);
    const url = paths.complete(person.id, draft.id);
    await tom.get(url);
    const before = await lastAuditId(t);
    const done = await tom.post(url, { version: String(draft.version) });
    assert.equal(done.statusCode, 303);
    const assessmentId = /assessments\/([0-9a-f-]{36})$/.exec(String(done.headers.location))![1]!;
    assert.deepEqual(await actionsSince(before), [['assessment.completed', 'success']]);
    const rows = await world.rows(person.id);
    assert.equal(rows.drafts.length, 0);
    assert.equal(rows.items.length, 17);
    assert.deepEqual(rows.obligations.map((o) => [o.kind, o.rule_id, o.state, o.subject_id, o.due_at.toISOString()]), [['assessment.review', 'ASSESS-4', 'open', assessmentId, '2026-09-03T22:59:59.999Z']]);
    await assert.rejects(t.pool.query(`update assessment set signed_name = 'Someone else' where id = $1`, [assessmentId]), /never changed/);
    await assert.rejects(t.pool.query(`delete from assessment_item where assessment_id = $1`, [assessmentId]), /never changed/);

    const page = await tom.get(String(done.headers.location));
    assert.match(textOf(page.body), /Signed by Tom Okafor, Care coordinator, Riverside NHS Mental Health Trust, on 3 March 2026/);
    assert.match(textOf(page.body), /Verified No: No one else to ask yet/);
    assert.match(textOf(page.body), /Other agencies to involve Harbour Housing Options/);
    // Completing twice: the draft is gone.
    await assertNothingWritten(person.id, () => tom.post(url, { version: String(draft.version) }), 404);
  });

  test('a save or completion against an old version is refused as changed, and nothing is written', async () => {
    const person = await world.person();
    const draft = await world.draft(tomActor, person.id);
    const url = paths.complete(person.id, draft.id);
    await tom.get(url);
    await assertNothingWritten(person.id, () => tom.post(url, { version: String(draft.version - 1) }), 303);
    assert.match(errorSummary((await tom.get(url)).body)[0]!, /This draft changed since you opened it/);
    await assertNothingWritten(person.id, () => tom.post(url, { version: 'many' }), 303);
  });
});

describe('need-to-know, domain by domain (CON-2)', () => {
  test('a partner sees the housing domain it has consent for and not mental health, and is told which consent to ask for', async () => {
    const person = await world.person();
    const done = await world.completed(tomActor, person.id);
    await world.consentForHousing(person.id, ['housing', 'care_plan']);
    const before = await lastAuditId(t);
    const page = await kofi.get(paths.assessment(person.id, done.id));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-qa="domain-housing_household"/);
    assert.match(page.body, /housing_household: needs/);
    assert.doesNotMatch(page.body, /mental_health: needs|abuse: needs/);
    assert.match(textOf(page.body), /Mental health Not shared with Harbour Housing Options: ask for consent to share mental health information\./);
    assert.match(page.body, /data-qa="outcome"/);
    assert.match(textOf(page.body), /there is no consent in force to share drug and alcohol use, physical health, children and safeguarding, abuse and adult safeguarding,/);
    const [event] = await auditSince(t, before);
    assert.deepEqual([event!.action, (event!.details.sections as string[]).sort()], ['assessment.viewed', ['housing_household', 'outcome']]);
  });

  test('a consent recorded before the new categories existed does not cover them: every category it names, and still not abuse, faith or legal status', async () => {
    const person = await world.person();
    const done = await world.completed(tomActor, person.id);
    await world.consentForHousing(person.id, ['risk', 'physical_health', 'mental_health', 'substance_use', 'offending', 'children_safeguarding', 'housing', 'finance', 'notes']);
    const page = await kofi.get(paths.assessment(person.id, done.id));
    for (const seen of ['mental_health', 'risk', 'employment_finance']) assert.match(page.body, new RegExp(`data-qa="domain-${seen}"`), seen);
    for (const hidden of ['abuse', 'spiritual', 'legal_status', 'adult_protection', 'outcome']) assert.match(page.body, new RegExp(`data-qa="hidden-${hidden}"`), hidden);
    assert.match(textOf(page.body), /ask for consent to share faith and spiritual matters information/);
  });

  test('an agency not involved gets 404 for the assessment as for a person that does not exist', async () => {
    const person = await world.person();
    const done = await world.completed(tomActor, person.id);
    assert.equal((await raj.get(paths.assessment(person.id, done.id))).statusCode, 404);
    assert.equal((await raj.get(paths.assessments(person.id))).statusCode, 404);
    const other = await world.person();
    assert.equal((await tom.get(paths.assessment(other.id, done.id))).statusCode, 404, 'an assessment is found only under its own person');
  });
});

describe('assessment clocks (ASSESS-4, ASSESS-5)', () => {
  test('short-term work starts a three-month clock for a core assessment; the core assessment meets it and starts its own review; My work shows it', async () => {
    const person = await world.person();
    const short = await world.completed(tomActor, person.id, { kind: 'short_term' });
    assert.deepEqual((await world.rows(person.id)).obligations.map((o) => [o.kind, o.rule_id, o.state, o.subject_id, o.due_at.toISOString()]), [
      ['assessment.core_needed', 'ASSESS-5', 'open', short.id, '2026-06-03T22:59:59.999Z'],
    ]);
    // The day it falls due, My work lists it, named by the assessment's own module (the subject registry).
    t.clock.advance(92 * 86_400_000 - 10 * 3_600_000);
    const home = await (await new Browser(t.app).signIn(TOM)).get('/');
    assert.match(textOf(home.body), /Assessment for short-term work of 3 March 2026/);
    assert.match(home.body, new RegExp(`href="${paths.assessment(person.id, short.id)}"`));

    t.clock.advance(86_400_000);
    const core = await world.completed(tomActor, person.id, { kind: 'core' });
    assert.deepEqual((await world.rows(person.id)).obligations.map((o) => [o.kind, o.state, o.subject_id]), [
      ['assessment.core_needed', 'met', short.id],
      ['assessment.review', 'open', core.id],
    ]);
    // A review is a new core assessment: it meets the last one's review and starts the next.
    t.clock.advance(86_400_000);
    const review = await world.completed(tomActor, person.id, { kind: 'core' });
    assert.deepEqual((await world.rows(person.id)).obligations.map((o) => [o.kind, o.state, o.subject_id]), [
      ['assessment.core_needed', 'met', short.id],
      ['assessment.review', 'met', core.id],
      ['assessment.review', 'open', review.id],
    ]);
  });
});
