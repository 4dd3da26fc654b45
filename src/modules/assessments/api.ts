import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ROLES } from '../../platform/access/policy.js';
import { INFORMATION_CATEGORIES } from '../../platform/access/sharing-terms.js';
import { apiEndpoints } from '../../platform/http/api-endpoint.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { referenceOrNotFound } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { assessmentsApiPaths as api } from './paths.js';
import { agreementSchema, AGREEMENTS, ASSESSMENT_KINDS, DOMAIN_KEYS, DOMAIN_STATUSES, domainSchema, ESCALATION_STEPS, escalationSchema, escalationStepSchema, outcomeSchema } from './rules.js';

const id = z.uuid();
const timestamp = z.iso.datetime();
const category = z.enum(INFORMATION_CATEGORIES);
const agreement = z.enum(AGREEMENTS);
const version = z.number().int().min(1).describe('The version of the draft this save was made against: a save made since answers 409 and nothing is written');
const mode = z.enum(['continue', 'later']).optional().describe('"later" saves what is given; "continue" (the default) asks for the section to be whole');

const domainAnswer = z.object({
  status: z.enum(DOMAIN_STATUSES).nullable(),
  needs: z.string().nullable(),
  strengths: z.string().nullable(),
  ownWords: z.string().nullable().describe('What the person said, in their own words'),
  source: z.string().nullable().describe('Where the information came from (REC-2)'),
  verified: z.enum(['yes', 'no']).nullable(),
  unverifiedReason: z.string().nullable().describe('Why it could not be verified (REC-2)'),
  notAssessedReason: z.string().nullable().describe('Why the domain was not assessed (never allowed for abuse)'),
});
const outcome = z.object({ goals: z.string().nullable(), options: z.string().nullable(), nextSteps: z.string().nullable(), agenciesToInvolve: z.string().nullable() });
const sectionState = z.enum(['not_started', 'in_progress', 'completed']);

const draft = z.object({
  id,
  personId: id,
  kind: z.enum(ASSESSMENT_KINDS),
  authorId: id,
  teamId: id,
  assessmentAgreement: agreement,
  sharingAgreement: agreement,
  couldNotAskReason: z.string().nullable(),
  domains: z.partialRecord(z.enum(DOMAIN_KEYS), domainAnswer),
  outcome: outcome.nullable(),
  version: z.number().int(),
  startedAt: timestamp,
  updatedAt: timestamp,
});
const draftShown = draft.extend({
  sections: z.array(z.object({ key: z.enum(DOMAIN_KEYS), name: z.string(), state: sectionState })),
  outcomeState: sectionState,
  mine: z.boolean(),
});

const signed = z.object({
  id,
  personId: id,
  kind: z.enum(ASSESSMENT_KINDS),
  owningAgencyId: id,
  authorId: id,
  authorRole: z.enum(ROLES),
  signedName: z.string(),
  signedAgencyName: z.string(),
  assessmentAgreement: agreement,
  sharingAgreement: agreement,
  couldNotAskReason: z.string().nullable(),
  startedAt: timestamp,
  completedAt: timestamp,
});
const hidden = z.object({ section: z.string(), category, why: z.enum(['no_consent', 'restricted']) }).nullable();
const shownAssessment = signed.extend({
  domains: z.array(z.object({ key: z.enum(DOMAIN_KEYS), name: z.string(), category, answer: domainAnswer.nullable(), hidden })).describe('Every domain; one your agency may not see has no answer, only its category and why'),
  outcome: outcome.nullable(),
  outcomeHidden: hidden,
});

const escalationStep = z.object({
  id,
  difficultyId: id.describe('The first step of this difficulty'),
  personId: id,
  owningAgencyId: id,
  recordedBy: id,
  heldBy: z.string().describe('The agency or service that holds the information'),
  informationSought: z.string(),
  step: z.enum(ESCALATION_STEPS),
  escalatedTo: z.string(),
  answer: z.string().describe('What they said or did'),
  resolved: z.boolean(),
  recordedAt: timestamp,
});
const difficulty = z.object({ id, heldBy: z.string(), informationSought: z.string(), resolved: z.boolean(), steps: z.array(escalationStep.extend({ recordedByName: z.string() })) });

const personParams = z.object({ personId: id });
const draftParams = personParams.extend({ draftId: id });
const domainParams = draftParams.extend({ domain: z.enum(DOMAIN_KEYS) });
const assessmentParams = personParams.extend({ assessmentId: id });

