import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { INVOLVEMENT_ROLES } from '../../platform/access/schema.js';
import { apiEndpoints } from '../../platform/http/api-endpoint.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { referenceOrNotFound } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { involvementApiPaths as api } from './paths.js';
import { addInput, changeInput, endInput, LIFE_DOMAINS } from './rules.js';

const id = z.uuid();
const timestamp = z.iso.datetime();
const domain = z.enum(LIFE_DOMAINS);

const involvement = z.object({
  id,
  agencyId: id,
  agencyName: z.string(),
  teamId: id.nullable(),
  teamName: z.string().nullable(),
  role: z.enum(INVOLVEMENT_ROLES),
  domains: z.array(domain).describe('The aspects of the person’s care the agency covers'),
  leadDomains: z.array(domain).describe('The aspects it leads on: one agency leads each aspect at a time (COORD-6)'),
  keyContact: z.object({ name: z.string().nullable(), role: z.string().nullable(), phone: z.string().nullable() }).nullable().describe('The named person to ask at the agency'),
  communication: z.string().nullable().describe('How the agencies keep in touch, e.g. "monthly MDT, urgent by phone to duty"'),
  current: z.boolean(),
  startedAt: timestamp,
  endedAt: timestamp.nullable(),
  endedReason: z.string().nullable(),
  endRefusal: z.string().nullable().describe('Why it cannot be ended here (it ends with its referral or case), or null'),
  version: z.number().int().describe('Send it back with a change or an end: a change made since is then refused (409), not overwritten'),
});
const lead = z.object({
  domain,
  name: z.string(),
  lead: z.object({ involvementId: id, agencyName: z.string(), keyContact: involvement.shape.keyContact }).nullable().describe('Null when no agency leads on it'),
  coveredBy: z.array(z.object({ involvementId: id, agencyName: z.string() })),
});
const involvements = z.object({
  current: z.array(involvement),
  ended: z.array(involvement),
  leads: z.array(lead).describe('Every aspect of care with the agency leading on it, and who covers it'),
  canManage: z.boolean().describe('Whether you may add, change and end agencies’ involvement'),
});

const personParams = z.object({ personId: id });
const involvementParams = z.object({ personId: id, involvementId: id });

const endpoint = apiEndpoints(['Agencies involved']);
const bodyOf = (request: FastifyRequest) => (request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {});
const paramsOf = (request: FastifyRequest) => {
  const params = request.params as Record<string, unknown>;
  return {
    personId: referenceOrNotFound(params.personId, 'PEOPLE.NOT_FOUND'),
    involvementId: params.involvementId === undefined ? '' : referenceOrNotFound(params.involvementId, 'INVOLVEMENT.NOT_FOUND'),
  };
};

export function involvementApi(services: Services): RouteSpec[] {
  const service = services.involvement;
  return [
    endpoint('GET', api.involvements.pattern, 'people.view', { action: 'involvement.viewed' }, 'The agencies involved in a person’s care, current and ended, and who leads on each aspect (COORD-6)',
      { params: personParams, response: involvements },
      async (request, actor) => {
        const seen = await service.list(actor, paramsOf(request).personId);
        return {
          current: seen.current,
          ended: seen.ended,
          leads: seen.leads.map((l) => ({
            domain: l.domain,
            name: l.name,
            lead: l.lead ? { involvementId: l.lead.id, agencyName: l.lead.agencyName, keyContact: l.lead.keyContact } : null,
            coveredBy: l.coveredBy.map((c) => ({ involvementId: c.id, agencyName: c.agencyName })),
          })),
          canManage: seen.canManage,
        };
      }),
    endpoint('POST', api.involvements.pattern, 'involvement.manage', { action: 'involvement.started' }, 'Add an agency to a person’s care: it then sees the record, so the person’s consent (or a recorded exception) must name it (CON-1)',
      { params: personParams, body: addInput, response: involvement, successStatus: 201 },
      (request, actor) => service.add(actor, paramsOf(request).personId, bodyOf(request))),
    endpoint('PATCH', api.involvement.pattern, 'involvement.manage', { action: 'involvement.changed' }, 'Change what an agency covers and leads on, its key contact and how agencies communicate: send every field, and the version you last read',
      { params: involvementParams, body: changeInput, response: involvement },
      (request, actor) => {
        const { personId, involvementId } = paramsOf(request);
        return service.change(actor, personId, involvementId, bodyOf(request));
      }),
    endpoint('POST', api.end.pattern, 'involvement.manage', { action: 'involvement.ended' }, 'End an agency’s involvement, with the reason and the version you last read; the agency’s access ends with it',
      { params: involvementParams, body: endInput, response: involvement },
      async (request, actor) => {
        const { personId, involvementId } = paramsOf(request);
        return (await service.end(actor, personId, involvementId, bodyOf(request))).involvement;
      }),
  ];
}
