import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { allowedCommands, CASE_STATES, decideCase, type CaseDecision, type CaseFacts, type CaseRefusal, type OpenCase } from './rules.js';

// Monday 2 March 2026, 10:00 London (GMT).
const now = new Date('2026-03-02T10:00:00Z');

const opening: OpenCase = {
  kind: 'open',
  personId: 'person-1',
  referralId: 'referral-1',
  teamId: 'cmht',
  agencyId: 'riverside-nhs',
  leadAgencyId: 'riverside-nhs',
  leadAgencyAgreed: true,
  coordinatorUserId: 'tom',
  reasons: 'Knows the family; the person asked for him',
  considerations: ['expertise', 'persons_wishes'],
  by: 'priya',
};

const openCase: CaseFacts = {
  personId: 'person-1',
  referralId: 'referral-1',
  teamId: 'cmht',
  agencyId: 'riverside-nhs',
  leadAgencyId: 'riverside-nhs',
  coordinatorUserId: 'tom',
  state: 'open',
  openedAt: new Date('2026-01-05T09:00:00Z'),
  closedAt: null,
};

function accepted(decision: CaseDecision | CaseRefusal): CaseDecision {
  assert.equal(decision.refused, false, decision.refused ? decision.message : '');
  return decision as CaseDecision;
}

function refused(decision: CaseDecision | CaseRefusal): CaseRefusal {
  assert.equal(decision.refused, true, 'refused');
  return decision as CaseRefusal;
}

describe('opening a case at allocation (COORD-1 to COORD-3)', () => {
  test('the case opens with its one coordinator, allocated with the reasons and what was weighed', () => {
    const { case: opened, events } = accepted(decideCase(null, opening, now));
    assert.deepEqual(opened, { ...openCase, openedAt: now });
    assert.deepEqual(events, [
      { type: 'coordinator_allocated', userId: 'tom', reasons: opening.reasons, considerations: ['expertise', 'persons_wishes'], by: 'priya', at: now },
      { type: 'lead_agency_involved', agencyId: 'riverside-nhs', teamId: 'cmht', by: 'priya', at: now },
    ]);
  });

  test('another agency leading is involved as an agency, not through the receiving team', () => {
    const { events } = accepted(decideCase(null, { ...opening, leadAgencyId: 'northshire-council' }, now));
    assert.deepEqual(events.find((e) => e.type === 'lead_agency_involved'), { type: 'lead_agency_involved', agencyId: 'northshire-council', teamId: null, by: 'priya', at: now });
  });

  test('a lead agency not agreed needs a case meeting, owned by the coordinator, within 10 working days (COORD-3)', () => {
    const { events } = accepted(decideCase(null, { ...opening, leadAgencyAgreed: false }, now));
    assert.deepEqual(events.at(-1), {
      type: 'case_meeting_required',
      rule: 'COORD-3',
      title: 'Hold a case meeting: the lead agency is not agreed',
      ownerUserId: 'tom',
      dueAt: new Date('2026-03-16T23:59:59.999Z'),
      by: 'priya',
    });
  });

  test('the 10 working days skip bank holidays', () => {
    // Allocated Thursday 2 April 2026: Good Friday and Easter Monday are not working days.
    const { events } = accepted(decideCase(null, { ...opening, leadAgencyAgreed: false }, new Date('2026-04-02T09:00:00Z')));
    const meeting = events.find((e) => e.type === 'case_meeting_required');
    assert.equal(meeting?.type === 'case_meeting_required' ? meeting.dueAt.toISOString() : '', '2026-04-20T22:59:59.999Z', 'end of Monday 20 April, London (BST)');
  });

  test('a case opens once: a second opening is refused, naming COORD-1', () => {
    for (const state of CASE_STATES) {
      const refusal = refused(decideCase({ ...openCase, state }, opening, now));
      assert.deepEqual([refusal.rule, refusal.code], ['COORD-1', 'CASES.ALREADY_OPEN'], state);
    }
  });

  test('a case never opens without its named coordinator (COORD-1) or the reasons for the choice (COORD-2)', () => {
    assert.deepEqual(pick(refused(decideCase(null, { ...opening, coordinatorUserId: '' }, now))), ['COORD-1', 'CASES.NO_COORDINATOR', 'COORD-1: a case opens with one named care coordinator.']);
    for (const missing of [{ reasons: '  ' }, { considerations: [] }]) {
      assert.deepEqual(pick(refused(decideCase(null, { ...opening, ...missing }, now))), ['COORD-2', 'CASES.NO_REASONS', 'COORD-2: record the reasons for the allocation and what was considered.']);
    }
  });
});

describe('closing a case', () => {
  const closedAt = new Date('2026-06-01T12:00:00Z');

  test('from every state but closed: the coordinator’s role and the involvements end with it', () => {
    for (const state of CASE_STATES.filter((s) => s !== 'closed')) {
      const { case: closed, events } = accepted(decideCase({ ...openCase, state }, { kind: 'close', reason: 'Discharged to the GP' }, closedAt));
      assert.deepEqual(closed, { ...openCase, state: 'closed', closedAt }, state);
      assert.deepEqual(events, [
        { type: 'coordinator_role_ended', at: closedAt },
        { type: 'involvements_ended', reason: 'Discharged to the GP', at: closedAt },
      ]);
    }
  });

  test('a closed case is not closed again, and there is no closing a case that does not exist', () => {
    assert.deepEqual(pick(refused(decideCase({ ...openCase, state: 'closed', closedAt }, { kind: 'close', reason: 'again' }, now))), ['DCH-4', 'CASES.ALREADY_CLOSED', 'This case is already closed.']);
    assert.deepEqual(pick(refused(decideCase(null, { kind: 'close', reason: 'none' }, now))), ['DCH-4', 'CASES.NOT_FOUND', 'There is no case with that reference.']);
  });
});

describe('the transition table', () => {
  test('before a case exists it can only open; once open it can only close; closed, nothing', () => {
    assert.deepEqual(allowedCommands(null), ['open']);
    for (const state of CASE_STATES.filter((s) => s !== 'closed')) assert.deepEqual(allowedCommands(state), ['close'], state);
    assert.deepEqual(allowedCommands('closed'), []);
  });
});

const pick = (refusal: CaseRefusal) => [refusal.rule, refusal.code, refusal.message];
