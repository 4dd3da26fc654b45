import { z } from 'zod';
import { PRIORITIES, type Priority } from '../../platform/clocks/obligation-rules.js';
import type { ListedSubject } from '../../platform/clocks/subjects.js';

export { PRIORITIES, type Priority };

/**
 * My work: the queues a practitioner, a team manager and a coordinator work from (issue 3, journey 12),
 * each row with its next deadline and how urgent it is. Pure: the shapes, the filter and its rules.
 */

export const QUEUES = ['duty', 'allocation', 'cases', 'deadlines'] as const;
export type Queue = (typeof QUEUES)[number];

export const QUEUE_NAMES: Record<Queue, string> = {
  duty: 'Duty queue',
  allocation: 'Allocation and waiting list',
  cases: 'Cases you coordinate',
  deadlines: 'Deadlines near or passed',
};

/** Still-due deadlines only: a met or waived one is not work. */
export const URGENCIES = ['overdue', 'due-soon', 'on-time'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const URGENCY_NAMES: Record<Urgency, string> = { overdue: 'Overdue', 'due-soon': 'Due soon', 'on-time': 'On time' };

/** Where a referral is, in the words of the work it needs next. */
export const REFERRAL_STAGES: Record<string, string> = {
  received: 'To screen',
  information_requested: 'Awaiting information',
  screened: 'Screened: contact and assessment',
  assessing: 'Assessing',
  eligible: 'Eligible: to place on the waiting list or allocate',
  waiting: 'On the waiting list',
};

export type Deadline = {
  id: string;
  kind: string;
  ruleId: string;
  title: string;
  dueAt: Date;
  urgency: Urgency;
  /** Whose it is: the actor's own, or their team's. */
  owner: 'you' | 'your team' | 'someone else';
};

export type WorkItem = {
  /** Null only for a deadline about nobody in particular. */
  person: { id: string; name: string } | null;
  /** What the row is about, as its kind's module describes it (platform/clocks/subjects). */
  subject: ListedSubject;
  stage: string;
  /** How quickly the subject must be answered, where its kind grades that (a referral's screened or suggested category). */
  priority: Priority | null;
  /** Still-due deadlines, earliest first. */
  deadlines: Deadline[];
};

export const nextDeadline = (item: WorkItem): Deadline | null => item.deadlines[0] ?? null;
export const urgencyOfItem = (item: WorkItem): Urgency | null => nextDeadline(item)?.urgency ?? null;

/**
 * Most pressing first. Work whose next deadline is passed or close comes before work that can wait; within
 * that, an emergency (answered within hours) comes before urgent and routine work, however long the routine
 * work has been overdue, because the harm an emergency risks is the greater; within a priority, earliest
 * deadline first. Rows with no deadline go last, in the order given (oldest first).
 */
export function mostPressingFirst(a: WorkItem, b: WorkItem): number {
  const band = (item: WorkItem) => ({ overdue: 0, 'due-soon': 0, 'on-time': 1 })[urgencyOfItem(item) ?? 'on-time'] + (nextDeadline(item) ? 0 : 2);
  const rank = (item: WorkItem) => (item.priority ? PRIORITIES.indexOf(item.priority) : PRIORITIES.length);
  const due = (item: WorkItem) => nextDeadline(item)?.dueAt.getTime() ?? Number.POSITIVE_INFINITY;
  return band(a) - band(b) || rank(a) - rank(b) || due(a) - due(b);
}

/** A row passes the urgency filter when its most pressing deadline has one of the chosen urgencies. */
export function matchesUrgency(item: WorkItem, chosen: readonly Urgency[]): boolean {
  if (chosen.length === 0) return true;
  const urgency = urgencyOfItem(item);
  return urgency !== null && chosen.includes(urgency);
}

/** A query string gives nothing, one value or several for a repeated name: always a list, without repeats. */
const choices = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z
    .union([z.literal(''), z.enum(values), z.array(z.enum(values)).max(values.length * 2)], { error: message })
    .optional()
    .transform((value) => [...new Set(value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value])]);

/** The filter, shared by the page's GET form and the API's query string. */
export const workFilter = z.object({
  kind: choices(QUEUES, 'Select the kinds of work to show from the list').describe('Only these queues: duty, allocation, cases, deadlines'),
  urgency: choices(URGENCIES, 'Select overdue, due soon or on time').describe('Only rows whose next deadline is overdue, due-soon or on-time'),
});
export type WorkFilter = z.output<typeof workFilter>;
