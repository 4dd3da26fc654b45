/** Background work, as a discriminated union: each kind names its payload. */
export type JobPayload = { kind: 'audit.verify'; requestedBy: string };
export type JobKind = JobPayload['kind'];

/**
 * Periodic tasks and how often they run. Marking breaches runs every 15 seconds so a deadline shows as
 * breached within half a minute of its due time (with the worker's pass every 10 seconds, at most 25 s
 * late): a breach is the moment someone must act, and reports and reminders read it from here.
 */
export const PERIODIC_TASKS = {
  'obligations.mark-breached': { everySeconds: 15 },
  'sessions.purge-expired': { everySeconds: 5 * 60 },
  'rate-limits.purge-old': { everySeconds: 5 * 60 },
  'idempotency-keys.purge-expired': { everySeconds: 60 * 60 },
  'access.many-records': { everySeconds: 5 * 60 },
  'audit.verify-chain': { everySeconds: 24 * 60 * 60 },
} as const;
export type PeriodicTask = keyof typeof PERIODIC_TASKS;

export function nextDue(task: PeriodicTask, finishedAt: Date): Date {
  return new Date(finishedAt.getTime() + PERIODIC_TASKS[task].everySeconds * 1000);
}

/** Retry a failed job later each time (1, 2, 4, 8 … minutes, at most an hour). */
export function retryDelayMs(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
}
