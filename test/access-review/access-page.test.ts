import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditSince, Browser, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { textOf } from '../support/casework.js';
import { recordPaths } from '../../src/modules/people/paths.js';
import { accessReviewPaths as paths } from '../../src/modules/access-review/paths.js';
import { EMAIL, knownCheck, rowsOf, UNKNOWN_ID, worldFor } from './world.js';

const t: TestConcord = await testConcord({ now: '2026-03-03T09:00:00Z' });
const world = await worldFor(t);
const { tom: tomActor, kofi: kofiActor } = world.actors;
// Known to the CMHT (which received a referral) and to housing (a partner agency).
const nadia = await world.person('Nadia', 'Okonkwo', [{ actor: tomActor, role: 'receiving_service' }, { actor: kofiActor, role: 'partner' }]);
const housingConsent = await world.consent(nadia.id, kofiActor, ['housing', 'finance']);
await world.restrict(nadia.id, kofiActor, ['risk']);

const tom = await new Browser(t.app).signIn(EMAIL.tom);
const kofi = await new Browser(t.app).signIn(EMAIL.kofi);
const raj = await new Browser(t.app).signIn(EMAIL.raj);
const helen = await new Browser(t.app).signIn(EMAIL.helen);

/** The "do you see it?" answer and the reason, for each kind of information, as the page shows them. */
function categories(body: string): Record<string, { shown: string; why: string }> {
  const rows = [...body.matchAll(/<tr class="govuk-table__row" data-qa="category" data-category="(\w+)">([\s\S]*?)<\/tr>/g)];
  return Object.fromEntries(
    rows.map((m) => [m[1], { shown: textOf(/data-qa="category-shown"[^>]*>([\s\S]*?)<\/strong>/.exec(m[2]!)![1]!), why: textOf(/data-qa="category-why">([\s\S]*?)<\/td>/.exec(m[2]!)![1]!) }]),
  );
}
const viewerRows = (body: string) => [...body.matchAll(/<tr class="govuk-table__row" data-qa="viewer">([\s\S]*?)<\/tr>/g)].map((m) => textOf(m[1]!));
const agencyRows = (body: string) => [...body.matchAll(/<tr class="govuk-table__row" data-qa="agency-seeing">([\s\S]*?)<\/tr>/g)].map((m) => textOf(m[1]!));

describe('who can see this record', () => {
  test('a partner agency learns why it sees the record and, for each kind of information, whether consent shares it with them', async () => {
    const before = await lastAuditId(t);
    const page = await kofi.get(recordPaths.access(nadia.id));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-qa="record-navigation"/);
    assert.match(page.body, /aria-current="page"[^>]*>\s*Who can see this|Who can see this[\s\S]{0,80}aria-current/);
    assert.match(textOf(/data-qa="my-access"[\s\S]*?<\/dl>/.exec(page.body)![0]), /Your agency is involved Harbour Housing Options is involved in this person’s care\./);
    const seen = categories(page.body);
    assert.equal(seen.housing!.shown, 'Yes');
    assert.match(seen.housing!.why, /The person consented to sharing housing with Harbour Housing Options\. The person consented to this being shared with your agency\./);
    assert.equal(seen.finance!.shown, 'Yes');
    assert.equal(seen.mental_health!.shown, 'No');
    assert.match(seen.mental_health!.why, /There is no consent in force to share mental health with Harbour Housing Options\. .*Ask the person/);
    assert.equal(seen.risk!.shown, 'No');
    assert.match(seen.risk!.why, /The person asked that this is not shared with your agency\./);
    assert.equal(seen.basic_details!.shown, 'Yes');
    assert.match(seen.basic_details!.why, /Basic details are shared with every agency involved/);
    assert.match(page.body, /data-qa="viewers-hidden"/, 'a practitioner does not see who opened the record');
    assert.doesNotMatch(page.body, /data-qa="viewers"/);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_id]), [['access.viewed', nadia.id]]);
  });

  test('it lists the agencies that can see the record now and on what basis', async () => {
    const page = await kofi.get(recordPaths.access(nadia.id));
    assert.deepEqual(agencyRows(page.body), [
      'Harbour Housing Options The record Involved in this person’s care',
      'Riverside NHS Mental Health Trust The record Received a referral for this person',
    ]);
  });

  test('when the person withdraws their consent, the page says the information is no longer shared', async () => {
    await world.withdraw(nadia.id, housingConsent);
    const seen = categories((await kofi.get(recordPaths.access(nadia.id))).body);
    assert.equal(seen.housing!.shown, 'No');
    assert.match(seen.housing!.why, /There is no consent in force to share housing with Harbour Housing Options/);
  });

  test('someone with no relationship gets the same answer as for a record that does not exist, and both are recorded as the same refusal', async () => {
    const before = await lastAuditId(t);
    assert.equal((await raj.get(recordPaths.access(nadia.id))).statusCode, 404);
    assert.equal((await raj.get(recordPaths.access(UNKNOWN_ID))).statusCode, 404);
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.outcome, e.subject_id]), [['person.view_refused', 'denied', nadia.id], ['person.view_refused', 'denied', UNKNOWN_ID]]);
    assert.equal((await helen.get(recordPaths.access(nadia.id))).statusCode, 403, 'auditors cannot open records');
  });

  test('the care coordinator sees who opened the record, newest first, with their agency and team and what they opened', async () => {
    await kofi.get(recordPaths.person(nadia.id));
    const page = await tom.get(recordPaths.access(nadia.id));
    const rows = viewerRows(page.body);
    // This very view is recorded as the page is sent, so it is not yet in the list it shows.
    assert.match(rows[0]!, /3 March 2026 at 9:00am Kofi Mensah Harbour Housing Options Housing Options and Homelessness Details/);
    assert.match(rows[1]!, /Kofi Mensah Harbour Housing Options Housing Options and Homelessness Who can see this/);
    assert.equal(rows.length, 4);
    assert.ok(rows.every((row) => !/Emergency access/.test(row)));
  });

  test('emergency access shows on every side: the user’s own explanation, the agencies list, and a tag in the viewers list', async () => {
    await raj.get(knownCheck(nadia));
    await raj.get(recordPaths.breakGlass(nadia.id));
    await raj.post(recordPaths.breakGlass(nadia.id), { reason: 'urgent_clinical_need', explanation: 'Nadia is in A&E and the ward needs to know her medication today.' });
    assert.equal((await raj.get(recordPaths.person(nadia.id))).statusCode, 200);
    const own = await raj.get(recordPaths.access(nadia.id));
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /data-qa="break-glass-banner"/);
    assert.match(textOf(/data-qa="my-access"[\s\S]*?<\/dl>/.exec(own.body)![0]), /Emergency access You used emergency access \(break-glass\), for a limited time\. Your emergency access ends 3 March 2026 at 1:00pm/);
    const seen = categories(own.body);
    assert.equal(seen.mental_health!.shown, 'Yes, for now');
    assert.match(seen.mental_health!.why, /You used emergency access \(break-glass\)\. Only because you are using emergency access/);

    const page = await tom.get(recordPaths.access(nadia.id));
    assert.ok(agencyRows(page.body).includes('Northshire County Council Adult Social Care The record Emergency access used by Raj Patel, until 3 March 2026 at 1:00pm Emergency access'));
    const rows = viewerRows(page.body);
    assert.match(rows[0]!, /Raj Patel Northshire County Council Adult Social Care Adult Social Care Duty Team Who can see this Emergency access/);
    assert.match(rows[1]!, /Raj Patel Northshire County Council Adult Social Care Adult Social Care Duty Team Details Emergency access/);
    assert.match(rows[2]!, /Tom Okafor .* Who can see this$/);
  });

  test('the viewers list pages back through older views', async () => {
    for (let i = 0; i < 30; i++) await tom.get(recordPaths.person(nadia.id));
    const first = await tom.get(recordPaths.access(nadia.id));
    assert.equal(viewerRows(first.body).length, 25);
    const older = /href="([^"]+)"[^>]*data-qa="older-views"/.exec(first.body)![1]!.replaceAll('&amp;', '&');
    const second = await tom.get(older);
    assert.equal(second.statusCode, 200);
    const rows = viewerRows(second.body);
    assert.ok(rows.length >= 9, 'the rest of the views');
    assert.match(rows.at(-1)!, /Kofi Mensah .* Who can see this/, 'ending with the oldest');
    assert.equal((await tom.get(`${recordPaths.access(nadia.id)}?before=zero`)).statusCode, 400);
  });
});

