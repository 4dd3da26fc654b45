import type { FastifyReply } from 'fastify';

/**
 * `__Host-` cookies must be Secure, so the prefix is dropped only when Secure is off
 * (plain http on this machine's loopback address, for trying Concord out).
 */
export function cookieNames(secure: boolean) {
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}concord-session`, csrf: `${prefix}concord-csrf` };
}

export function cookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, secure, sameSite: 'lax' as const };
}

export function clearCookie(reply: FastifyReply, name: string, secure: boolean) {
  reply.clearCookie(name, cookieOptions(secure));
}
