import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { sendProblem } from './problem.js';

export type OverloadLimits = {
  /** Shed when the event loop's mean delay over the last sample passes this. */
  eventLoopDelayMs: number;
  /** Shed when asking the pool for a connection has been taking this long. */
  poolWaitMs: number;
};

/** How soon a shed client should try again: long enough for a queue to drain, short enough not to be noticed. */
export const RETRY_AFTER_SECONDS = 5;
const SAMPLE_MS = 250;
const RESOLUTION_MS = 10;

export type OverloadMonitor = { reason(): string | null; close(): void };

/**
 * Watches the two places a request queues inside Concord: the event loop, and the pool's queue for
 * a connection. The pool says how many wait, not for how long, so the monitor takes a place in the
 * queue itself whenever someone waits (and hands the connection straight back): the age of that
 * place is the wait a request arriving now would have.
 */
export function createOverloadMonitor(pool: pg.Pool, limits: OverloadLimits, options: { sampleMs?: number; now?: () => number } = {}): OverloadMonitor {
  const now = options.now ?? (() => performance.now());
  const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  loop.enable();
  let loopDelayMs = 0;
  let queuedAt: number | null = null;
  let lastWaitMs = 0;
  let closed = false;

  const measureWait = () => {
    if (queuedAt !== null || pool.ended || closed) return;
    const startedAt = (queuedAt = now());
    pool.connect().then(
      (client) => {
        lastWaitMs = now() - startedAt;
        client.release();
      },
      () => {
        lastWaitMs = now() - startedAt;
      },
    ).finally(() => (queuedAt = null));
  };

  const sample = () => {
    // The histogram's mean includes its own resolution; what is left is time the loop was blocked.
    loopDelayMs = Number.isNaN(loop.mean) ? 0 : Math.max(0, loop.mean / 1e6 - RESOLUTION_MS);
    loop.reset();
    if (pool.waitingCount > 0) measureWait();
  };
  const timer = setInterval(sample, options.sampleMs ?? SAMPLE_MS);
  timer.unref();

  const poolWaitMs = () => {
    if (queuedAt !== null) return Math.max(lastWaitMs, now() - queuedAt);
    return pool.waitingCount > 0 ? lastWaitMs : 0;
  };

  return {
    reason() {
      if (loopDelayMs >= limits.eventLoopDelayMs) return 'event loop';
      if (poolWaitMs() >= limits.poolWaitMs) return 'database connections';
      return null;
    },
    close() {
      closed = true;
      clearInterval(timer);
      loop.disable();
    },
  };
}

/**
 * Answers 503 with Retry-After at once when Concord is overloaded, before a request does any work
 * (authentication reads the database), so those it does admit are answered in good time instead
 * of every request waiting its turn for seconds. Health checks and assets are never shed: a busy
 * instance is still a healthy one.
 */
export function setUpLoadShedding(app: FastifyInstance, pool: pg.Pool, limits: OverloadLimits) {
  const monitor = createOverloadMonitor(pool, limits);
  app.addHook('onClose', async () => monitor.close());
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/health/') || request.url.startsWith('/assets/')) return;
    const reason = monitor.reason();
    if (reason) return shed(request, reply, reason);
  });
}

function shed(request: FastifyRequest, reply: FastifyReply, reason: string) {
  request.log.warn({ reason }, 'overloaded: request shed');
  reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  if (request.url.startsWith('/api/')) {
    return sendProblem(reply, {
      status: 503,
      title: 'Concord is busy',
      detail: `Too many requests are waiting. Try again in ${RETRY_AFTER_SECONDS} seconds.`,
      code: 'OVERLOADED',
    });
  }
  return reply.view('errors/busy.njk', { retryAfterSeconds: RETRY_AFTER_SECONDS }, 503);
}
