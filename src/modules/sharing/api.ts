import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CONSENT_DECISIONS, CONSENT_HOW } from '../../platform/access/schema.js';
import { INFORMATION_CATEGORIES, LAWFUL_BASES, SHARING_PURPOSES } from '../../platform/access/sharing-terms.js';
import { londonDate } from '../../platform/clocks/working-days.js';
import { apiEndpoints } from '../../platform/http/api-endpoint.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { referenceOrNotFound } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { AGENCY_TYPES } from '../directory/rules.js';
import { sharingApiPaths as api } from './paths.js';
import { consentFields, endFields, exceptionFields, EXCEPTION_CHECKLIST, restrictionFields, withdrawalFields } from './rules.js';

// ---- Shapes: requests are the rules' fields; responses are defined here --------------------------

const id = z.uuid();
const timestamp = z.iso.datetime();
const isoDate = z.iso.date();
const text = z.string().nullable();
const named = z.object({ id, name: z.string() });
const category = z.enum(INFORMATION_CATEGORIES);
const kind = z.enum(AGENCY_TYPES);
const ended = z.object({ at: timestamp, by: named, reason: z.string() });

const consentDecision = z.object({
  id,
  decision: z.enum(CONSENT_DECISIONS),
  status: z.enum(['given', 'refused', 'expired', 'withdrawn']).nullable().describe('How a decision given or refused stands today (expired: past its review date); null for a withdrawal'),
  withdraws: id.nullable().describe('For a withdrawal: the consent it withdraws'),
  withdrawnBy: id.nullable().describe('For consent withdrawn: the withdrawal'),
  agencies: z.array(named),
  agencyTypes: z.array(kind),
  categories: z.array(category),
  purposes: z.array(z.enum(SHARING_PURPOSES)),
  obtainedHow: z.enum(CONSENT_HOW),
  obtainedAt: timestamp,
  reviewDate: isoDate.nullable(),
  notes: text,
  consequences: text.describe('For a refusal: what the person was told cannot be offered without consent (CON-5)'),
  recordedAt: timestamp,
  recordedBy: named,
  recordedByAgency: named,
});
const consequence = z.object({
  consentId: id.describe('The refusal'),
  decidedAt: timestamp,
  parties: z.array(z.object({ agencyId: id.optional(), agencyType: kind.optional(), name: z.string(), categories: z.array(category) })).describe('Who cannot be told what, now'),
  restricted: z.array(z.string()).describe('The same, in words'),
  personWasTold: text,
  services: z.array(z.object({ teamId: id, teamName: z.string(), agencyName: z.string() })).describe('Services that cannot receive that information'),
});
const restriction = z.object({
  id,
  entryType: text,
  entryId: id.nullable(),
  categories: z.array(category),
  agencies: z.array(named),
  agencyTypes: z.array(kind),
  otherParties: text,
  reason: z.string(),
  recordedAt: timestamp,
  recordedBy: named,
  lifted: ended.nullable(),
});
const exception = z.object({
  id,
  status: z.enum(['in_force', 'review_passed', 'ended']),
  lawfulBasis: z.enum(LAWFUL_BASES),
  justification: z.string(),
  categories: z.array(category),
  recipients: z.array(named),
  checklist: z.array(z.object({ point: z.enum(Object.keys(EXCEPTION_CHECKLIST) as [keyof typeof EXCEPTION_CHECKLIST]), statement: z.string(), confirmed: z.boolean() })),
  personInformed: z.object({ informed: z.boolean(), whyNot: text }),
  decidedAt: timestamp,
  decidedBy: named,
  decidedByAgency: named,
  reviewDate: isoDate,
  ended: ended.nullable(),
});

/** Rows as written, for the answer to a write. */
const consentWritten = z.object({
  id,
  personId: id,
  decision: z.enum(CONSENT_DECISIONS),
  withdraws: id.nullable(),
  agencyIds: z.array(id),
  agencyTypes: z.array(kind),
  categories: z.array(category),
  purposes: z.array(z.enum(SHARING_PURPOSES)),
  obtainedHow: z.enum(CONSENT_HOW),
  obtainedAt: timestamp,
  reviewDate: isoDate.nullable(),
  notes: text,
  consequences: text,
  recordedAt: timestamp,
  recordedBy: id,
  recordedByAgency: id,
});
const restrictionWritten = z.object({
  id,
  personId: id,
  entryType: text,
  entryId: id.nullable(),
  categories: z.array(category),
  agencyIds: z.array(id),
  agencyTypes: z.array(kind),
  otherParties: text,
  reason: z.string(),
  recordedAt: timestamp,
  recordedBy: id,
  recordedByAgency: id,
});
const exceptionWritten = z.object({
  id,
  personId: id,
  lawfulBasis: z.enum(LAWFUL_BASES),
  justification: z.string(),
  categories: z.array(category),
  agencyIds: z.array(id),
  decidedBy: id,
  decidedByAgency: id,
  decidedAt: timestamp,
  reviewDate: isoDate,
});
const endWritten = z.object({ endedAt: timestamp, endedBy: id, reason: z.string() });

