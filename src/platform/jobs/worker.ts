import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { purgeOldWindows } from '../auth/rate-limit.js';
import { IdempotentRequests } from '../http/idempotency.js';
import type { Services } from '../../services.js';
import { job, scheduleRun } from './schema.js';
import { nextDue, PERIODIC_TASKS, retryDelayMs, type JobPayload, type PeriodicTask } from './schedule.js';
import { safeError } from '../logging.js';

type WorkerServices = Pick<Services, 'db' | 'clock' | 'sessions' | 'audit' | 'obligations' | 'accessReview'>;

const LEASE_MS = 5 * 60_000;

export async function enqueue(services: Pick<Services, 'db' | 'clock'>, payload: JobPayload, runAt?: Date): Promise<number> {
  const now = services.clock.now();
  const [row] = await services.db
    .insert(job)
    .values({ kind: payload.kind, payload, runAt: runAt ?? now, createdAt: now })
    .returning({ id: job.id });
  return row!.id;
}

async function runJob(services: WorkerServices, payload: JobPayload): Promise<void> {
  switch (payload.kind) {
    case 'audit.verify':
      await services.audit.verify(payload.requestedBy);
      return;
  }
}

async function runPeriodic(services: WorkerServices, task: PeriodicTask): Promise<void> {
  switch (task) {
    case 'obligations.mark-breached':
      await services.obligations.markBreached();
      return;
    case 'sessions.purge-expired':
      await services.sessions.purgeExpired();
      return;
    case 'rate-limits.purge-old':
      await purgeOldWindows(services.db, services.clock);
      return;
    case 'idempotency-keys.purge-expired':
      await new IdempotentRequests(services.db, services.clock).purgeExpired();
      return;
    case 'audit.verify-chain':
      await services.audit.verify('Concord (nightly check)');
      return;
    case 'access.many-records':
      await services.accessReview.raiseManyRecordsAlerts();
      return;
  }
}

/**
 * One pass of background work. Safe with any number of instances: a periodic task is claimed by
 * locking its schedule row (SKIP LOCKED), and a job by locking its row and taking a lease.
 */
export async function workOnce(services: WorkerServices, log?: Logger): Promise<{ periodic: number; jobs: number }> {
  let periodic = 0;
  for (const task of Object.keys(PERIODIC_TASKS) as PeriodicTask[]) {
    const ran = await services.db.transaction(async (tx) => {
      const now = services.clock.now();
      await tx.insert(scheduleRun).values({ name: task, nextDueAt: now }).onConflictDoNothing();
      const [due] = await tx
        .select()
        .from(scheduleRun)
        .where(and(eq(scheduleRun.name, task), lte(scheduleRun.nextDueAt, now)))
        .for('update', { skipLocked: true });
      if (!due) return false;
      await runPeriodic(services, task);
      const finished = services.clock.now();
      await tx.update(scheduleRun).set({ lastStartedAt: now, lastFinishedAt: finished, nextDueAt: nextDue(task, finished) }).where(eq(scheduleRun.name, task));
      return true;
    });
    if (ran) periodic++;
  }

  let jobs = 0;
  for (;;) {
    const now = services.clock.now();
    const claimed = await services.db.transaction(async (tx) => {
      const [next] = await tx
        .select()
        .from(job)
        .where(and(isNull(job.completedAt), isNull(job.failedAt), lte(job.runAt, now), or(isNull(job.lockedUntil), lte(job.lockedUntil, now))))
        .orderBy(asc(job.runAt))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!next) return null;
      await tx.update(job).set({ lockedUntil: new Date(now.getTime() + LEASE_MS), attempts: sql`${job.attempts} + 1` }).where(eq(job.id, next.id));
      return next;
    });
    if (!claimed) break;
    try {
      await runJob(services, claimed.payload as JobPayload);
      await services.db.update(job).set({ completedAt: services.clock.now(), lockedUntil: null }).where(eq(job.id, claimed.id));
    } catch (error) {
      const attempts = claimed.attempts + 1;
      const giveUp = attempts >= claimed.maxAttempts;
      log?.error({ err: error, jobId: claimed.id, kind: claimed.kind, attempts }, 'background job failed');
      await services.db
        .update(job)
        .set({
          // Kept with the job, so only what a log may hold: an error's message can quote the data it failed on.
          lastError: JSON.stringify({ ...safeError(error), stack: undefined }).slice(0, 2000),
          lockedUntil: null,
          ...(giveUp ? { failedAt: services.clock.now() } : { runAt: new Date(services.clock.now().getTime() + retryDelayMs(attempts)) }),
        })
        .where(eq(job.id, claimed.id));
    }
    jobs++;
  }
  return { periodic, jobs };
}

/**
 * The sealer: chains new audit events every `sealSeconds`, which bounds how long an event stays
 * unsealed. Its own loop, because the worker's pass may take longer than that. Partitions for the
 * coming months are made at start and every hour.
 */
export function startSealer(services: Pick<WorkerServices, 'audit'>, sealSeconds: number, log: Logger) {
  let current: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let partitionsDueAt = 0;
  const tick = () => {
    if (stopped) return;
    current = current.then(async () => {
      try {
        if (performance.now() >= partitionsDueAt) {
          await services.audit.addPartitionsAhead();
          partitionsDueAt = performance.now() + 60 * 60_000;
        }
        await services.audit.seal(sealSeconds * 1000);
      } catch (error) {
        log.error({ err: error }, 'audit sealing failed');
      }
    });
  };
  const timer = setInterval(tick, sealSeconds * 1000);
  timer.unref();
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}

/** The worker loop: a pass every `intervalSeconds`, the sealer, and a clean stop that waits for the pass in progress. */
export function startWorker(services: WorkerServices, { intervalSeconds, sealSeconds }: { intervalSeconds: number; sealSeconds: number }, log: Logger) {
  let current: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    current = workOnce(services, log).catch((error) => log.error({ err: error }, 'worker pass failed'));
  };
  const timer = setInterval(tick, intervalSeconds * 1000);
  timer.unref();
  setTimeout(tick, 1000).unref();
  const sealer = startSealer(services, sealSeconds, log);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all([current, sealer.stop()]);
    },
  };
}
