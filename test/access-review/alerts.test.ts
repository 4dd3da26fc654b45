import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, auditSince, Browser, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { errorSummary } from '../support/pages.js';
import { textOf } from '../support/casework.js';
import { recordPaths } from '../../src/modules/people/paths.js';
import { accessReviewApiPaths as api, accessReviewPaths as paths } from '../../src/modules/access-review/paths.js';
import { countOf, EMAIL, knownCheck, knownCheckApi, rowsOf, UNKNOWN_ID, worldFor } from './world.js';

const t: TestConcord = await testConcord({ now: '2026-03-03T22:14:00Z' });
const world = await worldFor(t);
const amir = await world.person('Amir', 'Haddad');
const helen = await new Browser(t.app).signIn(EMAIL.helen);
const raj = await new Browser(t.app).signIn(EMAIL.raj);
const tom = await new Browser(t.app).signIn(EMAIL.tom);
const auditorApi = await apiClient(t, EMAIL.helen);

const EXPLANATION = 'Amir’s neighbour rang the duty line: he has taken an overdose and the CMHT is closed.';

/** Raj finds Amir by a known check, breaks the glass and opens his record; the alert's id. */
async function rajBreaksTheGlass() {
  await raj.get(knownCheck(amir));
  await raj.get(recordPaths.breakGlass(amir.id));
  t.clock.advance(60_000);
  const posted = await raj.post(recordPaths.breakGlass(amir.id), { reason: 'risk_to_life', explanation: EXPLANATION });
  assert.equal(posted.statusCode, 303);
  assert.equal((await raj.get(recordPaths.person(amir.id))).statusCode, 200);
  return (await rowsOf(t, `select id from access_alert where person_id = $1`, [amir.id]))[0].id as string;
}
// The demo partnership has emergency access of its own: one alert reviewed, one waiting.
const waitingBefore = Number((await rowsOf(t, 'select count(*)::int as n from access_alert a where not exists (select 1 from access_alert_review r where r.alert_id = a.id)'))[0].n);
const reviewsBefore = Number((await rowsOf(t, 'select count(*)::int as n from access_alert_review'))[0].n);
const alertId = await rajBreaksTheGlass();
const reviewsOf = async (id: string) => (await rowsOf(t, 'select outcome from access_alert_review where alert_id = $1', [id])).map((r) => r.outcome);
/** The queue's row for one alert, as text; null when the page does not list it. */
const rowOf = (body: string, id: string) => {
  const row = new RegExp(`<tr class="govuk-table__row" data-qa="alert" data-alert-id="${id}">[\\s\\S]*?</tr>`).exec(body);
  return row ? textOf(row[0]) : null;
};
const statusesOf = (body: string) => [...body.matchAll(/data-qa="alert-status"[^>]*>\s*([^<]+?)\s*</g)].map((m) => m[1]!);
const navigation = (body: string) => textOf(/<nav[\s\S]*?<\/nav>/.exec(body)?.[0] ?? '');

