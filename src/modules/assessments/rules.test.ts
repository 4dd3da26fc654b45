import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { INFORMATION_CATEGORIES } from '../../platform/access/sharing-terms.js';
import {
  addMonthsToDate, agreementSchema, clockOnCompletion, completionProblems, DOMAIN_KEYS, DOMAINS, domainProblems, domainSchema, domainState, escalationStepRefusal, outcomeState, type DomainAnswer,
} from './rules.js';

const answered: DomainAnswer = { status: 'assessed', needs: 'Needs help', strengths: null, ownWords: null, source: 'The person', verified: 'yes', unverifiedReason: null, notAssessedReason: null };
const outcome = { goals: 'Stay well', options: 'CMHT support', nextSteps: 'Weekly visits', agenciesToInvolve: 'Harbour Housing' };
const everyDomain = Object.fromEntries(DOMAIN_KEYS.map((k) => [k, answered]));

describe('assessment domains (ASSESS-2)', () => {
  test('sixteen domains, each with a real information category, abuse among them', () => {
    assert.equal(DOMAINS.length, 16);
    assert.equal(new Set(DOMAIN_KEYS).size, 16);
    for (const d of DOMAINS) assert.ok((INFORMATION_CATEGORIES as readonly string[]).includes(d.category), d.key);
    assert.ok(DOMAIN_KEYS.includes('abuse'));
  });

  test('a domain is answered with needs or strengths, its source, and whether it was verified (and if not, why: REC-2)', () => {
    assert.deepEqual(domainProblems('housing_household', answered), []);
    assert.deepEqual(domainProblems('housing_household', { ...answered, verified: 'no' }).map((p) => p.field), ['unverifiedReason']);
    assert.deepEqual(domainProblems('housing_household', { ...answered, needs: null, source: null, verified: null }).map((p) => p.field), ['needs', 'source', 'verified']);
    assert.deepEqual(domainProblems('housing_household', { ...answered, needs: null, strengths: 'Good neighbours' }), []);
  });

  test('a domain may be left out with a reason, except abuse, which is asked of everyone', () => {
    const notAssessed = { ...answered, status: 'not_assessed' as const, notAssessedReason: 'Not relevant: no children' };
    assert.deepEqual(domainProblems('childcare_parenting', notAssessed), []);
    assert.deepEqual(domainProblems('childcare_parenting', { ...notAssessed, notAssessedReason: null }).map((p) => p.field), ['notAssessedReason']);
    assert.match(domainProblems('abuse', notAssessed)[0]!.message, /asked of everyone/);
    assert.match(domainProblems('abuse', undefined)[0]!.message, /Ask about abuse/);
  });

  test('the draft schema takes partial answers but refuses text that is too long and values not on the list', () => {
    assert.equal(domainSchema.safeParse({ needs: 'Some' }).success, true);
    assert.equal(domainSchema.safeParse({ needs: 'x'.repeat(5_001) }).success, false);
    assert.equal(domainSchema.safeParse({ verified: 'maybe' }).success, false);
    assert.equal(domainSchema.safeParse({ status: 'assessed', needs: '   ' }).data?.needs, null);
  });

  test('sections read as not started, in progress or completed', () => {
    assert.equal(domainState('risk', undefined), 'not_started');
    assert.equal(domainState('risk', { ...answered, source: null }), 'in_progress');
    assert.equal(domainState('risk', answered), 'completed');
    assert.equal(outcomeState(null), 'not_started');
    assert.equal(outcomeState({ ...outcome, goals: null }), 'in_progress');
    assert.equal(outcomeState(outcome), 'completed');
  });
});

describe('completing an assessment (ASSESS-2, ASSESS-3)', () => {
  test('complete when every domain is answered and the outcome is whole', () => {
    assert.deepEqual(completionProblems({ domains: everyDomain, outcome }), []);
  });

  test('each unanswered domain and a missing outcome are named; abuse in its own words', () => {
    const { abuse: _abuse, risk: _risk, ...rest } = everyDomain;
    const problems = completionProblems({ domains: rest, outcome: { ...outcome, agenciesToInvolve: null } });
    assert.deepEqual(problems.map((p) => p.field), ['domain-abuse', 'domain-risk', 'outcome']);
    assert.equal(problems[0]!.message, 'Ask about abuse: it is asked of everyone (ASSESS-2)');
    assert.equal(problems[1]!.message, 'Risk: select whether risk was assessed');
    assert.match(problems[2]!.message, /^Outcome: enter which other agencies to involve/);
  });
});

describe('agreement before assessment (ASSESS-1)', () => {
  test('agreed, or a reason why it could not be sought; a person who declined is not assessed', () => {
    assert.equal(agreementSchema.safeParse({ kind: 'core', assessmentAgreement: 'agreed', sharingAgreement: 'declined' }).success, true);
    const noReason = agreementSchema.safeParse({ kind: 'core', assessmentAgreement: 'could_not_ask', sharingAgreement: 'agreed' });
    assert.deepEqual(noReason.error?.issues.map((i) => i.path.join('.')), ['couldNotAskReason']);
    const declined = agreementSchema.safeParse({ kind: 'core', assessmentAgreement: 'declined', sharingAgreement: 'agreed' });
    assert.match(declined.error!.issues[0]!.message, /needs their agreement/);
  });
});

describe('assessment clocks (ASSESS-4, ASSESS-5)', () => {
  test('months are calendar months, clamped to the end of a shorter month', () => {
    assert.equal(addMonthsToDate('2026-03-03', 6), '2026-09-03');
    assert.equal(addMonthsToDate('2026-08-31', 6), '2027-02-28');
    assert.equal(addMonthsToDate('2026-11-30', 3), '2027-02-28');
  });

  test('a core assessment is reviewed within six months; short-term work needs a core assessment after three', () => {
    const core = clockOnCompletion('core', new Date('2026-03-03T10:00:00Z'));
    assert.deepEqual([core.kind, core.ruleId, core.dueAt.toISOString()], ['assessment.review', 'ASSESS-4', '2026-09-03T22:59:59.999Z']);
    const short = clockOnCompletion('short_term', new Date('2026-03-03T10:00:00Z'));
    assert.deepEqual([short.kind, short.ruleId, short.dueAt.toISOString()], ['assessment.core_needed', 'ASSESS-5', '2026-06-03T22:59:59.999Z']);
  });
});

describe('escalating difficulty getting information (ASSESS-6)', () => {
  test('up the ladder, supervisor, manager, onward (as often as needed), never back down, and not once resolved', () => {
    assert.equal(escalationStepRefusal([], 'supervisor'), null);
    assert.equal(escalationStepRefusal([], 'manager'), null);
    assert.match(escalationStepRefusal([], 'onward')!, /supervisor or manager first/);
    assert.equal(escalationStepRefusal([{ step: 'supervisor', resolved: false }], 'manager'), null);
    assert.match(escalationStepRefusal([{ step: 'manager', resolved: false }], 'supervisor')!, /already been taken to the manager/);
    assert.match(escalationStepRefusal([{ step: 'manager', resolved: false }], 'manager')!, /take it further/);
    assert.equal(escalationStepRefusal([{ step: 'manager', resolved: false }, { step: 'onward', resolved: false }], 'onward'), null);
    assert.match(escalationStepRefusal([{ step: 'supervisor', resolved: true }], 'manager')!, /resolved/);
  });
});
