import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { newSecret, sameSecret } from '../auth/tokens.js';
import { cookieNames, cookieOptions } from './cookies.js';

export const CSRF_FIELD = '_csrf';

/**
 * Signed-in forms carry the session's own token (synchroniser pattern). Before sign-in there is no
 * session, so the sign-in form's token is bound to a cookie: the cookie holds a random value and the
 * form an HMAC of it under the server's secret. Someone able to plant a cookie (a sibling site, in a
 * deployment without the __Host- prefix) cannot make the matching form value without the secret, as
 * they could with a plain double-submit pair.
 */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  if (request.session) return request.session.csrfToken;
  const name = cookieNames(secure).csrf;
  let nonce = request.cookies[name];
  if (!nonce) {
    nonce = newSecret();
    reply.setCookie(name, nonce, cookieOptions(secure));
    request.cookies[name] = nonce;
  }
  return boundToken(request.server.csrfSecret, nonce);
}

export function csrfTokenIsValid(request: FastifyRequest, secure: boolean): boolean {
  const submitted = (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  if (typeof submitted !== 'string' || submitted.length === 0) return false;
  if (request.session) return sameSecret(submitted, request.session.csrfToken);
  const nonce = request.cookies[cookieNames(secure).csrf];
  return typeof nonce === 'string' && nonce.length > 0 && sameSecret(submitted, boundToken(request.server.csrfSecret, nonce));
}

const boundToken = (secret: string, nonce: string) => createHmac('sha256', secret).update(`sign-in-form:${nonce}`).digest('base64url');