const personParams = z.object({ personId: id });
const params = (request: FastifyRequest) => request.params as Record<string, unknown>;
const personIdOf = (request: FastifyRequest) => referenceOrNotFound(params(request).personId, 'PEOPLE.NOT_FOUND');
const idOf = (request: FastifyRequest, name: string, code: string) => referenceOrNotFound(params(request)[name], code);
const bodyOf = (request: FastifyRequest) => (request.body && typeof request.body === 'object' ? request.body : {});

const endpoint = apiEndpoints(['Consent and sharing']);
const VIEWED = { action: 'sharing.viewed' };

export function sharingApi(services: Services): RouteSpec[] {
  const sharing = services.sharing;
  const today = londonDate(services.clock.now());
  return [
    endpoint('GET', api.consents.pattern, 'people.view', VIEWED, 'The person’s consent decisions, newest first, withdrawals included, and what each refusal standing rules out (CON-1, CON-5)',
      { params: personParams, response: z.object({ consents: z.array(consentDecision), consequences: z.array(consequence) }) },
      (request, actor) => sharing.consents(actor, personIdOf(request))),
    endpoint('POST', api.consents.pattern, 'sharing.record', { action: 'consent.recorded' }, 'Record a consent decision: given (with a review date) or refused (with what it rules out) (CON-1, CON-5)',
      { params: personParams, body: z.object(consentFields(today)), response: consentWritten, successStatus: 201 },
      (request, actor) => sharing.recordConsent(actor, personIdOf(request), bodyOf(request))),
    endpoint('POST', api.withdrawal.pattern, 'sharing.record', { action: 'consent.withdrawn' }, 'Record that the person withdrew consent; it takes effect on the next request. Withdrawn, refused or expired consent answers 409',
      { params: personParams.extend({ consentId: id }), body: z.object(withdrawalFields(today)), response: consentWritten, successStatus: 201 },
      (request, actor) => sharing.withdrawConsent(actor, personIdOf(request), idOf(request, 'consentId', 'SHARING.CONSENT_NOT_FOUND'), bodyOf(request))),
    endpoint('GET', api.restrictions.pattern, 'people.view', VIEWED, 'Restrictions your agency recorded for the person, lifted ones included (others are shown only to the agency that recorded them) (CON-3)',
      { params: personParams, response: z.object({ restrictions: z.array(restriction) }) },
      async (request, actor) => ({ restrictions: await sharing.restrictions(actor, personIdOf(request)) })),
    endpoint('POST', api.restrictions.pattern, 'sharing.record', { action: 'restriction.recorded' }, 'Record that an entry, or categories of information, must not be shared with particular parties (CON-3)',
      { params: personParams, body: z.object(restrictionFields), response: restrictionWritten, successStatus: 201 },
      (request, actor) => sharing.recordRestriction(actor, personIdOf(request), bodyOf(request))),
    endpoint('POST', api.restrictionEnd.pattern, 'sharing.record', { action: 'restriction.lifted' }, 'Lift a restriction your agency recorded, with the reason (CON-3)',
      { params: personParams.extend({ restrictionId: id }), body: z.object(endFields), response: endWritten.extend({ restrictionId: id }), successStatus: 201 },
      (request, actor) => sharing.liftRestriction(actor, personIdOf(request), idOf(request, 'restrictionId', 'SHARING.RESTRICTION_NOT_FOUND'), bodyOf(request))),
    endpoint('GET', api.exceptions.pattern, 'people.view', VIEWED, 'Decisions to share the person’s information without consent, with their status (CON-4)',
      { params: personParams, response: z.object({ exceptions: z.array(exception) }) },
      async (request, actor) => ({ exceptions: await sharing.exceptions(actor, personIdOf(request)) })),
    endpoint('POST', api.exceptions.pattern, 'sharing.exception', { action: 'exception.recorded' }, 'Decide to share without consent under a lawful basis, every point of the checklist confirmed (team managers; CON-4)',
      { params: personParams, body: z.object(exceptionFields(today)), response: exceptionWritten, successStatus: 201 },
      (request, actor) => sharing.recordException(actor, personIdOf(request), bodyOf(request))),
    endpoint('POST', api.exceptionEnd.pattern, 'sharing.exception', { action: 'exception.ended' }, 'End sharing without consent your agency decided, with the reason (CON-4)',
      { params: personParams.extend({ exceptionId: id }), body: z.object(endFields), response: endWritten.extend({ exceptionId: id }), successStatus: 201 },
      (request, actor) => sharing.endException(actor, personIdOf(request), idOf(request, 'exceptionId', 'SHARING.EXCEPTION_NOT_FOUND'), bodyOf(request))),
  ];
}
