import { addCalendarDays, addCalendarHours, addWeeks, addWorkingDays } from '../../platform/clocks/working-days.js';
import type { Category, Problem } from './rules.js';

/**
 * The clocks a referral starts (REF-2, REF-3, WAIT-1): the response standards of the Care
 * Coordinator's Handbook §15, table 1, as defaults a service can change, and the deadline each step
 * sets. Pure: every function takes the time it counts from.
 */

/** A response deadline: how long, measured how. Services can change the defaults (local policy differs). */
export type Span = { hours: number } | { calendarDays: number } | { workingDays: number } | { weeks: number };

export type ResponseStandards = Record<Category, { firstContact?: Span; assessment?: Span; allocationAfterEligible?: Span }>;

export const DEFAULT_STANDARDS: ResponseStandards = {
  emergency: { assessment: { hours: 6 } },
  urgent: { firstContact: { calendarDays: 2 }, assessment: { workingDays: 5 } },
  routine: { firstContact: { workingDays: 7 }, assessment: { weeks: 6 }, allocationAfterEligible: { weeks: 12 } },
  inappropriate: {},
};

export function dueAfter(from: Date, span: Span): Date {
  if ('hours' in span) return addCalendarHours(from, span.hours);
  if ('calendarDays' in span) return addCalendarDays(from, span.calendarDays);
  if ('workingDays' in span) return addWorkingDays(from, span.workingDays);
  return addWeeks(from, span.weeks);
}

export function describeSpan(span: Span): string {
  if ('hours' in span) return `${span.hours} hours`;
  if ('calendarDays' in span) return `${span.calendarDays} days`;
  if ('workingDays' in span) return `${span.workingDays} working days`;
  return `${span.weeks} weeks`;
}

/** A clock the referral starts: what is due, by when, and the rule that sets it. */
export type Deadline<K extends string = string, R extends string = string> = { kind: K; title: string; dueAt: Date; rule: R };
export type ResponseDeadline = Deadline<'referral.first_contact' | 'referral.assessment', 'REF-3'>;

/** REF-3: every referral is screened, by the end of the next working day after it arrives. */
export const SCREEN_WITHIN_WORKING_DAYS = 1;

export function screenDeadline(receivedAt: Date): Deadline<'referral.screen', 'REF-3'> {
  return { kind: 'referral.screen', title: 'Screen the referral', dueAt: addWorkingDays(receivedAt, SCREEN_WITHIN_WORKING_DAYS), rule: 'REF-3' };
}

/** The deadlines a screening decision starts, counted from when the referral was received. */
export function screeningDeadlines(category: Category, receivedAt: Date, standards: ResponseStandards = DEFAULT_STANDARDS): ResponseDeadline[] {
  const standard = standards[category];
  const deadlines: ResponseDeadline[] = [];
  if (standard.firstContact) {
    deadlines.push({ kind: 'referral.first_contact', title: `First contact (${category}, within ${describeSpan(standard.firstContact)})`, dueAt: dueAfter(receivedAt, standard.firstContact), rule: 'REF-3' });
  }
  if (standard.assessment) {
    const face = category === 'urgent' ? 'Assessment' : 'Face-to-face assessment';
    deadlines.push({ kind: 'referral.assessment', title: `${face} (${category}, within ${describeSpan(standard.assessment)})`, dueAt: dueAfter(receivedAt, standard.assessment), rule: 'REF-3' });
  }
  return deadlines;
}

/**
 * REF-3: once assessed and eligible, allocation within the category's standard (12 weeks for routine
 * by default). A category with no allocation standard of its own is held to the routine one.
 */
export function allocationDeadline(category: Category | null, eligibleAt: Date, standards: ResponseStandards = DEFAULT_STANDARDS): Deadline<'referral.allocation', 'REF-3'> {
  const span = (standards[category ?? 'routine'] ?? DEFAULT_STANDARDS.routine).allocationAfterEligible ?? { weeks: 12 };
  return { kind: 'referral.allocation', title: `Allocate a care coordinator (within ${describeSpan(span)} of eligibility)`, dueAt: dueAfter(eligibleAt, span), rule: 'REF-3' };
}

/** REF-2: the referrer is asked for what is missing, and owes the answer within the service's working days. */
export function informationRequestDeadline(requestedAt: Date, workingDays: number): Deadline<'referral.information', 'REF-2'> {
  return { kind: 'referral.information', title: 'Send the information requested', dueAt: addWorkingDays(requestedAt, workingDays), rule: 'REF-2' };
}

/** WAIT-1: while a person waits for allocation, their risk is re-checked every so many days (14 by default). */
export function waitingRiskCheckDeadline(from: Date, everyDays: number): Deadline<'waiting.risk_check', 'WAIT-1'> {
  return { kind: 'waiting.risk_check', title: `Re-check risk while waiting (every ${everyDays} days)`, dueAt: addCalendarDays(from, everyDays), rule: 'WAIT-1' };
}

/** REF-3: "reasons for any delay must be documented": a contact after its deadline still counts, with its reason. */
export function contactLateness(happenedAt: Date, dueAt: Date | null, lateReason: string | null): { late: boolean; problem: Problem | null } {
  const late = dueAt !== null && happenedAt > dueAt;
  return { late, problem: late && !lateReason ? { field: 'lateReason', message: 'REF-3: this was after its deadline: record the reason for the delay' } : null };
}
