import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditSince, Browser, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { textOf } from '../support/casework.js';
import { errorSummary } from '../support/pages.js';
import { riskPaths as paths } from '../../src/modules/risk/paths.js';
import { HELEN, KOFI, QUIET, QUIET_FOLLOW_UPS, RAJ, riskWorld, TOM } from './world.js';

const t: TestConcord = await testConcord({ now: '2026-03-06T10:00:00Z' });
const world = await riskWorld(t);

const tom = await new Browser(t.app).signIn(TOM);
const kofi = await new Browser(t.app).signIn(KOFI);
const raj = await new Browser(t.app).signIn(RAJ);
const helen = await new Browser(t.app).signIn(HELEN);

/** Days on, every session has timed out: everyone signs in again. */
async function daysLater(days: number) {
  t.clock.advance(days * 86_400_000);
  for (const [browser, email] of [[tom, TOM], [kofi, KOFI], [raj, RAJ], [helen, HELEN]] as const) await browser.signIn(email);
}

/** A step of the review form, as its GET form submits it. */
const step = (personId: string, fields: Record<string, string>) => `${paths.reviewNew(personId)}?${new URLSearchParams(fields).toString()}`;
const answerFields = (answers: Record<string, string>) => Object.fromEntries(Object.entries(answers).map(([k, v]) => [`answers.${k}`, v]));
const followUpFields = (followUps: Record<string, string>) => Object.fromEntries(Object.entries(followUps).map(([k, v]) => [`followUps.${k}`, v]));

