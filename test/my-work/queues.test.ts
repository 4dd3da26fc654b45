import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { auditSince, Browser, lastAuditId, testConcord } from '../support/app.js';
import { actorFor, onTheWaitingList, openCase, peopleLinkedFrom, refer, rowsOf, sectionOf, stepsFor } from '../support/casework.js';
import { errorSummary } from '../support/pages.js';
import { endInvolvementsFrom } from '../../src/platform/access/involvements.js';

// Monday 2 March 2026, 10:00 UK time. The demo's own referrals are dated around the day the test
// databases were built, so these tests find their own rows by reference.
const t = await testConcord({ now: '2026-03-02T10:00:00Z' });

const RAJ = 'raj.patel@northshire-council.example'; // Adult Social Care duty practitioner
const MARK = 'mark.ellison@northshire-council.example'; // Adult Social Care duty team manager
const TOM = 'tom.okafor@riverside-nhs.example'; // CMHT care coordinator
const GRACE = 'grace.whitfield@riverside-nhs.example'; // CMHT care coordinator
const ALEX = 'alex.morgan@northshire-care.example'; // partnership administrator

const raj = await actorFor(t, RAJ);
const mark = await actorFor(t, MARK);
const tom = await actorFor(t, TOM);
const grace = await actorFor(t, GRACE, 'Riverside Community Mental Health Team');
const priya = await actorFor(t, 'priya.raman@riverside-nhs.example');
const kofi = await actorFor(t, 'kofi.mensah@harbour-housing.example');

const browsers = new Map<string, Browser>();
async function signedIn(email: string) {
  if (!browsers.has(email)) browsers.set(email, await new Browser(t.app).signIn(email));
  return browsers.get(email)!;
}
async function home(email: string, query = '') {
  return (await signedIn(email)).get(`/${query}`);
}
/** Days pass: sessions idle that long have ended, so everyone signs in again. */
function moveClockTo(instant: string) {
  t.clock.set(instant);
  browsers.clear();
}

// Kofi (housing) refers Olwen to the duty team: a referral to screen by the end of tomorrow.
const olwen = await refer(t, kofi, raj, { name: ['Olwen', 'Pargeter'] });
// A referral on the duty team's waiting list, with its risk re-check and allocation due.
const wilf = await onTheWaitingList(t, kofi, raj, mark, ['Wilfred', 'Ockenden']);
// A CMHT case allocated to Grace with the lead agency not agreed: a case meeting is due (COORD-3).
const ingrid = await openCase(t, raj, priya, grace, { name: ['Ingrid', 'Sollers'], leadAgencyAgreed: 'no' });

// Nobody is involved with Hester, so nobody may open her record: a deadline about her, even one the
// duty team owns, is not shown to them. A deadline about nobody in particular is.
const hester = await t.db.transaction((tx) => t.services.people.createInTransaction(tx, kofi, t.services.people.parsePerson({ givenName: 'Hester', familyName: 'Quarrington' }), () => undefined));
const soon = new Date(t.clock.now().getTime() + 2 * 3_600_000);
const dutyTeam = { kind: 'team' as const, teamId: raj.teamId, agencyId: raj.agencyId };
await t.services.obligations.start(t.db, { kind: 'test.deadline', ruleId: 'TEST-1', title: 'Ring Hester back', subject: { type: 'referral', id: randomUUID() }, personId: hester.id, owner: dutyTeam, dueAt: soon });
await t.services.obligations.start(t.db, { kind: 'test.deadline', ruleId: 'TEST-2', title: 'Check the duty rota', subject: { type: 'referral', id: randomUUID() }, owner: dutyTeam, dueAt: soon });
// A case Tom coordinates, whose person his agency may no longer see (as a consent restriction will do).
const restricted = await openCase(t, raj, priya, tom, { name: ['Ottoline', 'Restricted'] });
await t.db.transaction(async (tx) => {
  await endInvolvementsFrom(tx, { type: 'referral', id: restricted.referral.id }, t.clock.now(), 'test: access withdrawn');
  await endInvolvementsFrom(tx, { type: 'case', id: restricted.caseId }, t.clock.now(), 'test: access withdrawn');
});

