import type { FastifyReply, FastifyRequest } from 'fastify';
import { newSecret, sameSecret } from '../auth/tokens.js';
import { cookieNames, cookieOptions } from './cookies.js';

export const CSRF_FIELD = '_csrf';

/**
 * Signed-in forms carry the session's own token (synchroniser pattern). Before sign-in there is no
 * session, so the sign-in form uses a double-submit cookie instead.
 */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  if (request.session) return request.session.csrfToken;
  const name = cookieNames(secure).csrf;
  const existing = request.cookies[name];
  if (existing) return existing;
  const token = newSecret();
  reply.setCookie(name, token, cookieOptions(secure));
  request.cookies[name] = token;
  return token;
}

export function csrfTokenIsValid(request: FastifyRequest, secure: boolean): boolean {
  const submitted = (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  if (typeof submitted !== 'string' || submitted.length === 0) return false;
  const expected = request.session ? request.session.csrfToken : request.cookies[cookieNames(secure).csrf];
  return typeof expected === 'string' && sameSecret(submitted, expected);
}
