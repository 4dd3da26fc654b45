import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allocationDeadline,
  contactLateness,
  DEFAULT_STANDARDS,
  informationRequestDeadline,
  screenDeadline,
  screeningDeadlines,
  waitingRiskCheckDeadline,
} from './deadline-rules.js';
import { CATEGORIES } from './rules.js';

// Monday 2 March 2026, 10:00 London (GMT).
const monday = new Date('2026-03-02T10:00:00Z');

describe('screening (REF-3)', () => {
  test('a referral is screened by the end of the next working day, across a weekend and the clocks going forward', () => {
    assert.deepEqual(screenDeadline(monday), { kind: 'referral.screen', title: 'Screen the referral', dueAt: new Date('2026-03-03T23:59:59.999Z'), rule: 'REF-3' });
    // Received Friday 27 March 2026; British Summer Time starts on Sunday 29 March.
    assert.equal(screenDeadline(new Date('2026-03-27T16:00:00Z')).dueAt.toISOString(), '2026-03-30T22:59:59.999Z', 'end of Monday 30 March, London (BST)');
  });
});

describe('response deadlines (REF-3 defaults)', () => {
  const received = monday;

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

describe('allocation after eligibility (REF-3)', () => {
  test('routine: within 12 weeks of the decision', () => {
    assert.deepEqual(allocationDeadline('routine', monday), {
      kind: 'referral.allocation', title: 'Allocate a care coordinator (within 12 weeks of eligibility)', dueAt: new Date('2026-05-25T22:59:59.999Z'), rule: 'REF-3',
    });
  });

  test('a category with no allocation standard, or none recorded yet, is held to 12 weeks', () => {
    assert.equal(allocationDeadline('urgent', monday).dueAt.toISOString(), '2026-05-25T22:59:59.999Z');
    assert.equal(allocationDeadline(null, monday).dueAt.toISOString(), '2026-05-25T22:59:59.999Z');
  });

  test('a service’s own standard applies when it has one', () => {
    const standards = { ...DEFAULT_STANDARDS, emergency: { allocationAfterEligible: { workingDays: 3 } } };
    const due = allocationDeadline('emergency', monday, standards);
    assert.deepEqual([due.title, due.dueAt.toISOString()], ['Allocate a care coordinator (within 3 working days of eligibility)', '2026-03-05T23:59:59.999Z']);
  });
});

describe('information requested (REF-2) and risk re-checked while waiting (WAIT-1)', () => {
  test('the answer is owed within the service’s working days', () => {
    assert.deepEqual(informationRequestDeadline(monday, 5), { kind: 'referral.information', title: 'Send the information requested', dueAt: new Date('2026-03-09T23:59:59.999Z'), rule: 'REF-2' });
  });

  test('risk is re-checked every so many calendar days', () => {
    assert.deepEqual(waitingRiskCheckDeadline(monday, 14), { kind: 'waiting.risk_check', title: 'Re-check risk while waiting (every 14 days)', dueAt: new Date('2026-03-16T23:59:59.999Z'), rule: 'WAIT-1' });
  });
});

describe('a contact after its deadline (REF-3)', () => {
  const due = new Date('2026-03-04T23:59:59.999Z');
  const before = new Date('2026-03-04T12:00:00Z');
  const after = new Date('2026-03-05T09:00:00Z');

  test('on time, or with no deadline open, needs no reason', () => {
    assert.deepEqual(contactLateness(before, due, null), { late: false, problem: null });
    assert.deepEqual(contactLateness(after, null, null), { late: false, problem: null });
  });

  test('late needs the reason for the delay, named by its field', () => {
    assert.deepEqual(contactLateness(after, due, null), { late: true, problem: { field: 'lateReason', message: 'REF-3: this was after its deadline: record the reason for the delay' } });
    assert.deepEqual(contactLateness(after, due, 'She was in hospital'), { late: true, problem: null });
  });
});
