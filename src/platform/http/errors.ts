import { randomBytes } from 'node:crypto';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, STATUS_OF, type FieldError } from '../errors.js';
import type { Sessions } from '../auth/sessions.js';
import { sendProblem } from './problem.js';
import { isConnectionLoss } from '../db/connection-errors.js';

const NEVER_KEPT = /password|_csrf|secret|token/i;

function isApi(request: FastifyRequest) {
  return request.url.startsWith('/api/');
}

/** What the user typed, minus anything secret, to put back in the form after a redirect. */
function keptValues(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).filter(([key]) => !NEVER_KEPT.test(key)));
}

export function renderNotFound(request: FastifyRequest, reply: FastifyReply) {
  if (isApi(request)) return sendProblem(reply, { status: 404, title: 'Not found', code: 'NOT_FOUND' });
  return reply.view('errors/not-found.njk', {}, 404);
}

/**
 * One mapping from errors to responses. Domain errors carry their own message and status; anything
 * else is an internal error, logged with a reference the user can quote, never shown in detail.
 */
export async function handleError(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
  options: { sessions: Sessions },
) {
  if (error instanceof DomainError) return handleDomainError(error, request, reply, options.sessions);
  const fastifyError = error as FastifyError;
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const status = fastifyError.statusCode;
    const title = status === 413 ? 'What was sent is too large' : status === 415 ? 'Unsupported content type' : 'The request could not be read';
    if (isApi(request)) return sendProblem(reply, { status, title, code: 'REQUEST.MALFORMED' });
    return reply.view('errors/bad-request.njk', { title }, status);
  }
  if (isConnectionLoss(error)) return renderUnavailable(error, request, reply);
  const reference = randomBytes(4).toString('hex').toUpperCase();
  request.log.error({ err: error, reference }, 'unhandled error');
  if (isApi(request)) {
    return sendProblem(reply, {
      status: 500,
      title: 'Something went wrong',
      detail: `Quote reference ${reference} if you contact support.`,
      reference,
      code: 'INTERNAL',
    });
  }
  return reply.view('errors/server-error.njk', { reference }, 500);
}

/** Seconds a client is asked to wait before trying again: long enough for the pool to reconnect. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The database dropped or refused the connection: the request may succeed if tried again, so it is
 * 503 with Retry-After, not an internal error. Only the error's code is logged: its message may hold
 * the statement's parameters.
 */
function renderUnavailable(error: Error, request: FastifyRequest, reply: FastifyReply) {
  const reference = randomBytes(4).toString('hex').toUpperCase();
  const cause = error.cause as { code?: unknown } | undefined;
  request.log.warn({ code: (error as { code?: unknown }).code ?? cause?.code, reference }, 'database unavailable');
  reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  if (isApi(request)) {
    return sendProblem(reply, {
      status: 503,
      title: 'Concord is unavailable for a moment',
      detail: `Nothing was saved unless a later read shows it. Try again in a few seconds; quote reference ${reference} if it continues.`,
      reference,
      code: 'UNAVAILABLE',
    });
  }
  return reply.view('errors/server-error.njk', { reference }, 503);
}

async function handleDomainError(error: DomainError, request: FastifyRequest, reply: FastifyReply, sessions: Sessions) {
  const status = STATUS_OF[error.kind];
  if (isApi(request)) {
    return sendProblem(reply, {
      status,
      title: error.message,
      code: error.code,
      ...(error.fieldErrors.length ? { errors: error.fieldErrors } : {}),
    });
  }
  if (error.kind === 'not_found') return reply.view('errors/not-found.njk', {}, 404);
  if (error.kind === 'forbidden') return reply.view('errors/forbidden.njk', { reason: error.message }, 403);
  const isForm = request.method === 'POST' && request.session;
  if (isForm && (error.kind === 'invalid' || error.kind === 'conflict')) {
    // Post-redirect-get: the form page shows the error summary and what the user typed.
    const errors: FieldError[] = error.fieldErrors.length ? error.fieldErrors : [{ field: 'form', message: error.message }];
    await sessions.setFlash(request.session!.idHash, { errors, values: keptValues(request.body) });
    return reply.code(303).redirect(request.url);
  }
  return reply.view('errors/bad-request.njk', { title: error.message }, status);
}
