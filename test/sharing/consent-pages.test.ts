import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, auditSince, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { textOf } from '../support/casework.js';
import { errorSummary, submit } from '../support/pages.js';
import { sharingPaths as paths } from '../../src/modules/sharing/paths.js';
import { ALEX, KOFI, RAJ, TOM, dateBoxes, daysFrom, sharingWorld } from './world.js';

const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z' });
const world = await sharingWorld(t);
const { kofi } = world;
const tom = await new Browser(t.app).signIn(TOM);
const housing = await new Browser(t.app).signIn(KOFI);
const raj = await new Browser(t.app).signIn(RAJ);
const alex = await new Browser(t.app).signIn(ALEX);

const TODAY = '2026-03-03';
const consentForm = (over: Record<string, string | string[]> = {}) => ({
  decision: 'given',
  agencyIds: kofi.agencyId,
  categories: ['mental_health', 'risk'],
  purposes: 'housing_support',
  obtainedHow: 'in_person',
  ...dateBoxes('obtainedOn', TODAY),
  ...dateBoxes('reviewDate', '2027-03-03'),
  notes: 'Agreed at the joint visit',
  ...over,
});
const consentRows = async (personId: string) => (await t.pool.query('select *, review_date::text as review_date from consent_decision where person_id = $1 order by recorded_at', [personId])).rows;
const tags = (body: string) => [...body.matchAll(/data-qa="consent-status">([^<]+)</g)].map((m) => m[1]);

describe('the consent and sharing section', () => {
  test('an agency involved sees it in the record frame, empty at first, and opening it is recorded', async () => {
    const maria = await world.person();
    const before = await lastAuditId(t);
    const page = await housing.get(paths.sharing(maria.id));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`data-qa="person-name">${maria.name}`));
    assert.match(page.body, /aria-current="page"[^>]*>\s*Consent and sharing|Consent and sharing[\s\S]{0,80}aria-current/);
    assert.match(page.body, /No consent decisions in force/);
    assert.match(page.body, /No refusal of consent is in force/);
    assert.match(page.body, /has recorded no restrictions/);
    assert.match(page.body, /No decision to share without consent/);
    assert.match(page.body, /data-qa="record-consent"/);
    assert.doesNotMatch(page.body, /data-qa="record-exception"/, 'a practitioner cannot share without consent');
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.subject_id]), [['sharing.viewed', maria.id]]);
  });

  test('an agency not involved is told the person does not exist; the refusal is recorded', async () => {
    const maria = await world.person();
    const before = await lastAuditId(t);
    const page = await raj.get(paths.sharing(maria.id));
    assert.equal(page.statusCode, 404);
    const missing = await raj.get(paths.sharing('6f1c1c3e-8a55-4d61-9b3a-5d0f7c2a1b90'));
    assert.equal(missing.statusCode, 404);
    const unique = (body: string) => body.replace(/name="_csrf" value="[^"]+"/, '').replace(/nonce="[^"]+"/g, '');
    assert.equal(unique(missing.body), unique(page.body), 'the same page as for no one at all');
    const events = await auditSince(t, before);
    // Both are recorded as the same refusal, so a missing person takes the same work (and time) as a hidden one.
    assert.deepEqual(events.map((e) => [e.action, e.outcome, e.subject_id]), [['person.view_refused', 'denied', maria.id], ['person.view_refused', 'denied', '6f1c1c3e-8a55-4d61-9b3a-5d0f7c2a1b90']]);
  });

  test('a user without casework (an administrator) is refused', async () => {
    const maria = await world.person();
    assert.equal((await alex.get(paths.sharing(maria.id))).statusCode, 403);
  });
});

