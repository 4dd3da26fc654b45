import type { FastifyReply, FastifyRequest } from 'fastify';
import { auditActorOf } from '../access/actor.js';
import type { AuditTrail } from '../audit/trail.js';
import { sendProblem } from '../http/problem.js';
import type { RouteSpec } from '../http/route-table.js';

/** A read token calls only the API's GET routes; a write token whatever its user's roles allow. */
export function scopeAllows(scope: 'read' | 'write', spec: Pick<RouteSpec, 'kind' | 'method'>): boolean {
  return scope === 'write' || (spec.kind === 'api' && spec.method === 'GET');
}

/**
 * Refuses (403, audited) a token calling a route its scope does not cover; does nothing for
 * sessions and for calls within scope. Returns the reply when it refused.
 */
export async function refuseOutOfScope(request: FastifyRequest, reply: FastifyReply, spec: RouteSpec, audit: AuditTrail) {
  const via = request.actor?.via;
  if (via?.kind !== 'token' || scopeAllows(via.scope, spec)) return undefined;
  await audit.recordNow(auditActorOf(request.actor), {
    action: 'access.denied',
    outcome: 'denied',
    subject: { type: 'route', id: `${spec.method} ${spec.url}` },
    details: { reason: 'a read-only API token tried to change something', tokenId: via.tokenId, scope: via.scope },
  });
  return sendProblem(reply, {
    status: 403,
    title: 'This token can only read',
    detail: 'This API token was created read only, so it can only make GET requests. Create a token that can read and write on your account page to make changes.',
    code: 'AUTH.TOKEN_SCOPE',
  });
}
