import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  allowedEvents,
  categoryChoiceProblem,
  CATEGORIES,
  eligibilityProblems,
  isReReferral,
  mayAllocateBeforeMdt,
  missingInformation,
  REFERRAL_STATES,
  RISK_LEVELS,
  screeningDeadlines,
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

describe('response deadlines (REF-3 defaults)', () => {
  // Monday 2 March 2026, 10:00 London (GMT).
  const received = new Date('2026-03-02T10:00:00Z');

  test('emergency: face-to-face within 6 hours', () => {
    const [assessment] = screeningDeadlines('emergency', received);
    assert.equal(assessment!.kind, 'referral.assessment');
    assert.equal(assessment!.dueAt.toISOString(), '2026-03-02T16:00:00.000Z');
  });

  test('urgent: contact within 2 days, assessment within 5 working days', () => {
    const [contact, assessment] = screeningDeadlines('urgent', received);
    assert.equal(contact!.dueAt.toISOString(), '2026-03-04T23:59:59.999Z');
    assert.equal(assessment!.dueAt.toISOString(), '2026-03-09T23:59:59.999Z');
  });

  test('routine: contact within 7 working days, face-to-face within 6 weeks, counting bank holidays', () => {
    // Received Thursday 2 April 2026: Good Friday 3 April and Easter Monday 6 April are not working days.
    const [contact, assessment] = screeningDeadlines('routine', new Date('2026-04-02T09:00:00Z'));
    // Tue 7, Wed 8, Thu 9, Fri 10, Mon 13, Tue 14, Wed 15: the seventh working day.
    assert.equal(contact!.dueAt.toISOString(), '2026-04-15T22:59:59.999Z', 'end of Wednesday 15 April, London (BST)');
    assert.equal(assessment!.dueAt.toISOString(), '2026-05-14T22:59:59.999Z');
  });

  test('inappropriate starts no clock', () => {
    assert.deepEqual(screeningDeadlines('inappropriate', received), []);
  });

  test('every category is covered', () => {
    for (const category of CATEGORIES) assert.ok(Array.isArray(screeningDeadlines(category, received)));
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

describe('re-referrals (REF-7)', () => {
  test('within 12 months of the last case closing', () => {
    const received = new Date('2026-06-01T10:00:00Z');
    assert.equal(isReReferral(received, new Date('2025-06-02T00:00:00Z')), true);
    assert.equal(isReReferral(received, new Date('2025-05-31T00:00:00Z')), false);
    assert.equal(isReReferral(received, null), false);
  });
});
