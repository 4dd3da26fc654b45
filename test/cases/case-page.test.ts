import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, auditSince, Browser, lastAuditId, testConcord } from '../support/app.js';
import { actorFor, openCase, refer, textOf } from '../support/casework.js';
import { endInvolvementsFrom } from '../../src/platform/access/involvements.js';

// Monday 2 March 2026, 10:00 UK time.
const t = await testConcord({ now: '2026-03-02T10:00:00Z' });

const GRACE = 'grace.whitfield@riverside-nhs.example'; // CMHT care coordinator
const PRIYA = 'priya.raman@riverside-nhs.example'; // CMHT team manager
const RAJ = 'raj.patel@northshire-council.example'; // Adult Social Care: the referrer
const KOFI = 'kofi.mensah@harbour-housing.example'; // housing: not involved
const ALEX = 'alex.morgan@northshire-care.example'; // partnership administrator: no casework

const raj = await actorFor(t, RAJ);
const priya = await actorFor(t, PRIYA);
const grace = await actorFor(t, GRACE, 'Riverside Community Mental Health Team');
const tom = await actorFor(t, 'tom.okafor@riverside-nhs.example');

// Raj refers Imogen to the CMHT; Priya allocates Grace urgently; the lead agency is not agreed (COORD-3).
const imogen = await openCase(t, raj, priya, grace, { name: ['Imogen', 'Casewell'], leadAgencyAgreed: 'no' });
// Raj refers Lionel; Tom coordinates; the council (Raj's agency) agrees to lead.
const lionel = await openCase(t, raj, priya, tom, { name: ['Lionel', 'Casewell'], leadAgencyId: raj.agencyId });

const graceApi = await apiClient(t, GRACE);
const kofiApi = await apiClient(t, KOFI);

// Ophelia has a CMHT case, and has since been referred to the council's duty team too: the council
// may see her record, but the case is not the council's (it neither holds nor leads it).
const ophelia = await openCase(t, raj, priya, grace, { name: ['Ophelia', 'Casewell'] });
const kofi = await actorFor(t, KOFI);
// Kofi's intake meets the duplicate check, which shows him Ophelia's record is held; he refers her.
await t.services.people.likelyDuplicates(kofi, t.services.people.parsePerson({ givenName: 'Ophelia', familyName: 'Casewell', dateOfBirth: '1970-01-01' }));
await refer(t, kofi, raj, { overrides: { personId: ophelia.referral.personId } });
// Rupert's case is Riverside's, but Riverside may no longer see his record (as a consent restriction will do).
const rupert = await openCase(t, raj, priya, grace, { name: ['Rupert', 'Casewell'] });
await t.db.transaction(async (tx) => {
  for (const source of [{ type: 'referral', id: rupert.referral.id }, { type: 'case', id: rupert.caseId }]) await endInvolvementsFrom(tx, source, t.clock.now(), 'test: access withdrawn');
});

const UNKNOWN = '6d3f3f0e-1111-4222-8333-444455556666';
const browsers = new Map<string, Browser>();
async function page(email: string, url: string) {
  if (!browsers.has(email)) browsers.set(email, await new Browser(t.app).signIn(email));
  return browsers.get(email)!.get(url);
}
const summaryRow = (body: string, key: string) => textOf(new RegExp(`<dt class="govuk-summary-list__key">\\s*${key}\\s*</dt>\\s*<dd class="govuk-summary-list__value">([\\s\\S]*?)</dd>`).exec(body)?.[1] ?? '');
const tableRows = (body: string, qa: string) => {
  const table = new RegExp(`<table[^>]*data-qa="${qa}"[\\s\\S]*?</table>`).exec(body)?.[0] ?? '';
  return [...(/<tbody[\s\S]*?<\/tbody>/.exec(table)?.[0] ?? '').matchAll(/<tr[\s\S]*?<\/tr>/g)].map((m) => textOf(m[0]));
};