const endpoint = apiEndpoints(['Assessments']);
const bodyOf = (request: FastifyRequest) => (request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {});
const paramsOf = (request: FastifyRequest) => request.params as Record<string, unknown>;
const personIdOf = (request: FastifyRequest) => referenceOrNotFound(paramsOf(request).personId, 'PEOPLE.NOT_FOUND');
const draftIdOf = (request: FastifyRequest) => referenceOrNotFound(paramsOf(request).draftId, 'ASSESSMENTS.DRAFT_NOT_FOUND');
const modeOf = (request: FastifyRequest) => (bodyOf(request).mode === 'later' ? 'later' : 'continue');

export function assessmentsApi(services: Services): RouteSpec[] {
  const assessments = services.assessments;
  return [
    endpoint('GET', api.assessments.pattern, 'people.view', { action: 'assessments.viewed' }, 'The person’s completed assessments your agency may know of, and your team’s drafts',
      { params: personParams, response: z.object({ assessments: z.array(signed), drafts: z.array(draftShown) }) },
      async (request, actor) => {
        const listed = await assessments.list(actor, personIdOf(request));
        return { assessments: listed.assessments, drafts: listed.drafts };
      }),
    endpoint('GET', api.assessment.pattern, 'people.view', { action: 'assessment.viewed' }, 'A completed assessment, each domain only as far as your agency may see it (CON-2)',
      { params: assessmentParams, response: shownAssessment },
      async (request, actor) => (await assessments.show(actor, personIdOf(request), referenceOrNotFound(paramsOf(request).assessmentId, 'ASSESSMENTS.NOT_FOUND'))).assessment),
    endpoint('POST', api.drafts.pattern, 'assessments.record', { action: 'assessment.started' }, 'Start an assessment draft, recording the person’s agreement or why it could not be sought (ASSESS-1)',
      { params: personParams, body: agreementSchema, response: draft, successStatus: 201 },
      (request, actor) => assessments.start(actor, personIdOf(request), bodyOf(request))),
    endpoint('GET', api.draft.pattern, 'assessments.record', { action: 'assessment.draft_viewed' }, 'One of your team’s assessment drafts, with how far each section has got',
      { params: draftParams, response: draftShown },
      async (request, actor) => (await assessments.draft(actor, personIdOf(request), draftIdOf(request))).draft),
    endpoint('PUT', api.domain.pattern, 'assessments.record', { action: 'assessment.draft_saved' }, 'Save one domain of a draft against the version you read (ASSESS-2, REC-2); 409 if it changed since',
      { params: domainParams, body: domainSchema.extend({ version, mode }), response: draft },
      (request, actor) => assessments.saveDomain(actor, personIdOf(request), draftIdOf(request), String(paramsOf(request).domain), bodyOf(request), modeOf(request))),
    endpoint('PUT', api.outcome.pattern, 'assessments.record', { action: 'assessment.draft_saved' }, 'Save the outcome of a draft against the version you read (ASSESS-3); 409 if it changed since',
      { params: draftParams, body: outcomeSchema.extend({ version, mode }), response: draft },
      (request, actor) => assessments.saveOutcome(actor, personIdOf(request), draftIdOf(request), bodyOf(request), modeOf(request))),
    endpoint('POST', api.completion.pattern, 'assessments.record', { action: 'assessment.completed' }, 'Sign and complete a draft: it becomes an entry and its clock starts (ASSESS-3 … ASSESS-5); refused while a domain or the outcome is unanswered',
      { params: draftParams, body: z.object({ version }), response: signed, successStatus: 201 },
      (request, actor) => assessments.complete(actor, personIdOf(request), draftIdOf(request), bodyOf(request))),
    endpoint('GET', api.escalations.pattern, 'people.view', { action: 'assessment.escalations_viewed' }, 'Difficulties getting information from other agencies, each with its steps oldest first (ASSESS-6)',
      { params: personParams, response: z.object({ difficulties: z.array(difficulty) }) },
      async (request, actor) => ({ difficulties: (await services.escalations.list(actor, personIdOf(request))).difficulties })),
    endpoint('POST', api.escalations.pattern, 'assessments.record', { action: 'assessment.escalated' }, 'Record difficulty getting information and its first step, to a supervisor or manager (ASSESS-6)',
      { params: personParams, body: escalationSchema, response: escalationStep, successStatus: 201 },
      (request, actor) => services.escalations.escalate(actor, personIdOf(request), bodyOf(request))),
    endpoint('POST', api.escalationSteps.pattern, 'assessments.record', { action: 'assessment.escalated' }, 'Record the next step of a difficulty: further up, never back down; 409 once resolved (ASSESS-6)',
      { params: personParams.extend({ difficultyId: id }), body: escalationStepSchema, response: escalationStep, successStatus: 201 },
      (request, actor) => services.escalations.escalateFurther(actor, personIdOf(request), referenceOrNotFound(paramsOf(request).difficultyId, 'ASSESSMENTS.DIFFICULTY_NOT_FOUND'), bodyOf(request))),
  ];
}