describe('a risk review, step by step, without script', () => {
  test('the considerations, then the follow-ups the answers bring, then the checklist with the deadline an undone action would start', async () => {
    const person = await world.person();
    const first = await tom.get(paths.reviewNew(person.id));
    assert.equal(first.statusCode, 200);
    assert.equal([...first.body.matchAll(/data-qa="consideration-/g)].length, 8);
    assert.match(first.body, /Does the service user have capacity to make their own decisions\?/);
    assert.deepEqual(errorSummary(first.body), [], 'no problems before the step is submitted');

    // Submitting with two considerations unanswered names them, and keeps what was chosen.
    const { wandering_falling: _w, capacity: _c, ...six } = { ...QUIET, harm_from_others: 'yes' };
    const partly = await tom.get(step(person.id, { step: 'considerations', ...answerFields(six) }));
    assert.deepEqual(errorSummary(partly.body), [
      'answers.wandering_falling: Select Yes, No or Don’t know for risk of wandering or falling',
      'answers.capacity: Select Yes, No or Don’t know for risks associated with diminished capacity',
    ]);
    assert.match(partly.body, /name="answers.harm_from_others" type="radio" value="yes" checked/);

    const answers = { ...QUIET, harm_from_others: 'yes' };
    const followUps = await tom.get(step(person.id, { step: 'considerations', ...answerFields(answers) }));
    assert.match(followUps.body, /data-qa="follow-ups-form"/);
    assert.match(followUps.body, /Are any children taking on a caring role for the parent\(s\)\?/);
    assert.doesNotMatch(followUps.body, /multi-agency cooperation/, 'not asked: no risk of harm to others');

    const checklist = await tom.get(step(person.id, { step: 'follow_ups', ...answerFields(answers), ...followUpFields(QUIET_FOLLOW_UPS) }));
    assert.match(checklist.body, /data-qa="checklist-form"/);
    assert.match(textOf(checklist.body), /Follow the referral pathway for the Protection of Vulnerable Adults \(POVA\)\. If not done, this becomes a deadline for you: Protection of Vulnerable Adults \(POVA\) referral, within 1 working day \(rule RISK-8\)\./);
    assert.match(checklist.body, /<input type="hidden" name="answers.harm_from_others" value="yes">/);
  });

  test('completing with a guided action unrecorded comes back with the problem and what was typed; nothing is written', async () => {
    const person = await world.person();
    const body = world.reviewBody({ ...QUIET, harm_from_others: 'yes' }, QUIET_FOLLOW_UPS, { 'harm_from_others.pova': { status: 'not_done' }, 'harm_from_others.record': undefined });
    const form = world.reviewForm(body);
    await tom.get(step(person.id, { ...answerFields(body.answers), ...followUpFields(QUIET_FOLLOW_UPS) }));
    const before = { written: await world.written(person.id), audit: await lastAuditId(t) };
    const posted = await tom.post(paths.reviewNew(person.id), form);
    assert.equal(posted.statusCode, 303);
    const back = await tom.get(String(posted.headers.location));
    assert.deepEqual(errorSummary(back.body), [
      'actions.harm_from_others.pova.note: Say why this was not done, or what happens next: Follow the referral pathway for the Protection of Vulnerable Adults (POVA).',
      'actions.harm_from_others.record: Record whether this was done: Record all actions, concerns and interventions taken.',
    ]);
    assert.match(back.body, /data-qa="checklist-form"/);
    assert.match(back.body, /Seen at home with her sister; says she feels safe\./, 'the evidence typed is kept');
    assert.deepEqual(await world.written(person.id), before.written);
    assert.deepEqual((await auditSince(t, before.audit)).filter((e) => e.action === 'risk.review_completed'), []);
  });

  test('a completed review shows its answers, actions and deadlines; the history charts the level over time beside a table', async () => {
    const person = await world.person();
    const empty = await tom.get(paths.risk(person.id));
    assert.match(empty.body, /data-qa="no-reviews"/);
    assert.match(empty.body, new RegExp(`aria-current="page" href="/people/${person.id}/risk"`));

    const first = world.reviewBody(QUIET, QUIET_FOLLOW_UPS, {}, { level: 'low' });
    await tom.get(paths.reviewNew(person.id));
    assert.equal((await tom.post(paths.reviewNew(person.id), world.reviewForm(first))).statusCode, 303);
    await daysLater(14);
    await tom.get(paths.reviewNew(person.id));
    const second = world.reviewBody({ ...QUIET, wandering_falling: 'yes' }, QUIET_FOLLOW_UPS, { 'wandering_falling.falls': { status: 'not_done', note: 'OT visit booked' } }, { level: 'high', evidence: 'Two falls this fortnight.' });
    const posted = await tom.post(paths.reviewNew(person.id), world.reviewForm(second));
    assert.equal(posted.statusCode, 303);
    const review = await tom.get(String(posted.headers.location));
    assert.match(review.body, /The risk review has been completed/);
    assert.match(textOf(review.body), /Is the service user at risk of wandering or falling\? Yes/);
    assert.match(textOf(review.body), /Not done Undertake a ‘Falls Risk’ assessment\. OT visit booked/);
    assert.match(textOf(review.body), /Falls risk assessment Rule RISK-2/);

    // The falls assessment done: recorded from the review's page, which then shows it done.
    const reviewUrl = String(posted.headers.location).split('?')[0]!;
    const obligationId = /name="obligationId" value="([^"]+)"/.exec(review.body)![1]!;
    const done = await tom.post(reviewUrl, { obligationId });
    assert.equal(done.statusCode, 303);
    const after = await tom.get(String(done.headers.location));
    assert.match(textOf(after.body), /Recorded as done: Falls risk assessment/);
    assert.match(textOf(after.body), /Falls risk assessment Rule RISK-2 .* Done/);
    assert.doesNotMatch(after.body, /data-qa="deadline-met"/);

    const before = await lastAuditId(t);
    const history = await tom.get(paths.risk(person.id));
    assert.match(history.body, /<svg role="img" aria-labelledby="risk-chart-title risk-chart-desc"/);
    assert.match(history.body, /<desc id="risk-chart-desc">2 risk reviews from 6 Mar 2026 to 20 Mar 2026\. 6 Mar 2026: low; 20 Mar 2026: high\. Latest: high\.<\/desc>/);
    assert.equal([...history.body.matchAll(/data-qa="history-row"/g)].length, 2);
    assert.match(textOf(history.body), /Latest level of risk: High ?, 20 March 2026, Tom Okafor/);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.details]), [['risk.viewed', { reviews: 2 }]]);

    // A deadline still to do is Tom's: once near or passed it is on My work, linked to the review.
    const third = world.reviewBody({ ...QUIET, harm_from_others: 'yes' }, QUIET_FOLLOW_UPS, { 'harm_from_others.pova': { status: 'not_done', note: 'Calling the POVA lead' } });
    await tom.get(paths.reviewNew(person.id));
    const pova = String((await tom.post(paths.reviewNew(person.id), world.reviewForm(third))).headers.location).split('?')[0]!;
    await daysLater(5);
    const work = await tom.get('/');
    assert.match(textOf(work.body), /Protection of Vulnerable Adults \(POVA\) referral/);
    assert.match(textOf(work.body), /Risk review of 20 March 2026/);
    assert.match(work.body, new RegExp(`href="${pova}"`));

    // Past due, recording it done needs the reason for the delay: refused, it comes back to the review with the problem.
    const refused = await tom.post(pova, { obligationId: /name="obligationId" value="([^"]+)"/.exec((await tom.get(pova)).body)![1]! });
    assert.equal(refused.statusCode, 303);
    const back = await tom.get(String(refused.headers.location));
    assert.deepEqual(errorSummary(back.body), ['lateReason: This was done after its deadline: record the reason for the delay.']);
    assert.match(back.body, /id="lateReason"/);
  });

  test('no relationship or an unknown review: not found; a partner without consent sees no review and is told why; an auditor cannot start one', async () => {
    const person = await world.person();
    await tom.get(paths.reviewNew(person.id));
    const posted = await tom.post(paths.reviewNew(person.id), world.reviewForm(world.reviewBody()));
    const reviewUrl = String(posted.headers.location).split('?')[0]!;
    for (const url of [paths.risk(person.id), paths.reviewNew(person.id), reviewUrl]) assert.equal((await raj.get(url)).statusCode, 404, url);
    const before = await world.written(person.id);
    await raj.get(paths.risk(person.id));
    assert.equal((await raj.post(paths.reviewNew(person.id), world.reviewForm(world.reviewBody()))).statusCode, 404);
    assert.deepEqual(await world.written(person.id), before);
    assert.equal((await tom.get(paths.review(person.id, '6d3f3f0e-1111-4222-8333-444455556666'))).statusCode, 404);

    const partner = await kofi.get(paths.risk(person.id));
    assert.equal(partner.statusCode, 200);
    assert.match(partner.body, /data-qa="no-reviews"/);
    assert.match(textOf(partner.body), /Other agencies’ risk reviews are not shared with Harbour Housing Options: there is no consent in force to share risk information\./);
    assert.equal((await kofi.get(reviewUrl)).statusCode, 404);
    assert.equal((await helen.get(paths.reviewNew(person.id))).statusCode, 403);
  });
});
