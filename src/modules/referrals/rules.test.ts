import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  allocationEvent,
  allocatorProblem,
  allowedEvents,
  categoryChoiceProblem,
  coordinatorProblem,
  eligibilityProblems,
  isReReferral,
  mayAllocateBeforeMdt,
  missingInformation,
  REFERRAL_STATES,
  RISK_LEVELS,
  screeningEvent,
  screeningProblems,
  suggestCategory,
  transition,
  type ReferralEvent,
  type ReferralState,
  type RiskAnswers,
} from './rules.js';

const none: RiskAnswers = { unintentionalSelfHarm: 'none', intentionalSelfHarm: 'none', harmToOthers: 'none', abuseByOthers: 'none' };

describe('screening suggestion (REF-3)', () => {
  test('any immediate risk is an emergency', () => {
    const s = suggestCategory({ ...none, harmToOthers: 'immediate', intentionalSelfHarm: 'potential' }, false);
    assert.equal(s.category, 'emergency');
    assert.match(s.because, /harm to others/);
  });

  test('a potential risk, an unknown risk, or an automatically urgent source is urgent', () => {
    assert.equal(suggestCategory({ ...none, abuseByOthers: 'potential' }, false).category, 'urgent');
    assert.equal(suggestCategory({ ...none, unintentionalSelfHarm: 'unknown' }, false).category, 'urgent');
    assert.equal(suggestCategory(none, true).category, 'urgent');
  });

  test('no risk and an ordinary source is routine', () => {
    assert.deepEqual(suggestCategory(none, false), { category: 'routine', because: 'No immediate or potential risk' });
  });

  test('the suggestion is never less urgent than the worst risk, for every combination', () => {
    const level = fc.constantFrom(...RISK_LEVELS);
    fc.assert(
      fc.property(level, level, level, level, fc.boolean(), (a, b, c, d, auto) => {
        const answers: RiskAnswers = { unintentionalSelfHarm: a, intentionalSelfHarm: b, harmToOthers: c, abuseByOthers: d };
        const { category } = suggestCategory(answers, auto);
        const levels = [a, b, c, d];
        if (levels.includes('immediate')) return category === 'emergency';
        if (levels.includes('potential') || levels.includes('unknown') || auto) return category === 'urgent';
        return category === 'routine';
      }),
    );
  });

  test('choosing another category needs a reason', () => {
    assert.equal(categoryChoiceProblem('urgent', 'urgent', null), null);
    assert.match(categoryChoiceProblem('routine', 'urgent', 'no')!, /give the reason/);
    assert.equal(categoryChoiceProblem('inappropriate', 'routine', 'Needs a housing service, not mental health'), null);
  });
});

describe('what a screening decision records (REF-3, REF-4)', () => {
  const decision = { category: 'routine' as const, reason: null, signposting: null, notAssessingReason: null };

  test('the suggested category needs nothing more', () => {
    assert.deepEqual(screeningProblems(decision, 'routine'), []);
    assert.equal(screeningEvent('routine'), 'screen');
  });

  test('departing from the suggestion needs the reason', () => {
    assert.deepEqual(screeningProblems(decision, 'urgent'), [{ field: 'reason', message: 'REF-3: You chose routine rather than the suggested urgent: give the reason (10 characters or more)' }]);
    assert.deepEqual(screeningProblems({ ...decision, reason: 'Known to the team, settled' }, 'urgent'), []);
  });

  test('inappropriate signposts: it needs the advice given and the reasons for not assessing, each named by its field', () => {
    const inappropriate = { ...decision, category: 'inappropriate' as const, reason: 'Needs a housing service, not mental health' };
    assert.equal(screeningEvent('inappropriate'), 'screen_inappropriate');
    assert.deepEqual(screeningProblems(inappropriate, 'routine'), [
      { field: 'signposting', message: 'REF-3: record the advice and signposting to other services' },
      { field: 'notAssessingReason', message: 'REF-4: a decision not to assess needs its reasons recorded' },
    ]);
    assert.deepEqual(screeningProblems({ ...inappropriate, signposting: 'Harbour Housing advice line', notAssessingReason: 'No mental health need' }, 'routine'), []);
  });
});

describe('referral states', () => {
  test('the journey from receipt to allocation', () => {
    let state: ReferralState = REFERRAL_STATES[0];
    for (const event of ['screen', 'start_assessment', 'decide_eligible', 'place_on_waiting_list', 'allocate'] as ReferralEvent[]) {
      const result = transition(state, event);
      assert.ok(result.ok, `${event} from ${state}`);
      state = result.to;
    }
    assert.equal(state, 'allocated');
  });

  test('an illegal step is refused with a message naming the rule', () => {
    const result = transition('received', 'allocate');
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : '', /^COORD-1: a referral that is "received" cannot be moved this way/);
  });

  test('a refusal’s code is its rule unless the step names its own', () => {
    const result = transition('allocated', 'screen');
    assert.deepEqual(result.ok ? null : [result.rule, result.code], ['REF-3', 'REF-3']);
  });

  test('contact and assessment are recorded once screened: the first starts the assessment (ELIG-1)', () => {
    assert.deepEqual(transition('screened', 'record_contact'), { ok: true, to: 'assessing', rule: 'ELIG-1' });
    assert.deepEqual(transition('assessing', 'record_contact'), { ok: true, to: 'assessing', rule: 'ELIG-1' });
    for (const state of REFERRAL_STATES.filter((s) => s !== 'screened' && s !== 'assessing')) {
      const result = transition(state, 'record_contact');
      assert.equal(result.ok, false, state);
      if (!result.ok) assert.equal(result.code, 'WRONG_STATE');
    }
    const received = transition('received', 'record_contact');
    assert.equal(received.ok ? '' : received.message, 'ELIG-1: contact and assessment are recorded once a referral is screened; this one is received.');
  });

  test('risk is re-checked only while waiting, and the referral stays waiting (WAIT-1)', () => {
    assert.deepEqual(transition('waiting', 'recheck_risk'), { ok: true, to: 'waiting', rule: 'WAIT-1' });
    const eligible = transition('eligible', 'recheck_risk');
    assert.deepEqual(eligible.ok ? null : [eligible.rule, eligible.code, eligible.message], ['WAIT-1', 'WRONG_STATE', 'WAIT-1: risk is re-checked while a person waits for allocation; this referral is not on the waiting list.']);
  });

  test('each state allows the steps of its part of the journey', () => {
    assert.deepEqual(allowedEvents('received'), ['request_information', 'screen', 'screen_inappropriate', 'withdraw']);
    assert.deepEqual(allowedEvents('screened'), ['request_information', 'start_assessment', 'record_contact', 'allocate_urgently', 'withdraw']);
    assert.deepEqual(allowedEvents('waiting'), ['recheck_risk', 'allocate', 'withdraw']);
  });

  test('nothing moves out of allocated, signposted, not eligible or withdrawn', () => {
    for (const end of ['allocated', 'signposted', 'not_eligible', 'withdrawn'] as const) assert.deepEqual(allowedEvents(end), []);
  });
});

