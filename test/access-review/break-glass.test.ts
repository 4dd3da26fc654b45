import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, auditSince, Browser, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { errorSummary } from '../support/pages.js';
import { recordPaths } from '../../src/modules/people/paths.js';
import { accessReviewApiPaths } from '../../src/modules/access-review/paths.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { countOf, EMAIL, knownCheck, knownCheckApi, rowsOf, UNKNOWN_ID, worldFor } from './world.js';

// Long sessions, so that the clock can move past the end of emergency access without signing out.
const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z', env: { SESSION_IDLE_MINUTES: '600' } });
const world = await worldFor(t);
const jean = await world.person('Jean', 'Abernethy');

const raj = await new Browser(t.app).signIn(EMAIL.raj);
const tom = await new Browser(t.app).signIn(EMAIL.tom);
const helen = await new Browser(t.app).signIn(EMAIL.helen);
const alex = await new Browser(t.app).signIn(EMAIL.alex);
const michael = await apiClient(t, EMAIL.michael);
const rajApi = await apiClient(t, EMAIL.raj);

const FORM = recordPaths.breakGlass(jean.id);
/** Jean found by a known check (name and date of birth), as the duty team, which receives referrals, asks it. */
const KNOWN_CHECK = knownCheck(jean);
const GOOD = { reason: 'crisis_out_of_hours', explanation: 'Police called at 2am: Jean is in crisis and the CMHT is closed until morning.' };
const written = async () => ({ breakGlass: await countOf(t, 'break_glass'), alerts: await countOf(t, 'access_alert') });

/** Posts the form; a refusal comes back to the form (post-redirect-get) with the error summary and 400, and nothing is written. */
async function refused(browser: Browser, form: Record<string, string>) {
  const before = await written();
  await browser.get(FORM);
  const posted = await browser.post(FORM, form);
  assert.equal(posted.statusCode, 303);
  assert.equal(posted.headers.location, FORM);
  const page = await browser.get(FORM);
  assert.equal(page.statusCode, 400);
  assert.deepEqual(await written(), before, 'nothing is written');
  return { page, errors: errorSummary(page.body) };
}