describe('the case page', () => {
  test('shows status, person, coordinator with team and contact, lead agency, opened date, the referral, the clocks and the allocation with its reasons', async () => {
    const response = await page(GRACE, `/cases/${imogen.caseId}`);
    assert.equal(response.statusCode, 200);
    const body = response.body;
    assert.match(body, new RegExp(`<h1 class="govuk-heading-l" data-qa="case-reference">Case ${imogen.caseReference}</h1>`));
    assert.equal(summaryRow(body, 'Person'), 'Imogen Casewell');
    assert.match(body, new RegExp(`href="/people/${imogen.referral.personId}" data-qa="person-link"`));
    assert.equal(summaryRow(body, 'Status'), 'Open');
    assert.equal(
      summaryRow(body, 'Care coordinator'),
      'Grace Whitfield, Social worker (mental health) Riverside Community Mental Health Team, Riverside NHS Mental Health Trust Email: grace.whitfield@riverside-nhs.example Team telephone: 01632 960 101',
    );
    assert.equal(summaryRow(body, 'Lead agency'), 'Riverside NHS Mental Health Trust');
    assert.equal(summaryRow(body, 'Opened'), '2 March 2026');
    assert.match(body, new RegExp(`href="/referrals/${imogen.referral.id}" data-qa="referral-link"`));
    assert.deepEqual(tableRows(body, 'case-clocks'), ['Hold a case meeting: the lead agency is not agreed COORD-3 16 March 2026 at 11:59pm On time']);
    assert.deepEqual(tableRows(body, 'allocations'), ['Grace Whitfield From 2 March 2026 (current) Priya Raman Knows the family; the person asked for them Considered: Expertise, The person’s wishes']);
  });

  test('each view is recorded with the person it concerns', async () => {
    await page(PRIYA, '/');
    const before = await lastAuditId(t);
    assert.equal((await page(PRIYA, `/cases/${imogen.caseId}`)).statusCode, 200);
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.subject_type, e.subject_id, (e as unknown as { person_id: string }).person_id]), [['case.viewed', 'case', imogen.caseId, imogen.referral.personId]]);
  });

  test('a lead agency other than the one holding the case sees it too', async () => {
    const response = await page(RAJ, `/cases/${lionel.caseId}`);
    assert.equal(response.statusCode, 200);
    assert.equal(summaryRow(response.body, 'Lead agency'), 'Northshire County Council Adult Social Care');
    assert.match(summaryRow(response.body, 'Care coordinator'), /^Tom Okafor, Community psychiatric nurse/);
  });

  test('a case the actor may not see answers exactly as one that does not exist; both are recorded as the same refusal, so they take the same work', async () => {
    await page(KOFI, '/');
    const before = await lastAuditId(t);
    const hidden = await page(KOFI, `/cases/${imogen.caseId}`);
    const missing = await page(KOFI, `/cases/${UNKNOWN}`);
    const referrerOnly = await page(RAJ, `/cases/${imogen.caseId}`);
    for (const response of [hidden, missing, referrerOnly]) assert.equal(response.statusCode, 404);
    const main = (body: string) => /<main[\s\S]*<\/main>/.exec(body)![0];
    assert.equal(main(hidden.body), main(missing.body));
    assert.doesNotMatch(hidden.body, /Imogen|Casewell/);
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.outcome, e.subject_id, e.actor_user_id]), [
      ['case.view_refused', 'denied', imogen.caseId, (await actorFor(t, KOFI)).userId],
      ['case.view_refused', 'denied', UNKNOWN, (await actorFor(t, KOFI)).userId],
      ['case.view_refused', 'denied', imogen.caseId, raj.userId],
    ]);
  });

  test('an agency that may see the person but neither holds nor leads the case may not see the case', async () => {
    assert.equal((await t.services.people.accessTo(t.db, raj, ophelia.referral.personId)).level, 'record');
    const response = await page(RAJ, `/cases/${ophelia.caseId}`);
    assert.equal(response.statusCode, 404);
    assert.doesNotMatch(response.body, /Ophelia/);
  });

  test('the case’s own agency, even its coordinator, may not see a case whose person’s record it may not see', async () => {
    const response = await page(GRACE, `/cases/${rupert.caseId}`);
    assert.equal(response.statusCode, 404);
    assert.doesNotMatch(response.body, /Rupert/);
  });

  test('an id that is not an id is not found; a role without casework is refused', async () => {
    assert.equal((await page(GRACE, '/cases/not-a-case')).statusCode, 404);
    assert.equal((await page(ALEX, `/cases/${imogen.caseId}`)).statusCode, 403);
  });

  test('when the meeting’s deadline passes, the case page shows it overdue', async () => {
    t.clock.set('2026-03-17T09:00:00Z');
    browsers.clear(); // sessions idle for two weeks have ended
    await t.services.obligations.markBreached();
    const response = await page(GRACE, `/cases/${imogen.caseId}`);
    assert.deepEqual(tableRows(response.body, 'case-clocks'), ['Hold a case meeting: the lead agency is not agreed COORD-3 16 March 2026 at 11:59pm Overdue']);
  });
});

describe('the case API', () => {
  test('gives the same facts as the page, and records the read', async () => {
    const before = await lastAuditId(t);
    const response = await graceApi.get(`/api/v1/cases/${imogen.caseId}`);
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.reference, imogen.caseReference);
    assert.deepEqual([body.state, body.stateName, body.openedAt, body.closedAt], ['open', 'Open', '2026-03-02T10:00:00.000Z', null]);
    assert.deepEqual(body.person, { id: imogen.referral.personId, name: 'Imogen Casewell' });
    assert.deepEqual(body.referral, { id: imogen.referral.id });
    assert.deepEqual([body.coordinator.name, body.team.name, body.leadAgency.name], ['Grace Whitfield', 'Riverside Community Mental Health Team', 'Riverside NHS Mental Health Trust']);
    assert.deepEqual(body.clocks.map((c: { ruleId: string; state: string }) => [c.ruleId, c.state]), [['COORD-3', 'breached']]);
    assert.deepEqual(body.allocations.map((a: { coordinatorName: string; current: boolean; considerations: string[] }) => [a.coordinatorName, a.current, a.considerations]), [['Grace Whitfield', true, ['Expertise', 'The person’s wishes']]]);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_id]), [['case.viewed', imogen.caseId]]);
  });

  test('a case the caller may not see is a 404 problem, the same as an unknown one; no token is a 401', async () => {
    const hidden = await kofiApi.get(`/api/v1/cases/${imogen.caseId}`);
    const missing = await kofiApi.get(`/api/v1/cases/${UNKNOWN}`);
    assert.equal(hidden.statusCode, 404);
    assert.deepEqual(hidden.json(), missing.json());
    assert.equal(hidden.json().code, 'CASES.NOT_FOUND');
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/cases/${imogen.caseId}` })).statusCode, 401);
  });
});
