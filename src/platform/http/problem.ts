import type { FastifyReply } from 'fastify';
import type { FieldError } from '../errors.js';

/** RFC 9457 problem details, the body of every API error. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
  reference?: string;
};

export function sendProblem(reply: FastifyReply, problem: Omit<Problem, 'type'> & { type?: string }) {
  const body: Problem = { type: problem.type ?? `about:blank`, ...problem };
  return reply.code(problem.status).type('application/problem+json').send(body);
}
