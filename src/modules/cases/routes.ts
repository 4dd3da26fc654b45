import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { OBLIGATION_STATES } from '../../platform/clocks/obligation-rules.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { actorOf } from '../../platform/http/request-actor.js';
import { referenceOrNotFound } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { caseApiPaths, casePaths, linkedPaths } from './paths.js';
import { CASE_STATES } from './rules.js';
import { onTheWire } from '../../platform/http/api-endpoint.js';

const id = z.uuid();
const timestamp = z.iso.datetime();
const optionalText = z.string().nullable();
const named = z.object({ id, name: z.string() });

/** The case as the API sends it: the same facts as the page, no more. */
export const caseResponse = z.object({
  id,
  reference: z.string().describe('e.g. CASE-2026-000012'),
  state: z.enum(CASE_STATES),
  stateName: z.string(),
  openedAt: timestamp,
  closedAt: timestamp.nullable(),
  version: z.number().int(),
  person: named,
  referral: z.object({ id }).describe('The referral the case was opened from'),
  team: named.extend({ phone: optionalText, email: optionalText }).describe('The team that received the referral and holds the case'),
  agency: named,
  leadAgency: named,
  coordinator: z.object({ userId: id, name: z.string(), jobTitle: optionalText, phone: optionalText, email: optionalText }).describe('The one named coordinator (COORD-1)'),
  clocks: z
    .array(
      z.object({
        id,
        kind: z.string(),
        ruleId: z.string(),
        title: z.string(),
        dueAt: timestamp,
        state: z.enum(OBLIGATION_STATES),
        urgency: z.enum(['overdue', 'due-soon', 'on-time', 'closed']),
        closedAt: timestamp.nullable(),
        late: z.boolean(),
        reason: optionalText.describe('Why it was late, or why it was waived'),
      }),
    )
    .describe('The case’s deadlines, earliest first, e.g. the case meeting needed when the lead agency is not agreed (COORD-3)'),
  allocations: z
    .array(
      z.object({
        coordinatorName: z.string(),
        allocatedByName: z.string(),
        allocatedAt: timestamp,
        endedAt: timestamp.nullable(),
        current: z.boolean(),
        reasons: z.string(),
        considerations: z.array(z.string()),
      }),
    )
    .describe('Every coordinator the case has had, newest first, with the reasons (COORD-2)'),
});

const VIEWED = { action: 'case.viewed' };
const caseIdOf = (request: FastifyRequest) => referenceOrNotFound((request.params as Record<string, unknown>).caseId, 'CASES.NOT_FOUND');

/** The case page and its API twin: status, person, coordinator, lead agency, clocks and allocation history. */
export function caseRoutes(services: Services): RouteSpec[] {
  const reader = services.caseReader;
  return [
    {
      method: 'GET',
      url: casePaths.case.pattern,
      access: { permission: 'people.view' },
      audit: VIEWED,
      kind: 'page',
      summary: 'A case: its status, coordinator, lead agency and clocks',
      handler: async (request, reply) => {
        const view = await reader.read(actorOf(request), caseIdOf(request));
        return reply.view('cases/views/case.njk', { view, paths: { ...casePaths, ...linkedPaths } });
      },
    },
    {
      method: 'GET',
      url: caseApiPaths.case.pattern,
      access: { permission: 'people.view' },
      audit: VIEWED,
      kind: 'api',
      summary: 'A case: its status, coordinator, lead agency, clocks and allocation history',
      api: { tags: ['Cases'], params: z.object({ caseId: id }), response: caseResponse },
      handler: async (request, reply) => {
        const view = await reader.read(actorOf(request), caseIdOf(request));
        return reply.send(caseResponse.parse(onTheWire(view)));
      },
    },
  ];
}
