import type { FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { sendProblem } from './problem.js';

const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * A known address asked with a method it does not answer is 405 with the methods it does, not
 * 404: a client told "not found" would look for a mistake in the address. Null when the address
 * is unknown, or when it is known for this method (a handler found nothing, as for a missing asset).
 */
export function answerWrongMethod(request: FastifyRequest, reply: FastifyReply): FastifyReply | null {
  const url = request.url.split('?')[0]!;
  const answers = (method: HTTPMethods) => request.server.findRoute({ method, url }) !== null;
  if (answers(request.method as HTTPMethods)) return null;
  const allowed = METHODS.filter(answers);
  if (allowed.length === 0) return null;
  reply.header('allow', allowed.join(', '));
  if (url.startsWith('/api/')) {
    return sendProblem(reply, { status: 405, title: 'Method not allowed', detail: `This address answers ${allowed.join(', ')}.`, code: 'METHOD_NOT_ALLOWED' });
  }
  return reply.view('errors/bad-request.njk', { title: 'This page cannot be used that way' }, 405);
}
