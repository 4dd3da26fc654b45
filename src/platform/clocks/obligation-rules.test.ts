import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isBreached, meet, urgencyOf, waive } from './obligation-rules.js';

const due = new Date('2026-03-10T17:00:00Z');
const open = { state: 'open' as const, dueAt: due };

describe('obligations', () => {
  test('urgency: overdue after the deadline, due soon within a day, closed once met or waived', () => {
    assert.equal(urgencyOf(open, new Date('2026-03-10T17:00:01Z')), 'overdue');
    assert.equal(urgencyOf(open, new Date('2026-03-10T09:00:00Z')), 'due-soon');
    assert.equal(urgencyOf(open, new Date('2026-03-08T09:00:00Z')), 'on-time');
    assert.equal(urgencyOf({ state: 'met', dueAt: due }, new Date('2026-04-01T00:00:00Z')), 'closed');
    assert.equal(urgencyOf({ state: 'breached', dueAt: due }, new Date('2026-04-01T00:00:00Z')), 'overdue');
  });

  test('meeting on time needs no reason; meeting late needs the reason for the delay (REF-3)', () => {
    assert.deepEqual(meet(open, new Date('2026-03-10T16:59:59Z'), null), { refused: false, value: { late: false, lateReason: null } });
    const refused = meet(open, new Date('2026-03-11T09:00:00Z'), '  ');
    assert.equal(refused.refused, true);
    assert.equal(refused.refused && refused.rule, 'REF-3');
    assert.deepEqual(meet({ state: 'breached', dueAt: due }, new Date('2026-03-11T09:00:00Z'), 'Person was in hospital'), {
      refused: false,
      value: { late: true, lateReason: 'Person was in hospital' },
    });
  });

  test('a closed obligation cannot be met or waived again', () => {
    assert.equal(meet({ state: 'met', dueAt: due }, due, null).refused, true);
    assert.equal(waive({ state: 'waived', dueAt: due }, 'a long enough reason').refused, true);
  });

  test('waiving needs a real reason', () => {
    assert.equal(waive(open, 'n/a').refused, true);
    assert.deepEqual(waive(open, '  Referral withdrawn by the GP  '), { refused: false, value: { reason: 'Referral withdrawn by the GP' } });
  });

  test('only open obligations past due are breached', () => {
    assert.equal(isBreached(open, new Date('2026-03-10T17:00:01Z')), true);
    assert.equal(isBreached(open, due), false);
    assert.equal(isBreached({ state: 'met', dueAt: due }, new Date('2027-01-01T00:00:00Z')), false);
  });
});