describe('recording a consent decision (CON-1)', () => {
  test('the form offers the partnership’s agencies, kinds of agency, categories, purposes and how it was given', async () => {
    const maria = await world.person();
    const form = await tom.get(paths.consentNew(maria.id));
    assert.equal(form.statusCode, 200);
    for (const text of ['Harbour Housing Options', 'Riverside NHS Mental Health Trust', 'Drug and alcohol service', 'Mental health', 'Finding or keeping a home', 'By telephone']) assert.match(form.body, new RegExp(text));
    for (const field of ['obtainedOn-day', 'reviewDate-year', 'consequences', 'notes']) assert.match(form.body, new RegExp(`name="${field}"`));
  });

  test('consent given is recorded, shown as Given with whom, what, for what, how, when and by whom, and the record is audited', async () => {
    const maria = await world.person();
    const before = await lastAuditId(t);
    const { posted, landed } = await submit(tom, paths.consentNew(maria.id), consentForm());
    assert.equal(posted.statusCode, 303);
    assert.equal(posted.headers.location, paths.sharing(maria.id));
    assert.match(landed.body, /Consent has been recorded/);
    const row = (await consentRows(maria.id))[0];
    assert.equal(row.decision, 'given');
    assert.deepEqual(row.agency_ids, [kofi.agencyId]);
    assert.deepEqual(row.categories, ['mental_health', 'risk']);
    assert.equal(row.review_date, '2027-03-03');
    assert.equal(row.obtained_at.toISOString(), '2026-03-03T10:00:00.000Z', 'a decision made today counts from when it was recorded');
    assert.equal(row.recorded_by_agency, world.tom.agencyId);
    const table = /<table class="govuk-table" data-qa="consents">[\s\S]*?<\/table>/.exec(landed.body)![0];
    assert.match(textOf(table), /Given Harbour Housing Options Mental health and Risk Finding or keeping a home In person, 3 March 2026 Tom Okafor, Riverside NHS Mental Health Trust 3 March 2027 Withdraw/);
    const events = (await auditSince(t, before)).filter((e) => e.action === 'consent.recorded');
    assert.equal(events.length, 1);
    assert.equal(events[0]!.subject_id, row.id);
  });

  test('a refusal needs what the person was told; recorded, it shows what cannot be shared and which services cannot receive it (CON-5)', async () => {
    const maria = await world.person();
    const refusal = consentForm({ decision: 'refused', agencyIds: [], agencyTypes: 'housing', categories: 'mental_health', 'reviewDate-day': '', 'reviewDate-month': '', 'reviewDate-year': '' });
    const first = await submit(tom, paths.consentNew(maria.id), refusal);
    assert.equal(first.landed.statusCode, 400);
    assert.deepEqual(errorSummary(first.landed.body), ['consequences: Enter what the person was told cannot be offered without their consent']);
    const told = 'Housing cannot take her mental health into account when assessing priority need';
    const { landed } = await submit(tom, paths.consentNew(maria.id), { ...refusal, consequences: told });
    assert.match(landed.body, /The refusal of consent has been recorded/);
    assert.deepEqual(tags(landed.body), ['Refused']);
    const card = /data-qa="consequence"[\s\S]*?<\/dl>/.exec(landed.body)![0];
    assert.match(textOf(card), /Any agency of the kind “Housing” cannot be given information about mental health without the person’s consent\./);
    assert.match(textOf(card), new RegExp(told));
    assert.match(textOf(card), /Housing Options and Homelessness, Harbour Housing Options/);
  });

  test('nothing ticked or typed: every problem at once, values kept, the page answers 400, nothing written', async () => {
    const maria = await world.person();
    const { posted, landed } = await submit(tom, paths.consentNew(maria.id), { notes: 'Kept as typed' });
    assert.equal(posted.statusCode, 303);
    assert.equal(landed.statusCode, 400);
    assert.deepEqual(errorSummary(landed.body), [
      'decision: Select whether the person gave or refused consent',
      'agencyIds: Select the agencies or kinds of agency the decision is about',
      'categories: Select the information the decision covers',
      'purposes: Select what the information may be used for',
      'obtainedHow: Select how the decision was given',
      'obtainedOn: Enter the date of the decision',
    ]);
    assert.match(landed.body, />Kept as typed<\/textarea>/);
    assert.equal((await world.written(maria.id)).consents, 0);
  });

  test('ticked boxes and dates are kept after a refusal', async () => {
    const maria = await world.person();
    const { landed } = await submit(tom, paths.consentNew(maria.id), consentForm({ ...dateBoxes('reviewDate', '2030-01-01') }));
    assert.deepEqual(errorSummary(landed.body), ['reviewDate: The review date must be within 3 years of today']);
    assert.match(landed.body, new RegExp(`value="${kofi.agencyId}" checked`));
    assert.match(landed.body, /value="mental_health" checked/);
    assert.match(landed.body, /name="reviewDate-year" type="text" value="2030"/);
    assert.equal((await world.written(maria.id)).consents, 0);
  });

  for (const [what, over, expected] of [
    ['a date in the future', dateBoxes('obtainedOn', '2026-03-04'), 'obtainedOn: The date of the decision cannot be in the future'],
    ['half a date', { 'obtainedOn-day': '3', 'obtainedOn-month': '', 'obtainedOn-year': '2026' }, 'obtainedOn: The date of the decision must include a month'],
    ['no review date for consent given', { 'reviewDate-day': '', 'reviewDate-month': '', 'reviewDate-year': '' }, 'reviewDate: Enter the date consent will be reviewed'],
    ['a review date before the decision', dateBoxes('reviewDate', '2026-03-03'), 'reviewDate: The review date must be after the date of the decision'],
    ['notes too long', { notes: 'n'.repeat(2001) }, 'notes: The notes must be 2000 characters or fewer'],
    ['an agency not in the directory', { agencyIds: '6f1c1c3e-8a55-4d61-9b3a-5d0f7c2a1b90' }, 'agencyIds: Select agencies from the list'],
    ['a category that does not exist', { categories: 'shoe_size' }, 'categories: Select information from the list'],
  ] as const) {
    test(`${what} is refused with a clear message and nothing is written`, async () => {
      const maria = await world.person();
      const { landed } = await submit(tom, paths.consentNew(maria.id), consentForm(over));
      assert.equal(landed.statusCode, 400);
      assert.deepEqual(errorSummary(landed.body), [expected]);
      assert.equal((await world.written(maria.id)).consents, 0);
    });
  }

  test('for a person the actor cannot see, the form and its answer are 404 and nothing is written', async () => {
    const hidden = await world.strangerToAll();
    assert.equal((await tom.get(paths.consentNew(hidden.id))).statusCode, 404);
    await tom.get(paths.consentNew((await world.person()).id));
    const posted = await tom.post(paths.consentNew(hidden.id), consentForm());
    assert.equal(posted.statusCode, 404);
    assert.equal((await world.written(hidden.id)).consents, 0);
  });

  test('a user without the permission is refused and nothing is written', async () => {
    const maria = await world.person();
    await alex.get('/');
    const posted = await alex.post(paths.consentNew(maria.id), consentForm());
    assert.equal(posted.statusCode, 403);
    assert.equal((await world.written(maria.id)).consents, 0);
  });
});

