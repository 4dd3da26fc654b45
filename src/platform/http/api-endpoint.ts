import type { FastifyRequest } from 'fastify';
import type { Actor } from '../access/actor.js';
import type { Permission } from '../access/policy.js';
import { actorOf } from './request-actor.js';
import { answersFromResult, type StoredAnswer } from './idempotency.js';
import type { ApiDescription, RouteSpec } from './route-table.js';

export type ApiCall = (request: FastifyRequest, actor: Actor) => Promise<unknown>;

/** Values as they go over the wire (dates as ISO strings), so an answer can be checked against its schema. */
export function onTheWire(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(onTheWire);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, onTheWire(v)]));
  return value;
}

/**
 * The route builder for one module's API: every endpoint is a route-table entry (permission and audit
 * declared), and its answer is parsed with its documented response schema, which drops anything the
 * schema does not name: what the OpenAPI document promises is exactly what is sent.
 */
export function apiEndpoints(tags: string[], defaults: { location?: (body: { id: string }) => string } = {}) {
  return function endpoint(
    method: RouteSpec['method'],
    url: string,
    permission: Permission,
    audit: RouteSpec['audit'],
    summary: string,
    description: Omit<ApiDescription, 'tags'>,
    call: ApiCall,
    location: ((body: { id: string }) => string) | undefined = defaults.location,
  ): RouteSpec {
    const status = description.successStatus ?? 200;
    // One way from the service's result to the answer, for the reply and for a retry's stored copy.
    const answerOf = (result: unknown): StoredAnswer => {
      if (status === 204) return { status, body: null, location: null };
      const body = description.response ? description.response.parse(onTheWire(result)) : result;
      return { status, body, location: status === 201 && location ? location(body as { id: string }) : null };
    };
    const handler: RouteSpec['handler'] = async (request, reply) => {
      const answer = answerOf(await call(request, actorOf(request)));
      if (answer.status === 204) return reply.code(204).send();
      if (answer.location) reply.header('location', answer.location);
      return reply.code(answer.status).send(answer.body);
    };
    answersFromResult(handler, answerOf);
    return { method, url, access: { permission }, audit, kind: 'api', summary, api: { tags, ...description }, handler };
  };
}
