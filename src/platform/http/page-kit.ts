import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Permission } from '../access/policy.js';
import type { RouteSpec } from './route-table.js';

/*
 * The one kit for a module's pages (HTML for people, as opposed to the JSON API): every page says
 * which permission it needs, what the audit trail records of a successful call, and a summary for the
 * route table, in the same words in every module.
 */

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** What a page needs and records: a string names the audit action; `{ none }` says why it records nothing. */
export type PageRoute = { permission: Permission; audit: string | RouteSpec['audit']; summary: string };

const auditOf = (audit: PageRoute['audit']): RouteSpec['audit'] => (typeof audit === 'string' ? { action: audit } : audit);

/** A page that shows something (GET). */
export function page(url: string, route: PageRoute, handler: Handler): RouteSpec {
  return { method: 'GET', url, access: { permission: route.permission }, audit: auditOf(route.audit), kind: 'page', summary: route.summary, handler };
}

/** A form's answer (POST): it changes something, or refuses and says why. */
export function answer(url: string, route: PageRoute, handler: Handler): RouteSpec {
  return { method: 'POST', url, access: { permission: route.permission }, audit: auditOf(route.audit), kind: 'page', summary: route.summary, handler };
}

/** A form field that may be sent once, many times or not at all (checkboxes), as a list; empty values are no choice. */
export function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).filter((v) => v !== '');
  return typeof value === 'string' && value !== '' ? [value] : [];
}