describe('withdrawing consent', () => {
  async function consented() {
    const maria = await world.person();
    await submit(tom, paths.consentNew(maria.id), consentForm());
    const consentId = (await consentRows(maria.id))[0].id as string;
    return { maria, consentId };
  }

  test('withdrawal is a new decision pointing at the consent; both stay in the history and the consent shows as Withdrawn', async () => {
    const { maria, consentId } = await consented();
    t.clock.advance(60_000);
    const form = await housing.get(paths.withdraw(maria.id, consentId));
    assert.equal(form.statusCode, 200);
    assert.match(textOf(form.body), /With Harbour Housing Options Information Mental health and Risk/);
    const before = await lastAuditId(t);
    const { posted, landed } = await submit(housing, paths.withdraw(maria.id, consentId), { ...dateBoxes('withdrawnOn', TODAY), obtainedHow: 'phone', notes: 'Rang to say she has changed her mind' });
    assert.equal(posted.statusCode, 303);
    assert.match(landed.body, /The withdrawal of consent has been recorded/);
    const rows = await consentRows(maria.id);
    assert.deepEqual(rows.map((r) => [r.decision, r.withdraws]), [['given', null], ['withdrawn', consentId]]);
    assert.equal(rows[1].recorded_by_agency, kofi.agencyId);
    assert.match(landed.body, /No consent decisions in force/);
    const history = textOf(/<ol[^>]*data-qa="consent-history"[\s\S]*?<\/ol>/.exec(landed.body)![0]);
    assert.match(history, /^Withdrawal 3 March 2026: withdrew the consent given on 3 March 2026 to share mental health and risk with Harbour Housing Options\. By telephone\. Recorded 3 March 2026 at 10:01am by Kofi Mensah, Harbour Housing Options Notes: Rang to say she has changed her mind Withdrawn 3 March 2026: consent given/);
    assert.deepEqual((await auditSince(t, before)).filter((e) => e.action === 'consent.withdrawn').map((e) => e.subject_id), [consentId]);
  });

  test('withdrawing twice: the form and the answer say it is already withdrawn (409) and nothing more is written', async () => {
    const { maria, consentId } = await consented();
    await submit(tom, paths.withdraw(maria.id, consentId), { ...dateBoxes('withdrawnOn', TODAY), obtainedHow: 'phone' });
    const again = await tom.get(paths.withdraw(maria.id, consentId));
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /This consent has already been withdrawn/);
    const posted = await tom.post(paths.withdraw(maria.id, consentId), { ...dateBoxes('withdrawnOn', TODAY), obtainedHow: 'phone' });
    assert.equal(posted.statusCode, 303, 'the form goes back to its page, which explains');
    assert.equal((await tom.get(String(posted.headers.location))).statusCode, 409);
    assert.equal((await world.written(maria.id)).consents, 2);
  });

  test('a withdrawal needs a date not before the consent and how the person said so', async () => {
    const { maria, consentId } = await consented();
    const { landed } = await submit(tom, paths.withdraw(maria.id, consentId), { ...dateBoxes('withdrawnOn', '2026-03-02'), notes: 'x'.repeat(2001) });
    assert.equal(landed.statusCode, 400);
    assert.deepEqual(errorSummary(landed.body), [
      'withdrawnOn: The date consent was withdrawn cannot be before it was given',
      'obtainedHow: Select how the person withdrew consent',
      'notes: The notes must be 2000 characters or fewer',
    ]);
    assert.equal((await world.written(maria.id)).consents, 1);
  });

  test('a refusal cannot be withdrawn (409); a consent of another person is not found (404)', async () => {
    const maria = await world.person();
    await submit(tom, paths.consentNew(maria.id), consentForm({ decision: 'refused', consequences: 'No housing support with her health needs in mind', 'reviewDate-day': '', 'reviewDate-month': '', 'reviewDate-year': '' }));
    const refusalId = (await consentRows(maria.id))[0].id as string;
    const page = await tom.get(paths.withdraw(maria.id, refusalId));
    assert.equal(page.statusCode, 409);
    assert.match(page.body, /Consent was refused, so there is nothing to withdraw/);
    const other = await consented();
    assert.equal((await tom.get(paths.withdraw(maria.id, other.consentId))).statusCode, 404);
  });

  test('a person the actor cannot see: 404, nothing written', async () => {
    const { maria, consentId } = await consented();
    await raj.get('/');
    const posted = await raj.post(paths.withdraw(maria.id, consentId), { ...dateBoxes('withdrawnOn', TODAY), obtainedHow: 'phone' });
    assert.equal(posted.statusCode, 404);
    assert.equal((await world.written(maria.id)).consents, 1);
  });
});

