import type { FastifyReply, FastifyRequest } from 'fastify';
import { digest } from '../auth/tokens.js';
import { sendProblem } from './problem.js';

const WINDOW_MS = 60_000;

export type CallCounter = {
  /** Milliseconds until this key may call again, if it has used its calls; else null. */
  wait(key: string): number | null;
  /** Counts a call; milliseconds until the key may call again if this call was one too many, else null. */
  count(key: string): number | null;
};

/**
 * Calls per key in fixed one-minute windows, counted in this process's memory. Each instance
 * counts for itself, so behind N instances a token gets up to N times its limit: this limit keeps one
 * runaway client from taking an instance's capacity, which is a question about that instance, and
 * counting in PostgreSQL would add a write to every API call (the sign-in limit is counted there
 * because it guards passwords, and sign-ins are rare). Windows are dropped once they have ended,
 * and only tokens that authenticated are ever counted, so the memory is bounded by live tokens.
 */
export function createCallCounter(limit: number, options: { windowMs?: number; now?: () => number } = {}): CallCounter {
  const windowMs = options.windowMs ?? WINDOW_MS;
  const now = options.now ?? (() => performance.now());
  const windows = new Map<string, { startedAt: number; calls: number }>();
  let sweptAt = now();

  const current = (key: string, at: number) => {
    const window = windows.get(key);
    return window && at - window.startedAt < windowMs ? window : undefined;
  };
  const sweep = (at: number) => {
    if (at - sweptAt < windowMs) return;
    sweptAt = at;
    for (const [key, window] of windows) if (at - window.startedAt >= windowMs) windows.delete(key);
  };

  return {
    wait(key) {
      const at = now();
      const window = current(key, at);
      return window && window.calls >= limit ? window.startedAt + windowMs - at : null;
    },
    count(key) {
      const at = now();
      sweep(at);
      let window = current(key, at);
      if (!window) windows.set(key, (window = { startedAt: at, calls: 0 }));
      window.calls++;
      return window.calls > limit ? window.startedAt + windowMs - at : null;
    },
  };
}

const keys = new WeakMap<FastifyRequest, string>();

/**
 * Limits API calls per token. A token already over its limit is refused before authentication, so
 * a client that keeps calling costs no database work; a call is counted once its token is known to
 * be good, so made-up tokens fill no memory.
 */
export function apiRateLimit(limitPerMinute: number, counter: CallCounter = createCallCounter(limitPerMinute)) {
  return {
    /** onRequest, before authentication. */
    async beforeAuthentication(request: FastifyRequest, reply: FastifyReply) {
      const token = bearerToken(request);
      if (!token) return;
      const key = digest(token);
      keys.set(request, key);
      const wait = counter.wait(key);
      if (wait !== null) return refuse(reply, wait, limitPerMinute);
    },
    /** onRequest, after authentication. */
    async afterAuthentication(request: FastifyRequest, reply: FastifyReply) {
      const key = keys.get(request);
      if (!key || request.actor?.via.kind !== 'token') return;
      const wait = counter.count(key);
      if (wait !== null) return refuse(reply, wait, limitPerMinute);
    },
  };
}

function bearerToken(request: FastifyRequest) {
  if (!request.url.startsWith('/api/')) return null;
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
}

function refuse(reply: FastifyReply, waitMs: number, limitPerMinute: number) {
  reply.header('retry-after', String(Math.max(1, Math.ceil(waitMs / 1000))));
  return sendProblem(reply, {
    status: 429,
    title: 'Too many requests',
    detail: `This token may make ${limitPerMinute} calls a minute. Try again after the number of seconds in Retry-After.`,
    code: 'RATE_LIMITED',
  });
}
