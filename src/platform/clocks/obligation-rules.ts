/**
 * Obligations: every deadline the practice sets (a screening response, an information request,
 * a waiting-list risk check, a review) is one row with an owner, a due time and its rule.
 * These are the pure rules for how an obligation moves; the store and service do the I/O.
 */
export const OBLIGATION_STATES = ['open', 'breached', 'met', 'waived'] as const;
export type ObligationState = (typeof OBLIGATION_STATES)[number];

export type Owner =
  | { kind: 'user'; userId: string; teamId: string; agencyId: string }
  | { kind: 'team'; teamId: string; agencyId: string }
  | { kind: 'agency'; agencyId: string };

export type ObligationFacts = { state: ObligationState; dueAt: Date };

/**
 * How quickly the work a deadline is about must be answered, most pressing first, where its subject's
 * kind grades that (a referral's screening category, REF-3). A scale every kind shares, so a work queue
 * can put an emergency of any kind before routine work of another.
 */
export const PRIORITIES = ['emergency', 'urgent', 'routine'] as const;
export type Priority = (typeof PRIORITIES)[number];

export type Refusal = { refused: true; rule: string; message: string };
export type Change<T> = { refused: false; value: T };

const refuse = (rule: string, message: string): Refusal => ({ refused: true, rule, message });

/** How soon counts as "due soon" on work queues: a working day's notice before the deadline. */
export const DUE_SOON_MS = 24 * 3_600_000;

export type Urgency = 'overdue' | 'due-soon' | 'on-time' | 'closed';

export function urgencyOf(obligation: ObligationFacts, now: Date): Urgency {
  if (obligation.state === 'met' || obligation.state === 'waived') return 'closed';
  const left = obligation.dueAt.getTime() - now.getTime();
  if (left < 0) return 'overdue';
  return left <= DUE_SOON_MS ? 'due-soon' : 'on-time';
}

/**
 * Marks an obligation done. Late is allowed (the work still has to happen) but the reason for
 * the delay must be recorded (REF-3: "reasons for any delay must be documented").
 */
export function meet(obligation: ObligationFacts, at: Date, lateReason: string | null): Change<{ late: boolean; lateReason: string | null }> | Refusal {
  if (obligation.state === 'met' || obligation.state === 'waived') {
    return refuse('CLOCK', `This deadline is already ${obligation.state}.`);
  }
  const late = at.getTime() > obligation.dueAt.getTime();
  const reason = lateReason?.trim() || null;
  if (late && !reason) return refuse('REF-3', 'This was done after its deadline: record the reason for the delay.');
  return { refused: false, value: { late, lateReason: late ? reason : null } };
}

/** Waiving needs a reason: a deadline that no longer applies must say why, for whoever looks later. */
export function waive(obligation: ObligationFacts, reason: string): Change<{ reason: string }> | Refusal {
  if (obligation.state === 'met' || obligation.state === 'waived') {
    return refuse('CLOCK', `This deadline is already ${obligation.state}.`);
  }
  const trimmed = reason.trim();
  if (trimmed.length < 10) return refuse('CLOCK', 'Give the reason this deadline no longer applies (10 characters or more).');
  return { refused: false, value: { reason: trimmed } };
}

/** Open obligations past their due time become breached; the worker applies this in one statement. */
export function isBreached(obligation: ObligationFacts, now: Date): boolean {
  return obligation.state === 'open' && obligation.dueAt.getTime() < now.getTime();
}
