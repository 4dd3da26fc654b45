import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkEscalation, ladderApplies, nextOnLadder } from './escalation-rules.js';

describe('escalating a concern about children (RISK-7)', () => {
  const raised = (step: 'senior_and_line_manager' | 'head_of_service') => ({ kind: 'raised' as const, step, outcome: null });
  const answered = (step: 'senior_and_line_manager' | 'head_of_service', outcome: 'progressed' | 'not_progressed') => ({ kind: 'answered' as const, step, outcome });

  test('the ladder goes practitioner → Senior / Principal Practitioner and line manager → Head of Service, each step with its answer', () => {
    assert.deepEqual(nextOnLadder([]), { may: 'raise', step: 'senior_and_line_manager' });
    assert.deepEqual(nextOnLadder([raised('senior_and_line_manager')]), { may: 'answer', step: 'senior_and_line_manager' });
    assert.deepEqual(nextOnLadder([raised('senior_and_line_manager'), answered('senior_and_line_manager', 'not_progressed')]), { may: 'raise', step: 'head_of_service' });
    assert.equal(nextOnLadder([raised('senior_and_line_manager'), answered('senior_and_line_manager', 'progressed')]).may, 'nothing');
    assert.equal(nextOnLadder([raised('senior_and_line_manager'), answered('senior_and_line_manager', 'not_progressed'), raised('head_of_service'), answered('head_of_service', 'not_progressed')]).may, 'nothing');
  });

  test('it applies to a risk to children, or to children about the home under the protocol', () => {
    assert.equal(ladderApplies({ answers: { risk_to_children: 'yes' }, followUps: {} }), true);
    assert.equal(ladderApplies({ answers: { risk_to_children: 'no' }, followUps: { childrenInContact: 'yes' } }), true);
    assert.equal(ladderApplies({ answers: { risk_to_children: 'no' }, followUps: { childrenInContact: 'no' } }), false);
    assert.equal(ladderApplies({ answers: { risk_to_children: 'dont_know' }, followUps: {} }), false);
  });

  test('a step is checked as the ladder allows it: who, the concern, the answer; nothing after the end', () => {
    assert.deepEqual(checkEscalation([], { raisedWith: ' ', text: 'x'.repeat(2001) }), {
      problems: [
        { field: 'raisedWith', message: 'Enter who you raised the concern with (Senior / Principal Practitioner and line manager)' },
        { field: 'text', message: 'This must be 2,000 characters or fewer' },
      ],
    });
    assert.deepEqual(checkEscalation([raised('senior_and_line_manager')], { outcome: 'maybe', text: 'Will chase' }), { problems: [{ field: 'outcome', message: 'Select whether they progressed the matter' }] });
    assert.deepEqual(checkEscalation([raised('senior_and_line_manager')], { outcome: 'not_progressed', text: 'No reply from children’s services' }), {
      step: { kind: 'answered', step: 'senior_and_line_manager', outcome: 'not_progressed', text: 'No reply from children’s services' },
    });
    assert.equal((checkEscalation([raised('senior_and_line_manager'), answered('senior_and_line_manager', 'progressed')], {}) as { refusal: string }).refusal, 'The concern was acted on: the escalation is closed.');
  });
});