describe('the auditor’s view of access', () => {
  test('an auditor sees who opened a record without opening it; others cannot', async () => {
    const before = await lastAuditId(t);
    const page = await helen.get(paths.personViewers(nadia.id));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Who opened Nadia Okonkwo’s record/);
    assert.match(viewerRows(page.body)[0]!, /Tom Okafor/);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_id]), [['audit.viewers_viewed', nadia.id]]);
    const older = /href="([^"]+)"[^>]*data-qa="older-views"/.exec(page.body)![1]!.replaceAll('&amp;', '&');
    assert.ok(older.startsWith(paths.personViewers(nadia.id)), 'older views stay on the auditor’s page');
    assert.ok(viewerRows((await helen.get(older)).body).some((row) => /Raj Patel .*Emergency access/.test(row)));
    assert.equal((await tom.get(paths.personViewers(nadia.id))).statusCode, 403);
    assert.equal((await helen.get(paths.personViewers(UNKNOWN_ID))).statusCode, 404);
  });

  test('an auditor sees which people a user opened, how often and how, with emergency access marked', async () => {
    const before = await lastAuditId(t);
    const page = await helen.get(paths.userAccess(world.actors.raj.userId));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Records Raj Patel opened/);
    const rows = [...page.body.matchAll(/<tr class="govuk-table__row" data-qa="person-opened">([\s\S]*?)<\/tr>/g)].map((m) => textOf(m[1]!));
    assert.equal(rows.filter((row) => row.startsWith('Nadia Okonkwo')).length, 1, 'one row for each person');
    assert.match(rows[0]!, /^Nadia Okonkwo 2 .* Who can see this, Details Emergency access/, 'the most recently opened first');
    const events = await rowsOf(t, 'select action, subject_id, person_id from audit_event where id > $1 order by id', [before]);
    assert.deepEqual(events.map((e) => [e.action, e.subject_id, e.person_id]), [
      ['audit.user_access_viewed', world.actors.raj.userId, null],
      ['audit.user_access_viewed', world.actors.raj.userId, nadia.id],
    ]);
    assert.equal((await helen.get(paths.userAccess(UNKNOWN_ID))).statusCode, 404);
    assert.equal((await tom.get(paths.userAccess(world.actors.raj.userId))).statusCode, 403);
  });

  test('the audit trail links each event to the records its user opened and to who opened its person’s record', async () => {
    const trail = await helen.get(`/audit?action=access.viewed`);
    assert.match(trail.body, new RegExp(`href="${paths.userAccess(world.actors.tom.userId)}"`));
    assert.match(trail.body, new RegExp(`href="${paths.personViewers(nadia.id)}"`));
  });
});
