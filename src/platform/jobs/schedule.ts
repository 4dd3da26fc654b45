/** Background work, as a discriminated union: each kind names its payload. */
export type JobPayload = { kind: 'audit.verify'; requestedBy: string };
export type JobKind = JobPayload['kind'];

/** Periodic tasks and how often they run. */
export const PERIODIC_TASKS = {
  'obligations.mark-breached': { everyMinutes: 1 },
  'sessions.purge-expired': { everyMinutes: 5 },
  'rate-limits.purge-old': { everyMinutes: 5 },
  'idempotency-keys.purge-expired': { everyMinutes: 60 },
  'access.many-records': { everyMinutes: 5 },
  'audit.verify-chain': { everyMinutes: 24 * 60 },
} as const;
export type PeriodicTask = keyof typeof PERIODIC_TASKS;

export function nextDue(task: PeriodicTask, finishedAt: Date): Date {
  return new Date(finishedAt.getTime() + PERIODIC_TASKS[task].everyMinutes * 60_000);
}

/** Retry a failed job later each time (1, 2, 4, 8 … minutes, at most an hour). */
export function retryDelayMs(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
}
