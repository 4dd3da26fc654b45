import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mostPressingFirst, type Priority, type Urgency, type WorkItem } from './rules.js';

const HOUR = 3_600_000;
const now = Date.parse('2026-03-02T10:00:00Z');

function item(name: string, priority: Priority | null, dueInHours: number | null, urgency: Urgency = dueInHours === null ? 'on-time' : dueInHours < 0 ? 'overdue' : dueInHours <= 24 ? 'due-soon' : 'on-time'): WorkItem {
  return {
    person: { id: name, name },
    subject: { type: 'referral', id: name, reference: name, link: null, title: name },
    stage: 'To screen',
    priority,
    deadlines: dueInHours === null ? [] : [{ id: name, kind: 'k', ruleId: 'R', title: 't', dueAt: new Date(now + dueInHours * HOUR), urgency, owner: 'your team' }],
  };
}
const order = (items: WorkItem[]) => [...items].sort(mostPressingFirst).map((i) => i.person!.name);

test('an emergency that is due or breached sits above routine work overdue by days', () => {
  const routineLate = item('routine overdue 3 days', 'routine', -72);
  const emergencyBreached = item('emergency breached 1 hour ago', 'emergency', -1);
  const emergencyDue = item('emergency due in 2 hours', 'emergency', 2);
  const urgentLate = item('urgent overdue 1 day', 'urgent', -24);
  assert.deepEqual(order([routineLate, urgentLate, emergencyDue, emergencyBreached]), [
    'emergency breached 1 hour ago',
    'emergency due in 2 hours',
    'urgent overdue 1 day',
    'routine overdue 3 days',
  ]);
});

test('within a priority, the earliest deadline first; work that can wait after work that cannot; no deadline last', () => {
  const routineSoon = item('routine due in 3 hours', 'routine', 3);
  const routineLater = item('routine overdue 2 hours', 'routine', -2);
  const emergencyWeek = item('emergency screened, next clock in a week', 'emergency', 24 * 7);
  const unscreened = item('no category yet, overdue', null, -5);
  const nothingDue = item('nothing due', 'emergency', null);
  assert.deepEqual(order([nothingDue, emergencyWeek, routineSoon, unscreened, routineLater]), [
    'routine overdue 2 hours',
    'routine due in 3 hours',
    'no category yet, overdue',
    'emergency screened, next clock in a week',
    'nothing due',
  ]);
});