describe('expiry', () => {
  test('consent given shows as Expired the day after its review date, and can no longer be withdrawn', async () => {
    const maria = await world.person();
    await submit(tom, paths.consentNew(maria.id), consentForm({ ...dateBoxes('reviewDate', daysFrom(t, 10)) }));
    const consentId = (await consentRows(maria.id))[0].id as string;
    const start = t.clock.now().toISOString();
    try {
      t.clock.set(`${daysFrom(t, 10)}T23:50:00Z`);
      // Days later, the earlier sessions have timed out: sign in again, as a practitioner would.
      const later = await new Browser(t.app).signIn(TOM);
      assert.deepEqual(tags((await later.get(paths.sharing(maria.id))).body), ['Given'], 'still in force on its review date');
      t.clock.advance(20 * 60_000);
      const page = await later.get(paths.sharing(maria.id));
      assert.deepEqual(tags(page.body), ['Expired']);
      assert.match(textOf(page.body), /\(passed\)/);
      assert.doesNotMatch(page.body, /data-qa="withdraw"/);
      const withdraw = await later.get(paths.withdraw(maria.id, consentId));
      assert.equal(withdraw.statusCode, 409);
      assert.match(withdraw.body, /This consent has expired/);
    } finally {
      t.clock.set(start);
    }
  });
});