describe('emergency access (break-glass)', () => {
  test('the person search offers emergency access for people the searcher cannot open, and only to casework roles', async () => {
    // Someone the searcher has no relationship with is found only by a known check: a team that receives referrals, with name and date of birth.
    const byName = await raj.get(`/people/search?name=${encodeURIComponent(jean.name)}`);
    assert.doesNotMatch(byName.body, /data-qa="break-glass"/, 'a name alone finds only people the agency works with');
    const found = await raj.get(KNOWN_CHECK);
    assert.match(found.body, /data-purpose="known_check"/);
    assert.match(found.body, new RegExp(`href="${FORM}"[^>]*data-qa="break-glass"[^>]*>\\s*Emergency access`));
    // Probation takes no referrals: it has no way to find a stranger, so no emergency access from search either.
    const probation = await michael.get(knownCheckApi(jean));
    assert.deepEqual([probation.json().purpose, probation.json().people.some((p: { id: string }) => p.id === jean.id)], ['relationship', false]);
    const involved = await tom.get(`/people/search?name=${encodeURIComponent(jean.name)}`);
    assert.match(involved.body, /data-qa="open-record"/);
    assert.doesNotMatch(involved.body, /data-qa="break-glass"/, 'an involved agency opens the record instead');
  });

  test('the form warns that it is recorded, sent to the Caldicott guardian and reviewed, and lists the reasons', async () => {
    const before = await lastAuditId(t);
    const page = await raj.get(FORM);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-qa="break-glass-warning"/);
    assert.match(page.body, /Only use this in an emergency\. It is recorded, sent to the Caldicott guardian and reviewed/);
    assert.match(page.body, /Jean Abernethy/);
    assert.match(page.body, /for 4 hours/);
    for (const reason of ['risk_to_life', 'safeguarding_emergency', 'crisis_out_of_hours', 'urgent_clinical_need']) assert.match(page.body, new RegExp(`value="${reason}"`));
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_id]), [['record.break_glass_form_viewed', jean.id]]);
  });

  test('a missing reason and an explanation under 20 characters are refused together, keeping what was typed', async () => {
    const { page, errors } = await refused(raj, { explanation: 'Urgent, sorry' });
    assert.deepEqual(errors, ['reason: Select why you need emergency access', 'explanation: Explain why you need emergency access in at least 20 characters']);
    assert.match(page.body, />Urgent, sorry<\/textarea>/);
  });

  test('a reason that is not on the list, a blank explanation and one over 1000 characters are refused', async () => {
    assert.deepEqual((await refused(raj, { reason: 'curiosity', explanation: '   ' })).errors, ['reason: Select why you need emergency access', 'explanation: Explain why you need emergency access']);
    assert.deepEqual((await refused(raj, { reason: 'risk_to_life', explanation: 'x'.repeat(1001) })).errors, ['explanation: Your explanation must be 1000 characters or fewer']);
  });

  test('auditors and administrators cannot use emergency access: 403, and nothing is written', async () => {
    const before = await written();
    for (const browser of [helen, alex]) {
      assert.equal((await browser.get(FORM)).statusCode, 403);
      await browser.get('/');
      assert.equal((await browser.post(FORM, GOOD)).statusCode, 403);
    }
    assert.deepEqual(await written(), before);
  });

  test('an unknown person is not found, on the form and when it is sent', async () => {
    const before = await written();
    assert.equal((await raj.get(recordPaths.breakGlass(UNKNOWN_ID))).statusCode, 404);
    assert.equal((await raj.post(recordPaths.breakGlass(UNKNOWN_ID), GOOD)).statusCode, 404);
    assert.equal((await raj.get(recordPaths.breakGlass('not-a-reference'))).statusCode, 404);
    assert.deepEqual(await written(), before);
  });

  test('someone who can already open the record is told so and taken to it, and no emergency access is recorded', async () => {
    const before = await written();
    const form = await tom.get(FORM);
    assert.equal(form.statusCode, 303);
    assert.equal(form.headers.location, recordPaths.person(jean.id));
    const record = await tom.get(recordPaths.person(jean.id));
    assert.match(record.body, /You can already open this record, so emergency access is not needed/);
    assert.doesNotMatch(record.body, /data-qa="break-glass-banner"/);
    const posted = await tom.post(FORM, GOOD);
    assert.equal(posted.statusCode, 303);
    assert.equal(posted.headers.location, recordPaths.person(jean.id));
    assert.deepEqual(await written(), before);
  });

  test('with a reason and an explanation the record opens for 4 hours, with the banner, and an alert is raised in the same audited transaction', async () => {
    const before = await lastAuditId(t);
    const refusedBefore = await raj.get(recordPaths.person(jean.id));
    assert.equal(refusedBefore.statusCode, 404, 'no relationship: the record is not there');
    await raj.get(FORM);
    const posted = await raj.post(FORM, GOOD);
    assert.equal(posted.statusCode, 303);
    assert.equal(posted.headers.location, recordPaths.person(jean.id));
    const record = await raj.get(recordPaths.person(jean.id));
    assert.equal(record.statusCode, 200);
    assert.match(record.body, /data-qa="break-glass-banner"/);
    assert.match(record.body, /You are using emergency access to this record until 3 March 2026 at 2:00pm/);

    const [glass] = await rowsOf(t, 'select * from break_glass where person_id = $1', [jean.id]);
    assert.equal(glass.user_id, world.actors.raj.userId);
    assert.equal(glass.agency_id, world.actors.raj.agencyId);
    assert.equal(glass.team_id, world.actors.raj.teamId);
    assert.equal(glass.reason_code, 'crisis_out_of_hours');
    assert.equal(glass.reason_text, GOOD.explanation);
    assert.equal(glass.expires_at.toISOString(), '2026-03-03T14:00:00.000Z');
    const alerts = await rowsOf(t, 'select * from access_alert where break_glass_id = $1', [glass.id]);
    assert.equal(alerts.length, 1);
    assert.deepEqual([alerts[0].kind, alerts[0].user_id, alerts[0].person_id], ['break_glass', world.actors.raj.userId, jean.id]);

    const events = await auditSince(t, before);
    const broke = events.find((e) => e.action === 'record.break_glass')!;
    assert.equal(broke.subject_id, jean.id);
    assert.equal(broke.details.breakGlassId, glass.id);
    assert.equal(broke.details.alertId, alerts[0].id);
    const personIds = await rowsOf(t, `select person_id from audit_event where action = 'record.break_glass' and id > $1`, [before]);
    assert.deepEqual(personIds.map((r) => r.person_id), [jean.id]);
  });

  test('once open, the form sends them straight to the record', async () => {
    const form = await raj.get(FORM);
    assert.equal(form.statusCode, 303);
    assert.equal(form.headers.location, recordPaths.person(jean.id));
  });

  test('emergency access ends at its expiry, on the very next request', async () => {
    t.clock.advance(4 * 60 * 60_000 - 1);
    assert.equal((await raj.get(recordPaths.person(jean.id))).statusCode, 200, 'a millisecond before it ends');
    t.clock.advance(1);
    const after = await raj.get(recordPaths.person(jean.id));
    assert.equal(after.statusCode, 404, 'at expiry the record answers as if it did not exist');
    const search = await raj.get(KNOWN_CHECK);
    assert.match(search.body, /data-qa="break-glass"/, 'emergency access can be asked for again');
  });
});