// Tom asks Raj (the referrer) for more information: Raj's team owes the answer, but Raj sees only
// the status of his referral, so the deadline must never put the person's name on his page.
const asked = await refer(t, raj, tom, { name: ['Perpetua', 'Asked'] });
await stepsFor(t, asked.id).requestInformation(tom);

describe('each person sees the queues their role gives them', () => {
  test('a duty practitioner sees the referral to screen, with its person, reference, deadline in UK time and an on-time tag; no allocation queue', async () => {
    const page = await home(RAJ);
    assert.equal(page.statusCode, 200);
    const row = rowsOf(page.body, 'duty').find((r) => r.includes(olwen.reference));
    assert.ok(row, 'the new referral is on the duty queue');
    assert.match(row, /^Olwen Pargeter REF-2026-\d{6} Screen the referral To screen 3 March 2026 at 11:59pm On time$/);
    assert.match(page.body, new RegExp(`href="/people/${olwen.personId}">Olwen Pargeter</a>`));
    assert.match(page.body, new RegExp(`href="/referrals/${olwen.id}">${olwen.reference}</a>`));
    assert.equal(sectionOf(page.body, 'allocation'), null, 'allocation is for team managers');
    assert.equal(sectionOf(page.body, 'cases'), null, 'Raj coordinates no cases');
    assert.ok(sectionOf(page.body, 'deadlines'));
    assert.ok(!rowsOf(page.body, 'duty').some((r) => r.includes(wilf.reference)), 'a referral on the waiting list is not duty work');
  });

  test('the queues are sortable tables (MOJ) with a sortable due time, most pressing first, and the filter is a plain GET form that works without JavaScript', async () => {
    const page = await home(RAJ);
    const duty = sectionOf(page.body, 'duty')!;
    assert.match(duty, /<table class="govuk-table[^"]*" data-module="moj-sortable-table" data-qa="queue-duty">/);
    assert.match(duty, /<th scope="col" class="govuk-table__header" aria-sort="none">Due \(UK time\)<\/th>/, 'the rows come most pressing first, which is not the order of due times alone');
    assert.match(duty, /aria-sort="none">Person<\/th>/);
    assert.match(duty, /data-sort-value="\d{13}">3 March 2026 at 11:59pm/, 'sorted by the instant, not the words');
    assert.match(page.body, /<form method="get" action="\/" novalidate data-qa="work-filter">/);
    assert.match(page.body, /name="kind" type="checkbox" value="duty"/);
    assert.match(page.body, /name="urgency" type="checkbox" value="overdue"/);
    assert.doesNotMatch(page.body, /name="kind" type="checkbox" value="allocation"/, 'only the queues the actor has');
  });

  test('every person shown is recorded as seen, one event each, naming the queues they appeared in', async () => {
    await signedIn(RAJ);
    const before = await lastAuditId(t);
    const page = await home(RAJ);
    const events = await auditSince(t, before);
    const shown = peopleLinkedFrom(page.body);
    assert.ok(shown.includes(olwen.personId));
    assert.deepEqual(events.map((e) => e.action).filter((a) => a !== 'work.viewed'), []);
    assert.deepEqual(events.map((e) => (e as unknown as { person_id: string }).person_id).sort(), shown);
    const olwens = events.find((e) => e.subject_id === olwen.personId)!;
    assert.deepEqual([olwens.subject_type, olwens.actor_user_id, olwens.details], ['person', raj.userId, { queues: ['duty'] }]);
  });

  test('a team manager also sees the allocation queue and waiting list, with the risk re-check and the allocation due', async () => {
    const page = await home(MARK);
    const row = rowsOf(page.body, 'allocation').find((r) => r.includes(wilf.reference));
    assert.ok(row);
    assert.equal(
      row.replace(wilf.reference, 'REF'),
      'Wilfred Ockenden REF Re-check risk while waiting (every 14 days) On the waiting list Then: Allocate a care coordinator (within 12 weeks of eligibility), due 25 May 2026 at 11:59pm 16 March 2026 at 11:59pm On time',
    );
    assert.ok(rowsOf(page.body, 'duty').some((r) => r.includes(olwen.reference)), 'the manager sees the duty queue too');
    assert.ok(!sectionOf(await (await home(RAJ)).body, 'allocation'));
  });

  test('a care coordinator sees their own open cases with the case’s next deadline; a colleague does not see them as theirs', async () => {
    const page = await home(GRACE);
    const row = rowsOf(page.body, 'cases').find((r) => r.includes(ingrid.caseReference));
    assert.ok(row);
    assert.equal(row.replace(ingrid.caseReference, 'CASE'), 'Ingrid Sollers CASE Hold a case meeting: the lead agency is not agreed Open 16 March 2026 at 11:59pm On time');
    assert.match(page.body, new RegExp(`href="/cases/${ingrid.caseId}">${ingrid.caseReference}</a>`));
    const toms = await home(TOM);
    assert.ok(sectionOf(toms.body, 'cases'), 'Tom is a coordinator');
    assert.ok(!rowsOf(toms.body, 'cases').some((r) => r.includes(ingrid.caseReference)));
  });

  test('someone whose role has no casework gets no queues, reads nobody and records nothing', async () => {
    await signedIn(ALEX);
    const before = await lastAuditId(t);
    const page = await home(ALEX);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-qa="no-queues">Your role in Partnership Support does not include casework/);
    assert.doesNotMatch(page.body, /data-qa="work-filter"/);
    assert.deepEqual(await auditSince(t, before), []);
  });
});

