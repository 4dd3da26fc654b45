import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Permission } from '../access/policy.js';

/**
 * Every route Concord serves is declared here, in one shape: who may call it and what it writes
 * to the audit trail. A route without both is a bug you can find by reading its module's table
 * (and `test/platform/route-table.test.ts` fails on it).
 */
export type RouteSpec = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  /** The permission needed, or `public` with the reason nobody needs to sign in. */
  access: { permission: Permission } | { public: string };
  /** The audit action a successful call writes, or `none` with the reason it writes nothing. */
  audit: { action: string } | { none: string };
  summary: string;
  /**
   * Pages are HTML for people; api routes are JSON under /api/v1 and appear in the OpenAPI document
   * when they have an `api` description (one kept only to refuse, and say why, has none).
   */
  kind: 'page' | 'api' | 'system';
  api?: ApiDescription;
  handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
};

export type ApiDescription = {
  tags: string[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  successStatus?: number;
};

export function isPublic(spec: RouteSpec): spec is RouteSpec & { access: { public: string } } {
  return 'public' in spec.access;
}

export function auditActionOf(spec: RouteSpec): string | null {
  return 'action' in spec.audit ? spec.audit.action : null;
}