describe('emergency access (API)', () => {
  const url = accessReviewApiPaths.breakGlass(jean.id);

  test('bad input is refused with problem+json naming each field, and nothing is written', async () => {
    // As on the page, a known check shows Jean first: emergency access is only for someone a search just showed.
    const found = await rajApi.get(knownCheckApi(jean));
    assert.deepEqual([found.json().purpose, found.json().people.some((p: { id: string }) => p.id === jean.id)], ['known_check', true]);
    const before = await written();
    const response = await rajApi.post(url, { reason: 'nosiness', explanation: 'short' });
    assert.equal(response.statusCode, 400);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    assert.deepEqual(JSON.parse(response.body).errors.map((e: { field: string }) => e.field), ['reason', 'explanation']);
    assert.equal((await rajApi.post(accessReviewApiPaths.breakGlass(UNKNOWN_ID), GOOD)).statusCode, 404);
    assert.deepEqual(await written(), before);
  });

  test('emergency access opens the record through the API; asking again while it lasts is a conflict', async () => {
    const response = await rajApi.post(url, { ...GOOD, reason: 'risk_to_life' });
    assert.equal(response.statusCode, 201, response.body);
    const body = JSON.parse(response.body);
    assert.equal(body.personId, jean.id);
    assert.equal(body.reason, 'risk_to_life');
    assert.equal(new Date(body.expiresAt).getTime() - new Date(body.startedAt).getTime(), 4 * 60 * 60_000);
    assert.equal(response.headers.location, `/api/v1/people/${jean.id}`);
    assert.equal((await rajApi.get(`/api/v1/people/${jean.id}`)).statusCode, 200);
    const again = await rajApi.post(url, GOOD);
    assert.equal(again.statusCode, 409);
    assert.equal(JSON.parse(again.body).code, 'OVERSIGHT.ACCESS_NOT_NEEDED');
  });

  test('an auditor’s token cannot use emergency access', async () => {
    const auditor = await apiClient(t, EMAIL.helen);
    assert.equal((await auditor.post(url, GOOD)).statusCode, 403);
  });
});

describe('how long emergency access lasts', () => {
  test('BREAK_GLASS_HOURS is 4 unless set, and must be a whole number of hours from 1 to 12', () => {
    assert.equal(loadConfig({}).accessReview.breakGlassHours, 4);
    assert.equal(loadConfig({ BREAK_GLASS_HOURS: '12' }).accessReview.breakGlassHours, 12);
    for (const wrong of ['0', '13', '2.5', 'four']) assert.throws(() => loadConfig({ BREAK_GLASS_HOURS: wrong }), (error: Error) => error instanceof ConfigError && /BREAK_GLASS_HOURS/.test(error.message));
    assert.equal(loadConfig({}).accessReview.peoplePerHour, 40);
  });
});