describe('people the actor may not see never appear', () => {
  test('a deadline about a person the duty team may not see is left out; one about nobody in particular is shown', async () => {
    const before = await lastAuditId(t);
    const page = await home(RAJ);
    const deadlines = rowsOf(page.body, 'deadlines');
    assert.ok(deadlines.some((r) => r.startsWith('No one in particular Referral Check the duty rota')), deadlines.join('\n'));
    assert.doesNotMatch(page.body, /Hester|Quarrington|Ring Hester back/);
    const seen = (await auditSince(t, before)).map((e) => e.subject_id);
    assert.ok(!seen.includes(hester.id));
  });

  test('a case whose person the coordinator may no longer see leaves their queue, though they are still its coordinator', async () => {
    const before = await lastAuditId(t);
    const page = await home(TOM);
    assert.doesNotMatch(page.body, /Ottoline|Restricted/);
    assert.ok(!rowsOf(page.body, 'cases').some((r) => r.includes(restricted.caseReference)));
    assert.ok(!(await auditSince(t, before)).some((e) => e.subject_id === restricted.referral.personId));
  });
});

describe('the filter', () => {
  test('by kind of work: only the chosen queues, the box stays ticked, and a tag removes the choice', async () => {
    const page = await home(MARK, '?kind=allocation');
    assert.equal(page.statusCode, 200);
    assert.ok(sectionOf(page.body, 'allocation'));
    assert.equal(sectionOf(page.body, 'duty'), null);
    assert.equal(sectionOf(page.body, 'deadlines'), null);
    assert.match(page.body, /name="kind" type="checkbox" value="allocation" checked/);
    assert.match(page.body, /<a class="moj-filter__tag" href="\/"><span class="govuk-visually-hidden">Remove this filter<\/span> Allocation and waiting list<\/a>/);
  });

  test('by urgency: only rows whose next deadline is that urgent; several kinds at once', async () => {
    await t.services.obligations.start(t.db, {
      kind: 'test.deadline', ruleId: 'TEST-3', title: 'Phone Olwen’s GP', subject: { type: 'referral', id: olwen.id }, personId: olwen.personId,
      owner: { kind: 'team', teamId: raj.teamId, agencyId: raj.agencyId }, dueAt: new Date(t.clock.now().getTime() - 3_600_000),
    });
    const overdue = await home(MARK, '?urgency=overdue&kind=duty&kind=deadlines');
    const rows = [...rowsOf(overdue.body, 'duty'), ...rowsOf(overdue.body, 'deadlines')];
    assert.ok(rows.some((r) => r.includes(olwen.reference) && r.includes('Phone Olwen’s GP')));
    assert.ok(rows.every((r) => r.endsWith('Overdue')), rows.join('\n'));
    assert.equal(sectionOf(overdue.body, 'allocation'), null);
    const onTime = await home(MARK, '?urgency=on-time');
    assert.ok(!rowsOf(onTime.body, 'duty').some((r) => r.includes(olwen.reference)), 'Olwen’s most pressing deadline is overdue');
    assert.ok(rowsOf(onTime.body, 'allocation').some((r) => r.includes(wilf.reference)));
    assert.ok([...rowsOf(onTime.body, 'duty'), ...rowsOf(onTime.body, 'allocation')].every((r) => r.endsWith('On time')));
  });

  test('a value that is not on the list is refused with a message, shows no queue and records nothing', async () => {
    const before = await lastAuditId(t);
    const page = await home(MARK, '?kind=everything&urgency=overdue');
    assert.equal(page.statusCode, 400);
    assert.deepEqual(errorSummary(page.body), ['kind: Select the kinds of work to show from the list']);
    assert.match(page.body, /name="urgency" type="checkbox" value="overdue" checked/, 'what was chosen is kept');
    assert.match(page.body, /<a class="moj-filter__tag" href="\/"><span class="govuk-visually-hidden">Remove this filter<\/span> Overdue<\/a>/, 'and only what was valid');
    assert.equal(sectionOf(page.body, 'duty'), null);
    const urgency = await home(MARK, '?urgency=late');
    assert.equal(urgency.statusCode, 400);
    assert.deepEqual(errorSummary(urgency.body), ['urgency: Select overdue, due soon or on time']);
    const tooMany = await home(MARK, `?${'kind=duty&'.repeat(9)}`);
    assert.equal(tooMany.statusCode, 400);
    assert.deepEqual(await auditSince(t, before), []);
  });
});