describe('enough information (REF-2)', () => {
  const facts = {
    reason: 'Low mood',
    presentingNeeds: null,
    risks: { unintentionalSelfHarm: 'none', intentionalSelfHarm: 'unknown', harmToOthers: 'none', abuseByOthers: 'none' } as RiskAnswers,
    consentToReferral: 'yes' as const,
    referrerContact: '0191 496 0000',
    person: { dateOfBirth: null, nhsNumber: null, postcode: 'NE1 4ST', addressLine1: null },
  };

  test('lists only what the service requires and the referral lacks', () => {
    assert.deepEqual(missingInformation(['reason', 'presenting_needs', 'risk_assessment', 'address', 'date_of_birth'], facts), ['presenting_needs', 'risk_assessment', 'date_of_birth']);
    assert.deepEqual(missingInformation([], facts), []);
  });
});

describe('eligibility (ELIG-2, ELIG-3)', () => {
  const base = { eligible: true, seriousMentalIllness: true, risks: false, levelOfNeed: 'substantial' as const, participants: ['Priya Raman', 'Tom Okafor'], signposting: null };

  test('a consistent eligible decision has no problems', () => {
    assert.deepEqual(eligibilityProblems(base), []);
  });

  test('eligible needs illness or risk, and critical or substantial need; the MDT is more than one person', () => {
    const problems = eligibilityProblems({ ...base, seriousMentalIllness: false, levelOfNeed: 'moderate', participants: ['Priya Raman'] });
    assert.deepEqual(problems.map((p) => p.field), ['participants', 'eligible', 'levelOfNeed']);
  });

  test('not eligible needs the signposting given', () => {
    assert.deepEqual(eligibilityProblems({ ...base, eligible: false }).map((p) => p.field), ['signposting']);
    assert.deepEqual(eligibilityProblems({ ...base, eligible: false, signposting: 'Talking therapies, self-referral' }), []);
  });

  test('urgent need is not held up by the MDT', () => {
    assert.equal(mayAllocateBeforeMdt('emergency'), true);
    assert.equal(mayAllocateBeforeMdt('urgent'), true);
    assert.equal(mayAllocateBeforeMdt('routine'), false);
    assert.equal(transition('assessing', 'allocate_urgently').ok, true);
  });
});

describe('allocation (COORD-1, COORD-2)', () => {
  test('emergency and urgent referrals are allocated before the MDT while screened or being assessed; otherwise after eligibility', () => {
    for (const category of ['emergency', 'urgent'] as const) {
      assert.equal(allocationEvent('screened', category), 'allocate_urgently');
      assert.equal(allocationEvent('assessing', category), 'allocate_urgently');
      assert.equal(allocationEvent('eligible', category), 'allocate');
      assert.equal(allocationEvent('waiting', category), 'allocate');
    }
    assert.equal(allocationEvent('screened', 'routine'), 'allocate');
    assert.equal(allocationEvent('assessing', null), 'allocate');
  });

  test('a routine referral being assessed is refused, naming COORD-1', () => {
    const result = transition('assessing', allocationEvent('assessing', 'routine'));
    assert.equal(result.ok ? '' : result.message, 'COORD-1: a referral that is "assessing" cannot be moved this way; it must be eligible, waiting for allocation.');
  });

  test('only the receiving team allocates', () => {
    assert.equal(allocatorProblem('cmht', 'cmht'), null);
    assert.equal(allocatorProblem('cmht', 'crisis-team'), 'COORD-2: allocation is made by a manager of the receiving team.');
  });

  test('the coordinator is one of the team’s care coordinators', () => {
    assert.equal(coordinatorProblem(['tom', 'grace'], 'grace'), null);
    assert.deepEqual(coordinatorProblem(['tom', 'grace'], 'priya'), { field: 'coordinatorUserId', message: 'COORD-1: select a care coordinator in this team' });
    assert.notEqual(coordinatorProblem([], 'tom'), null);
  });
});

describe('re-referrals (REF-7)', () => {
  test('within 12 months of the last case closing', () => {
    const received = new Date('2026-06-01T10:00:00Z');
    assert.equal(isReReferral(received, new Date('2025-06-02T00:00:00Z')), true);
    assert.equal(isReReferral(received, new Date('2025-05-31T00:00:00Z')), false);
    assert.equal(isReReferral(received, null), false);
  });
});