describe('the access alert queue', () => {
  test('emergency access appears in the auditor’s queue, not yet reviewed, with who, from where and about whom; the navigation counts it', async () => {
    const before = await lastAuditId(t);
    const page = await helen.get(paths.alerts());
    assert.equal(page.statusCode, 200);
    assert.match(navigation(page.body), new RegExp(`Access alerts \\(${waitingBefore + 1} to review\\)`));
    assert.match(page.body, new RegExp(`data-qa="unreviewed-count"[^>]*>\\s*${waitingBefore + 1} to review`));
    const statuses = statusesOf(page.body);
    assert.deepEqual(statuses, [...statuses].sort((a, b) => Number(a !== 'To review') - Number(b !== 'To review')), 'alerts to review come first');
    assert.match(rowOf(page.body, alertId)!, /3 March 2026 at 10:15pm.*Emergency access.*Raj Patel Adult Social Care Duty Team, Northshire County Council Adult Social Care.*Amir Haddad.*Immediate risk to the person’s life or safety.*To review/);
    const events = await rowsOf(t, 'select action, person_id from audit_event where id > $1 order by id', [before]);
    assert.deepEqual(events[0] && [events[0].action, events[0].person_id], ['alerts.viewed', null]);
    assert.ok(events.every((e) => e.action === 'alerts.viewed'));
    assert.ok(events.some((e) => e.person_id === amir.id), 'each person the list names is recorded as seen');
  });

  test('the alert shows the reason, the explanation, the expiry and what Raj did about Amir while it lasted', async () => {
    const before = await lastAuditId(t);
    const page = await helen.get(paths.alert(alertId));
    assert.equal(page.statusCode, 200);
    const details = textOf(/data-qa="alert-details"[\s\S]*?<\/dl>/.exec(page.body)![0]);
    assert.match(details, /Who Raj Patel, Duty social worker/);
    assert.match(details, /Agency Northshire County Council Adult Social Care/);
    assert.match(details, /Team Adult Social Care Duty Team/);
    assert.match(details, /Person Amir Haddad/);
    assert.match(details, /Reason Immediate risk to the person’s life or safety/);
    assert.match(details, /Their explanation Amir’s neighbour rang the duty line/);
    assert.match(details, /Emergency access 3 March 2026 at 10:15pm to 4 March 2026 at 2:15am/);
    const activity = [...page.body.matchAll(/data-qa="activity-event"[\s\S]*?<\/tr>/g)].map((m) => textOf(m[0]));
    assert.deepEqual(activity.map((row) => row.split(' ').at(-2)), ['record.break_glass', 'person.viewed']);
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.subject_id]), [['alert.viewed', alertId]]);
    assert.match(page.body, /data-qa="review-form"/);
  });

  test('a review needs an outcome and notes; a refusal writes nothing', async () => {
    await helen.get(paths.alert(alertId));
    const posted = await helen.post(paths.alert(alertId), { notes: '' });
    assert.equal(posted.statusCode, 303);
    const page = await helen.get(paths.alert(alertId));
    assert.equal(page.statusCode, 400);
    assert.deepEqual(errorSummary(page.body), ['outcome: Select the outcome of your review', 'notes: Enter what you found and what you decided']);
    await helen.post(paths.alert(alertId), { outcome: 'justified', notes: 'x'.repeat(2001) });
    assert.deepEqual(errorSummary((await helen.get(paths.alert(alertId))).body), ['notes: Your notes must be 2000 characters or fewer']);
    assert.deepEqual(await reviewsOf(alertId), []);
    assert.equal(await countOf(t, 'access_alert_review'), reviewsBefore);
  });

  test('the auditor records the outcome once; the alert then shows it and leaves the count', async () => {
    await helen.get(paths.alert(alertId));
    const before = await lastAuditId(t);
    const posted = await helen.post(paths.alert(alertId), { outcome: 'justified', notes: 'Spoke to Raj and the CMHT duty manager: a real emergency, the ambulance was called.' });
    assert.equal(posted.statusCode, 303);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_id]), [['alert.reviewed', alertId]]);
    const page = await helen.get(paths.alert(alertId));
    assert.match(page.body, /Your review has been recorded/);
    assert.match(textOf(/data-qa="review"[\s\S]*?<\/dl>/.exec(page.body)![0]), /Outcome Justified Notes Spoke to Raj .* Reviewed by Helen Marsh/);
    assert.doesNotMatch(page.body, /data-qa="review-form"/);
    assert.match(navigation(page.body), new RegExp(`Access alerts \\(${waitingBefore} to review\\)`));
    const [review] = await rowsOf(t, 'select * from access_alert_review where alert_id = $1', [alertId]);
    assert.equal(review.outcome, 'justified');
  });

  test('a reviewed alert cannot be reviewed again, on the page or through the API (409)', async () => {
    await helen.get(paths.alert(alertId));
    const posted = await helen.post(paths.alert(alertId), { outcome: 'not_justified', notes: 'Changing my mind' });
    assert.equal(posted.statusCode, 303);
    const page = await helen.get(paths.alert(alertId));
    assert.deepEqual(errorSummary(page.body), ['main-content: This alert has already been reviewed. A review cannot be changed.']);
    const response = await auditorApi.post(api.review(alertId), { outcome: 'not_justified', notes: 'Changing my mind' });
    assert.equal(response.statusCode, 409);
    assert.equal(JSON.parse(response.body).code, 'OVERSIGHT.ALREADY_REVIEWED');
    assert.deepEqual(await reviewsOf(alertId), ['justified']);
  });

  test('the queue filters by kind and by whether reviewed; filters it cannot read are refused with 400', async () => {
    const reviewed = await helen.get(paths.alertsWhere({ status: 'reviewed', kind: 'break_glass' }));
    assert.match(rowOf(reviewed.body, alertId)!, /Reviewed: Justified/);
    assert.ok(statusesOf(reviewed.body).every((status) => status.startsWith('Reviewed')));
    const waiting = await helen.get(paths.alertsWhere({ status: 'unreviewed' }));
    assert.equal(rowOf(waiting.body, alertId), null);
    assert.ok(statusesOf(waiting.body).every((status) => status === 'To review'));
    const many = await helen.get(paths.alertsWhere({ kind: 'many_records' }));
    assert.match(many.body, /data-qa="no-alerts"/);
    const before = await lastAuditId(t);
    const wrong = await helen.get(`${paths.alerts()}?kind=gossip&status=maybe`);
    assert.equal(wrong.statusCode, 400);
    assert.deepEqual(errorSummary(wrong.body), ['kind: Choose a kind of alert from the list', 'status: Choose reviewed or not reviewed']);
    assert.deepEqual(await auditSince(t, before), [], 'nothing was read, so nothing is recorded');
  });

  test('only auditors see alerts: a care coordinator gets 403 and no menu entry; an unknown alert is not found', async () => {
    assert.equal((await tom.get(paths.alerts())).statusCode, 403);
    assert.equal((await tom.get(paths.alert(alertId))).statusCode, 403);
    assert.doesNotMatch(navigation((await tom.get('/')).body), /Access alerts/);
    assert.equal((await helen.get(paths.alert(UNKNOWN_ID))).statusCode, 404);
    assert.equal((await auditorApi.post(api.review(UNKNOWN_ID), { outcome: 'justified', notes: 'n' })).statusCode, 404);
  });
});

