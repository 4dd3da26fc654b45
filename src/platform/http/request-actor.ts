import type { FastifyRequest } from 'fastify';
import type { Actor } from '../access/actor.js';

/** The signed-in actor. Routes that are not public only run once authentication has found one. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error('actorOf() called on a public route');
  return request.actor;
}