describe('as the clocks run', () => {
  test('the next day the screening deadline is due soon; the day after it is overdue, and the worker has marked it breached', async () => {
    moveClockTo('2026-03-03T10:00:00Z');
    const dueSoon = rowsOf((await home(RAJ, '?kind=deadlines')).body, 'deadlines').find((r) => r.includes(olwen.reference) && r.includes('Screen the referral'))!;
    assert.match(dueSoon, /Your team’s 3 March 2026 at 11:59pm Due soon$/);
    moveClockTo('2026-03-04T10:00:00Z');
    assert.ok((await t.services.obligations.markBreached()) >= 1);
    const state = (await t.pool.query(`select state from obligation where subject_id = $1 and kind = 'referral.screen'`, [olwen.id])).rows[0].state;
    assert.equal(state, 'breached');
    const page = await home(RAJ);
    const overdue = rowsOf(page.body, 'deadlines').find((r) => r.includes(olwen.reference) && r.includes('Screen the referral'))!;
    assert.match(overdue, /Your team’s 3 March 2026 at 11:59pm Overdue$/);
    assert.match(sectionOf(page.body, 'deadlines')!, /<strong class="govuk-tag govuk-tag--red" data-qa="urgency">Overdue<\/strong>/);
  });

  test('an overdue request for information owed by the referrer’s team still does not name the person to the referrer', async () => {
    moveClockTo('2026-03-10T10:00:00Z');
    await t.services.obligations.markBreached();
    const owed = (await t.pool.query(`select state, owner_team_id from obligation where subject_id = $1 and kind = 'referral.information'`, [asked.id])).rows[0];
    assert.deepEqual([owed.state, owed.owner_team_id], ['breached', raj.teamId]);
    const page = await home(RAJ, '?urgency=overdue');
    assert.doesNotMatch(page.body, /Perpetua|Asked|Send the information requested/);
    const toms = await home(TOM, '?kind=duty');
    assert.match(rowsOf(toms.body, 'duty').find((r) => r.includes(asked.reference))!, /Send the information requested \(someone else’s to do\)/);
  });
});
