import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkReview,
  CONSIDERATION_KEYS,
  CONSIDERATIONS,
  dutiesToStart,
  followUpsFor,
  guidedActions,
  stageOf,
  type Answer,
  type Answers,
  type CheckedReview,
} from './rules.js';

const allAnswered = (answer: Answer, overrides: Partial<Answers> = {}): Answers => ({ ...Object.fromEntries(CONSIDERATION_KEYS.map((k) => [k, answer])), ...overrides }) as Answers;
/** Everyone's capacity intact and no risk: the quietest review there is. */
const QUIET = allAnswered('no', { capacity: 'yes' });
const ids = (answers: Answers, followUps = {}) => guidedActions(answers, followUps).map((a) => a.id);
const allDone = (answers: Answers, followUps = {}) => Object.fromEntries(guidedActions(answers, followUps).map((a) => [a.id, { status: 'done' }]));
const complete = (answers: Answers, followUps: Record<string, string> = {}, actions: Record<string, unknown> = allDone(answers, followUps as never)) => ({
  answers,
  followUps,
  actions,
  level: 'medium',
  evidence: 'Seen at home; said they feel safe.',
  mappaLevel: 'none',
});
const problemsOf = (input: unknown) => {
  const checked = checkReview(input);
  return 'problems' in checked ? Object.fromEntries(checked.problems.map((p) => [p.field, p.message])) : {};
};
const reviewOf = (input: unknown): CheckedReview => {
  const checked = checkReview(input);
  assert.ok('review' in checked, JSON.stringify(checked));
  return checked.review;
};

describe('risk considerations (RISK-2)', () => {
  test('the eight considerations of §23, in the handbook’s order, capacity asked as the handbook asks it', () => {
    assert.deepEqual(CONSIDERATIONS.map((c) => c.section), ['23.1', '23.2', '23.3', '23.4', '23.5', '23.6', '23.7', '23.8']);
    assert.equal(CONSIDERATIONS.at(-1)!.question, 'Does the service user have capacity to make their own decisions?');
  });

  test('“Don’t know” always brings asking the person, recording all actions and using all sources, for every consideration', () => {
    const actions = guidedActions(allAnswered('dont_know'), {});
    for (const key of CONSIDERATION_KEYS) {
      const own = actions.filter((a) => a.consideration === key).map((a) => a.text);
      assert.deepEqual(own.slice(0, 3), ['Ask the service user.', 'Record all actions, concerns and interventions taken.', 'Ensure all available sources of information have been used.'], key);
    }
    // §23.4 adds its own to the three.
    assert.deepEqual(actions.filter((a) => a.consideration === 'harm_from_others').map((a) => a.key), ['ask', 'record', 'sources', 'line_manager', 'pova_lead', 'disclosure']);
  });

  test('a Yes brings the handbook’s actions for that answer; No to harm brings none', () => {
    assert.deepEqual(ids(QUIET), ['risk_to_children.record', 'capacity.keep_reviewing']);
    const pova = guidedActions({ ...QUIET, harm_from_others: 'yes' }, {}).filter((a) => a.consideration === 'harm_from_others');
    assert.deepEqual(pova.map((a) => a.text), ['Follow the referral pathway for the Protection of Vulnerable Adults (POVA).', 'Seek advice from the POVA leads within the Trust or local authority, if needed.', 'Record all actions, concerns and interventions taken.']);
    assert.equal(pova[0]!.duty?.ruleId, 'RISK-8');
  });

  test('capacity: “No” is the answer that brings the IMCA referral, and only where the handbook’s circumstances apply (RISK-9)', () => {
    const lacking = { ...QUIET, capacity: 'no' as const };
    assert.deepEqual(followUpsFor(lacking).map((f) => f.key), ['childrenInContact', 'childrenCaring', 'imcaCircumstance']);
    assert.deepEqual(ids(lacking, { imcaCircumstance: 'no' }).filter((id) => id.startsWith('capacity')), []);
    const imca = guidedActions(lacking, { imcaCircumstance: 'yes' }).find((a) => a.id === 'capacity.imca');
    assert.equal(imca?.duty?.ruleId, 'RISK-9');
  });

  test('harm to others: the MAPPA referral is prompted only when the risks can only be managed by agencies together (RISK-6)', () => {
    const harm = { ...QUIET, harm_to_others: 'yes' as const };
    assert.ok(followUpsFor(harm).some((f) => f.key === 'multiAgencyOnly'));
    assert.ok(!ids(harm, { multiAgencyOnly: 'no' }).includes('harm_to_others.mappa_referral'));
    assert.ok(ids(harm, { multiAgencyOnly: 'yes' }).includes('harm_to_others.mappa_referral'));
  });

  test('risk to children: child protection and a joint assessment; children caring for the parent bring a young carers referral (RISK-7)', () => {
    const risk = guidedActions({ ...QUIET, risk_to_children: 'yes' }, { childrenCaring: 'yes' });
    assert.deepEqual(risk.filter((a) => a.duty).map((a) => [a.key, a.duty!.ruleId]), [['child_protection', 'RISK-7'], ['joint_assessment', 'RISK-7'], ['young_carers', 'RISK-7']]);
    assert.deepEqual(ids(QUIET, { childrenInContact: 'yes' }).filter((id) => id.startsWith('risk_to_children')), ['risk_to_children.protocol', 'risk_to_children.escalate', 'risk_to_children.record']);
  });
});