describe('the access alert queue (API)', () => {
  test('lists alerts with the break-glass facts and the review, and filters them', async () => {
    const response = await auditorApi.get(api.alerts());
    assert.equal(response.statusCode, 200, response.body);
    const body = JSON.parse(response.body);
    assert.equal(body.unreviewed, waitingBefore);
    const alert = body.alerts.find((a: { id: string }) => a.id === alertId);
    assert.equal(alert.kind, 'break_glass');
    assert.deepEqual(alert.person, { id: amir.id, name: 'Amir Haddad' });
    assert.equal(alert.user.name, 'Raj Patel');
    assert.equal(alert.agency.name, 'Northshire County Council Adult Social Care');
    assert.deepEqual([alert.breakGlass.reason, alert.breakGlass.explanation, alert.breakGlass.expiresAt], ['risk_to_life', EXPLANATION, '2026-03-04T02:15:00.000Z']);
    assert.equal(alert.review.outcome, 'justified');
    assert.equal(alert.review.reviewedBy.name, 'Helen Marsh');
    const waiting = JSON.parse((await auditorApi.get(`${api.alerts()}?status=unreviewed`)).body).alerts;
    assert.ok(waiting.every((a: { review: unknown }) => a.review === null));
    assert.ok(!waiting.some((a: { id: string }) => a.id === alertId));
    assert.equal((await auditorApi.get(`${api.alerts()}?kind=gossip`)).statusCode, 400);
    assert.equal((await auditorApi.get(api.alert(alertId))).statusCode, 200);
  });

  test('a new alert is reviewed through the API once: 201, then 409; bad input is 400 and writes nothing', async () => {
    const ella = await world.person('Ella', 'Brandt');
    const rajApi = await apiClient(t, EMAIL.raj);
    await rajApi.get(knownCheckApi(ella));
    const granted = await rajApi.post(api.breakGlass(ella.id), { reason: 'safeguarding_emergency', explanation: 'Police at the door with a child protection concern tonight.' });
    assert.equal(granted.statusCode, 201, granted.body);
    const newAlert = JSON.parse(granted.body).alertId as string;
    const bad = await auditorApi.post(api.review(newAlert), { outcome: 'fine', notes: '' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(JSON.parse(bad.body).errors.map((e: { field: string }) => e.field), ['outcome', 'notes']);
    const reviewed = await auditorApi.post(api.review(newAlert), { outcome: 'needs_follow_up', notes: 'Ask the MASH whether the police referral arrived.' });
    assert.equal(reviewed.statusCode, 201, reviewed.body);
    assert.equal(JSON.parse(reviewed.body).outcome, 'needs_follow_up');
    assert.equal(reviewed.headers.location, api.alert(newAlert));
    assert.equal((await auditorApi.post(api.review(newAlert), { outcome: 'justified', notes: 'Again' })).statusCode, 409);
    assert.deepEqual(await reviewsOf(newAlert), ['needs_follow_up']);
  });

  test('the person whose access raised the alert cannot list or review alerts', async () => {
    const rajApi = await apiClient(t, EMAIL.raj);
    assert.equal((await rajApi.get(api.alerts())).statusCode, 403);
    assert.equal((await rajApi.post(api.review(alertId), { outcome: 'justified', notes: 'It was fine' })).statusCode, 403);
  });

  test('no one reviews an alert about their own access', async () => {
    const helenId = auditorApi.actor.userId;
    const [own] = await rowsOf(t, `insert into access_alert (kind, user_id, window_start, details, raised_at) values ('many_records', $1, '2026-03-03T09:00:00Z', '{"people": 50, "threshold": 40}', now()) returning id`, [helenId]);
    const response = await auditorApi.post(api.review(own.id), { outcome: 'justified', notes: 'Nothing to see here' });
    assert.equal(response.statusCode, 403);
    assert.equal(JSON.parse(response.body).code, 'OVERSIGHT.OWN_ALERT');
    assert.deepEqual(await rowsOf(t, 'select * from access_alert_review where alert_id = $1', [own.id]), []);
  });
});
