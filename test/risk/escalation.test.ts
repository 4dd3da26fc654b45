import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, auditSince, Browser, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { textOf } from '../support/casework.js';
import { errorSummary } from '../support/pages.js';
import { riskApiPaths as api, riskPaths as paths } from '../../src/modules/risk/paths.js';
import { KOFI, QUIET, QUIET_FOLLOW_UPS, RAJ, riskWorld, TOM } from './world.js';

const t: TestConcord = await testConcord({ now: '2026-03-06T10:00:00Z' });
const world = await riskWorld(t);
const tom = await apiClient(t, TOM);
const kofi = await apiClient(t, KOFI);
const raj = await apiClient(t, RAJ);
const browser = await new Browser(t.app).signIn(TOM);

type Response = { statusCode: number; body: string };
const json = (response: Response) => JSON.parse(response.body);
const ladderRows = async (reviewId: string) => (await t.pool.query('select kind, step, raised_with, outcome, text from risk_escalation where review_id = $1 order by position', [reviewId])).rows;

/** A review that found a risk to children: the ladder applies. */
async function childrenAtRisk() {
  const person = await world.person();
  const review = json(await tom.post(api.reviews(person.id), world.reviewBody({ ...QUIET, risk_to_children: 'yes' }, { childrenCaring: 'no' })));
  return { person, review };
}

async function assertNothingWritten(reviewId: string, call: () => Promise<Response>, status: number, errors?: Record<string, string>) {
  const before = { rows: await ladderRows(reviewId), audit: await lastAuditId(t) };
  const response = await call();
  assert.equal(response.statusCode, status, response.body);
  if (errors) assert.deepEqual(Object.fromEntries(json(response).errors.map((e: { field: string; message: string }) => [e.field, e.message])), errors);
  assert.deepEqual(await ladderRows(reviewId), before.rows);
  assert.deepEqual((await auditSince(t, before.audit)).filter((e) => e.outcome === 'success').map((e) => e.action), []);
}

describe('escalating a concern about children (RISK-7)', () => {
  test('step by step: raised with the senior practitioner and line manager, their answer, then the Head of Service and theirs; nothing after', async () => {
    const { person, review } = await childrenAtRisk();
    const url = api.escalation(person.id, review.id);
    assert.deepEqual(json(await tom.get(url)).next, { may: 'raise', step: 'senior_and_line_manager' });
    const before = await lastAuditId(t);
    assert.equal((await tom.post(url, { raisedWith: 'Priya Raman, team manager', text: 'No joint visit booked after a week' })).statusCode, 201);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.details]), [['risk.escalation_recorded', { kind: 'raised', step: 'senior_and_line_manager' }]]);
    assert.equal((await tom.post(url, { outcome: 'not_progressed', text: 'Children’s services have not replied to her either' })).statusCode, 201);
    assert.deepEqual(json(await tom.get(url)).next, { may: 'raise', step: 'head_of_service' });
    assert.equal((await tom.post(url, { raisedWith: 'Head of Adult Mental Health Services', text: 'Escalated: no joint assessment in two weeks' })).statusCode, 201);
    assert.equal((await tom.post(url, { outcome: 'progressed', text: 'Agreed a joint visit for Monday' })).statusCode, 201);
    assert.deepEqual((await ladderRows(review.id)).map((r) => [r.kind, r.step, r.outcome]), [
      ['raised', 'senior_and_line_manager', null], ['answered', 'senior_and_line_manager', 'not_progressed'], ['raised', 'head_of_service', null], ['answered', 'head_of_service', 'progressed'],
    ]);
    await assertNothingWritten(review.id, () => tom.post(url, { raisedWith: 'Anyone', text: 'More' }), 409);
    await assert.rejects(t.pool.query(`update risk_escalation set text = 'changed' where review_id = $1`, [review.id]));
  });

  test('bad input is named and nothing written; a review with no risk to children has no ladder; another agency or no relationship cannot escalate', async () => {
    const { person, review } = await childrenAtRisk();
    const url = api.escalation(person.id, review.id);
    await assertNothingWritten(review.id, () => tom.post(url, { raisedWith: 'x'.repeat(201), text: '' }), 400, {
      raisedWith: 'Who you raised it with must be 200 characters or fewer',
      text: 'Enter the concern: what has not been acted on',
    });
    const quiet = json(await tom.post(api.reviews(person.id), world.reviewBody(QUIET, QUIET_FOLLOW_UPS)));
    await assertNothingWritten(quiet.id, () => tom.post(api.escalation(person.id, quiet.id), { raisedWith: 'Priya', text: 'Concern' }), 409);
    assert.equal(json(await tom.get(api.escalation(person.id, quiet.id))).applies, false);
    await world.consentForHousing(person.id, ['risk']);
    await assertNothingWritten(review.id, () => kofi.post(url, { raisedWith: 'Priya', text: 'Concern' }), 403);
    await assertNothingWritten(review.id, () => raj.post(url, { raisedWith: 'Priya', text: 'Concern' }), 404);
    await assertNothingWritten(review.id, () => raj.get(url), 404);
  });

  test('the page records a step without script, shows the ladder, and brings a refusal back with the problem', async () => {
    const { person, review } = await childrenAtRisk();
    const reviewPage = await browser.get(paths.review(person.id, review.id));
    assert.match(reviewPage.body, /data-qa="escalation-link"/);
    const url = paths.escalation(person.id, review.id);
    await browser.get(url);
    const refused = await browser.post(url, { raisedWith: 'Priya Raman, team manager', text: '' });
    assert.equal(refused.statusCode, 303);
    const back = await browser.get(String(refused.headers.location));
    assert.deepEqual(errorSummary(back.body), ['text: Enter the concern: what has not been acted on']);
    assert.match(back.body, /value="Priya Raman, team manager"/);
    const posted = await browser.post(url, { raisedWith: 'Priya Raman, team manager', text: 'No joint visit booked after a week' });
    const page = await browser.get(String(posted.headers.location));
    assert.match(textOf(page.body), /Recorded: raised with Priya Raman, team manager/);
    assert.match(textOf(page.body), /Raised with Senior \/ Principal Practitioner and line manager : Priya Raman, team manager/);
    assert.match(page.body, /Did they progress the matter\?/);
  });
});