describe('completing a review', () => {
  test('a review with every consideration answered and every action recorded is complete, follow-ups not asked left out', () => {
    const review = reviewOf(complete(QUIET, { childrenInContact: 'no', childrenCaring: 'no', multiAgencyOnly: 'yes' }));
    assert.deepEqual(review.followUps, { childrenInContact: 'no', childrenCaring: 'no' });
    assert.deepEqual(review.actions.map((a) => [a.id, a.status]), [['risk_to_children.record', 'done'], ['capacity.keep_reviewing', 'done']]);
    assert.equal(review.level, 'medium');
  });

  test('a consideration unanswered, or answered with something else, is refused naming it', () => {
    const { capacity: _, ...seven } = QUIET;
    assert.deepEqual(problemsOf(complete({ ...seven, self_harm: 'maybe' } as never, { childrenInContact: 'no', childrenCaring: 'no' })), {
      'answers.self_harm': 'Select Yes, No or Don’t know for risk of self-harm',
      'answers.capacity': 'Select Yes, No or Don’t know for risks associated with diminished capacity',
    });
    assert.equal(stageOf({ answers: seven }).stage, 'considerations');
  });

  test('a Yes whose guided actions are not all recorded is refused, naming each one; not done needs a reason', () => {
    const answers = { ...QUIET, wandering_falling: 'yes' as const };
    const followUps = { childrenInContact: 'no', childrenCaring: 'no' };
    const actions = { ...allDone(answers, followUps), 'wandering_falling.plan': undefined, 'wandering_falling.falls': { status: 'not_done', note: '  ' } };
    assert.deepEqual(problemsOf(complete(answers, followUps, actions)), {
      'actions.wandering_falling.falls.note': 'Say why this was not done, or what happens next: Undertake a ‘Falls Risk’ assessment.',
      'actions.wandering_falling.plan': 'Record whether this was done: Agree a Risk Management Plan.',
    });
    assert.deepEqual(problemsOf(complete(answers, followUps, { ...allDone(answers, followUps), 'self_harm.pathway': { status: 'done' } })), {
      actions: 'These are not guided actions for the answers given: self_harm.pathway',
    });
  });

  test('a follow-up the answers bring must be answered; missing level, evidence or MAPPA level are each named; too long is refused', () => {
    const answers = { ...QUIET, harm_to_others: 'yes' as const };
    assert.equal(stageOf({ answers }).stage, 'follow_ups');
    assert.deepEqual(problemsOf({ answers, followUps: { childrenInContact: 'no', childrenCaring: 'no' }, evidence: 'x'.repeat(4001) }), {
      'followUps.multiAgencyOnly': 'Select Yes or No: Do you believe the risks can only be managed through multi-agency cooperation?',
      level: 'Select the level of risk',
      evidence: 'The evidence must be 4,000 characters or fewer',
      mappaLevel: 'Select the MAPPA level, or that the person is not managed under MAPPA',
    });
  });

  test('an action someone must do that is not yet done starts one deadline per duty, due in working days', () => {
    const answers = { ...QUIET, harm_to_others: 'yes' as const, criminal_justice: 'yes' as const, harm_from_others: 'yes' as const };
    const followUps = { multiAgencyOnly: 'yes', childrenInContact: 'no', childrenCaring: 'no' };
    const actions = { ...allDone(answers, followUps), 'harm_to_others.mappa_referral': { status: 'not_done', note: 'At the next MDT' }, 'criminal_justice.mappa_referral': { status: 'not_done', note: 'With probation' }, 'harm_from_others.pova': { status: 'not_done', note: 'Today' } };
    const review = reviewOf(complete(answers, followUps, actions));
    // Friday 6 March 2026: the next working day is Monday 9 March.
    const duties = dutiesToStart(review, new Date('2026-03-06T15:00:00Z'));
    assert.deepEqual(duties.map((d) => [d.ruleId, d.actionIds, d.dueAt.toISOString()]), [
      ['RISK-6', ['harm_to_others.mappa_referral', 'criminal_justice.mappa_referral'], '2026-03-13T23:59:59.999Z'],
      ['RISK-8', ['harm_from_others.pova'], '2026-03-09T23:59:59.999Z'],
    ]);
    assert.deepEqual(dutiesToStart(reviewOf(complete(answers, followUps)), new Date('2026-03-06T15:00:00Z')), [], 'done at the review: no deadline');
  });
});
