import { describe, test } from 'node:test';
import { assertApiRefused } from '../support/refused.js';
import assert from 'node:assert/strict';
import { apiClient, auditSince, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { riskApiPaths as api } from '../../src/modules/risk/paths.js';
import { HELEN, KOFI, QUIET, QUIET_FOLLOW_UPS, RAJ, riskWorld, TOM } from './world.js';

const t: TestConcord = await testConcord({ now: '2026-03-06T10:00:00Z' });
const world = await riskWorld(t);

const tom = await apiClient(t, TOM);
const kofi = await apiClient(t, KOFI);
const raj = await apiClient(t, RAJ);
const helen = await apiClient(t, HELEN);
const UNKNOWN = '6d3f3f0e-1111-4222-8333-444455556666';

type Response = { statusCode: number; body: string; headers: Record<string, unknown> };
const json = (response: Response) => JSON.parse(response.body);

const assertRefused = (personId: string, call: () => Promise<Response>, status: number, errors?: Record<string, string>) =>
  assertApiRefused(t, () => world.written(personId), call, status, errors);

describe('risk reviews (API)', () => {
  test('a completed review is signed and owned by the author’s agency; an undone POVA referral becomes Tom’s deadline under RISK-8, due the next working day', async () => {
    const person = await world.person();
    const before = await lastAuditId(t);
    const body = world.reviewBody({ ...QUIET, harm_from_others: 'yes' }, QUIET_FOLLOW_UPS, { 'harm_from_others.pova': { status: 'not_done', note: 'Calling the POVA lead this afternoon' } }, { level: 'high' });
    const response = await tom.post(api.reviews(person.id), body);
    assert.equal(response.statusCode, 201, response.body);
    const review = json(response);
    assert.deepEqual([review.personId, review.level, review.authorId, review.authorRole, review.owningAgencyId], [person.id, 'high', tom.actor.userId, 'care_coordinator', tom.actor.agencyId]);
    const pova = review.actions.find((a: { id: string }) => a.id === 'harm_from_others.pova');
    assert.equal(pova.text, 'Follow the referral pathway for the Protection of Vulnerable Adults (POVA).');
    const { deadlines } = await world.written(person.id);
    assert.deepEqual(deadlines.map((d) => [d.id, d.rule_id, d.kind, d.owner_user_id, d.subject_id, d.due_at.toISOString()]), [
      [pova.obligationId, 'RISK-8', 'risk.adult_protection_referral', tom.actor.userId, review.id, '2026-03-09T23:59:59.999Z'],
    ]);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_id, e.details]), [['risk.review_completed', review.id, { level: 'high', mappaLevel: 'none', deadlines: [pova.obligationId] }]]);

    const read = json(await tom.get(api.review(person.id, review.id)));
    assert.equal(read.review.authorName, 'Tom Okafor');
    assert.deepEqual(read.deadlines.map((d: { ruleId: string; state: string }) => [d.ruleId, d.state]), [['RISK-8', 'open']]);
  });

  test('harm to others only manageable by agencies together prompts a MAPPA referral (RISK-6); lacking capacity with an IMCA circumstance an IMCA referral (RISK-9); children a child protection step, joint assessment and young carers referral (RISK-7)', async () => {
    const person = await world.person();
    const answers = { ...QUIET, harm_to_others: 'yes' as const, risk_to_children: 'yes' as const, capacity: 'no' as const };
    const followUps = { multiAgencyOnly: 'yes' as const, childrenCaring: 'yes' as const, imcaCircumstance: 'yes' as const };
    const notDone = { status: 'not_done', note: 'Booked for next week' };
    const body = world.reviewBody(answers, followUps, {
      'harm_to_others.mappa_referral': notDone, 'risk_to_children.child_protection': notDone, 'risk_to_children.joint_assessment': notDone, 'risk_to_children.young_carers': notDone, 'capacity.imca': notDone,
    }, { mappaLevel: '2', level: 'very_high' });
    const response = await tom.post(api.reviews(person.id), body);
    assert.equal(response.statusCode, 201, response.body);
    const { deadlines, reviews } = await world.written(person.id);
    assert.deepEqual(deadlines.map((d) => [d.rule_id, d.kind]).sort(), [
      ['RISK-6', 'risk.mappa_referral'], ['RISK-7', 'risk.child_protection'], ['RISK-7', 'risk.joint_assessment'], ['RISK-7', 'risk.young_carers_referral'], ['RISK-9', 'risk.imca_referral'],
    ]);
    assert.equal(reviews[0].mappa_level, '2');
    // The MAPPA prompt follows the coordinator's judgement: without it, no MAPPA action is brought at all.
    const without = world.reviewBody({ ...QUIET, harm_to_others: 'yes' }, { ...QUIET_FOLLOW_UPS, multiAgencyOnly: 'no' });
    assert.ok(!('harm_to_others.mappa_referral' in without.actions));
  });

  test('a review with a consideration unanswered, or a Yes whose guided actions are not all recorded, is refused naming each; nothing is written', async () => {
    const person = await world.person();
    const { capacity: _, ...seven } = QUIET;
    await assertRefused(person.id, () => tom.post(api.reviews(person.id), { ...world.reviewBody(), answers: seven }), 400, {
      'answers.capacity': 'Select Yes, No or Don’t know for risks associated with diminished capacity',
    });
    const falls = world.reviewBody({ ...QUIET, wandering_falling: 'yes' }, QUIET_FOLLOW_UPS, { 'wandering_falling.falls': undefined, 'wandering_falling.plan': { status: 'not_done' } });
    await assertRefused(person.id, () => tom.post(api.reviews(person.id), falls), 400, {
      'actions.wandering_falling.falls': 'Record whether this was done: Undertake a ‘Falls Risk’ assessment.',
      'actions.wandering_falling.plan.note': 'Say why this was not done, or what happens next: Agree a Risk Management Plan.',
    });
  });

  test('missing, malformed and too long fields are each named; nothing is written', async () => {
    const person = await world.person();
    await assertRefused(person.id, () => tom.post(api.reviews(person.id), { ...world.reviewBody(), level: 'extreme', evidence: 'x'.repeat(4001), mappaLevel: 4 }), 400, {
      level: 'Select the level of risk',
      evidence: 'The evidence must be 4,000 characters or fewer',
      mappaLevel: 'Select the MAPPA level, or that the person is not managed under MAPPA',
    });
    await assertRefused(person.id, () => tom.post(api.reviews(person.id), { ...world.reviewBody(), evidence: '   ', actions: { ...world.reviewBody().actions, 'capacity.keep_reviewing': { status: 'done', note: 'n'.repeat(1001) } } }), 400, {
      'actions.capacity.keep_reviewing.note': 'The note must be 1,000 characters or fewer: No action is required, but it is good practice to keep reviewing capacity issues.',
      evidence: 'Enter the evidence for the level of risk',
    });
    await assertRefused(person.id, () => tom.post(api.reviews(person.id), []), 400);
  });

  test('an agency with no relationship, an unknown person or review: 404 as if nothing existed; an auditor may not complete one; nothing is written', async () => {
    const person = await world.person();
    const review = json(await tom.post(api.reviews(person.id), world.reviewBody()));
    await assertRefused(person.id, () => raj.post(api.reviews(person.id), world.reviewBody()), 404);
    await assertRefused(person.id, () => raj.get(api.reviews(person.id)), 404);
    await assertRefused(person.id, () => raj.get(api.review(person.id, review.id)), 404);
    await assertRefused(person.id, () => tom.get(api.review(person.id, UNKNOWN)), 404);
    await assertRefused(UNKNOWN, () => tom.post(api.reviews(UNKNOWN), world.reviewBody()), 404);
    await assertRefused(person.id, () => helen.post(api.reviews(person.id), world.reviewBody()), 403);
  });

  test('a partner without consent to see risk does not see the reviews, nor learns one exists; with consent it does', async () => {
    const person = await world.person();
    const review = json(await tom.post(api.reviews(person.id), world.reviewBody()));
    assert.deepEqual(json(await kofi.get(api.reviews(person.id))).reviews, []);
    assert.equal((await kofi.get(api.review(person.id, review.id))).statusCode, 404);
    await world.consentForHousing(person.id, ['risk']);
    assert.deepEqual(json(await kofi.get(api.reviews(person.id))).reviews.map((r: { id: string }) => r.id), [review.id]);
  });

  test('an action left to do is recorded done: its deadline is met; past due it needs the reason for the delay; only the review’s agency may; nothing else changes', async () => {
    const person = await world.person();
    const notDone = { status: 'not_done', note: 'This afternoon' };
    const body = world.reviewBody({ ...QUIET, harm_from_others: 'yes', wandering_falling: 'yes' }, QUIET_FOLLOW_UPS, { 'harm_from_others.pova': notDone, 'wandering_falling.falls': notDone });
    const review = json(await tom.post(api.reviews(person.id), body));
    const idOf = (actionId: string) => review.actions.find((a: { id: string }) => a.id === actionId).obligationId as string;
    const [pova, falls] = [idOf('harm_from_others.pova'), idOf('wandering_falling.falls')];
    const state = async () => (await world.written(person.id)).deadlines.map((d) => [d.rule_id, d.state, d.late, d.reason]);

    const met = await tom.post(api.deadlineMet(person.id, review.id, falls), {});
    assert.equal(met.statusCode, 200, met.body);
    assert.equal(json(met).state, 'met');
    assert.deepEqual(await state(), [['RISK-2', 'met', false, null], ['RISK-8', 'open', false, null]]);
    await assertRefused(person.id, () => tom.post(api.deadlineMet(person.id, review.id, falls), {}), 409);

    t.clock.advance(5 * 86_400_000);
    await assertRefused(person.id, () => tom.post(api.deadlineMet(person.id, review.id, pova), {}), 409, { lateReason: 'This was done after its deadline: record the reason for the delay.' });
    await assertRefused(person.id, () => tom.post(api.deadlineMet(person.id, review.id, pova), { lateReason: 'x'.repeat(1001) }), 400, { lateReason: 'The reason for the delay must be 1,000 characters or fewer' });
    await assertRefused(person.id, () => tom.post(api.deadlineMet(person.id, review.id, UNKNOWN), { lateReason: 'Late' }), 404);
    await world.consentForHousing(person.id, ['risk']);
    await assertRefused(person.id, () => kofi.post(api.deadlineMet(person.id, review.id, pova), { lateReason: 'Late' }), 403);
    await assertRefused(person.id, () => raj.post(api.deadlineMet(person.id, review.id, pova), { lateReason: 'Late' }), 404);
    const before = await lastAuditId(t);
    assert.equal((await tom.post(api.deadlineMet(person.id, review.id, pova), { lateReason: 'The POVA lead was on leave' })).statusCode, 200);
    assert.deepEqual(await state(), [['RISK-2', 'met', false, null], ['RISK-8', 'met', true, 'The POVA lead was on leave']]);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_id, e.details]), [['risk.deadline_met', pova, { review: review.id, ruleId: 'RISK-8', late: true }]]);
  });

  test('reviews are append-only: the database refuses to change or remove one', async () => {
    const person = await world.person();
    const review = json(await tom.post(api.reviews(person.id), world.reviewBody()));
    await assert.rejects(t.pool.query(`update risk_review set level = 'low' where id = $1`, [review.id]));
    await assert.rejects(t.pool.query('delete from risk_review where id = $1', [review.id]));
  });
});
