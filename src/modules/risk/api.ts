import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ROLES } from '../../platform/access/policy.js';
import { apiEndpoints } from '../../platform/http/api-endpoint.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { referenceOrNotFound } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { riskApiPaths as api } from './paths.js';
import { ESCALATION_OUTCOMES, ESCALATION_STEPS } from './escalation-rules.js';
import { ACTION_STATUSES, ANSWERS, CONSIDERATION_KEYS, FOLLOW_UP_KEYS, MAPPA_LEVELS, RISK_LEVELS, YES_NO } from './rules.js';

const id = z.uuid();
const timestamp = z.iso.datetime();
const answers = z.object(Object.fromEntries(CONSIDERATION_KEYS.map((k) => [k, z.enum(ANSWERS)]))).describe('Each of the eight considerations of the handbook (§23) answered Yes, No or Don’t know');
const followUps = z.object(Object.fromEntries(FOLLOW_UP_KEYS.map((k) => [k, z.enum(YES_NO).optional()]))).describe('The follow-up questions the answers bring (multi-agency management, children in contact or caring, IMCA circumstances)');

const reviewBody = z.object({
  answers,
  followUps: followUps.optional(),
  actions: z
    .record(z.string(), z.object({ status: z.enum(ACTION_STATUSES), note: z.string().max(1000).optional() }))
    .describe('Every guided action the answers bring, by id (`consideration.action`), recorded as done or not done; not done needs a note'),
  level: z.enum(RISK_LEVELS),
  evidence: z.string().max(4000),
  mappaLevel: z.enum(MAPPA_LEVELS).describe('The MAPPA level (RISK-6), or none'),
});

const review = z.object({
  id,
  personId: id,
  recordedAt: timestamp,
  authorId: id,
  authorRole: z.enum(ROLES),
  teamId: id,
  owningAgencyId: id.describe('The agency whose practitioner completed the review'),
  level: z.enum(RISK_LEVELS),
  evidence: z.string(),
  mappaLevel: z.enum(MAPPA_LEVELS),
  answers,
  followUps,
  actions: z.array(
    z.object({
      id: z.string(),
      consideration: z.enum(CONSIDERATION_KEYS),
      text: z.string().describe('The guided action, in the handbook’s words'),
      status: z.enum(ACTION_STATUSES),
      note: z.string().nullable(),
      obligationId: id.nullable().describe('The deadline this action started, for something someone must still do'),
    }),
  ),
});

const shownReview = review.extend({ authorName: z.string(), teamName: z.string(), agencyName: z.string() });
const deadline = z.object({ id, kind: z.string(), ruleId: z.string(), title: z.string(), dueAt: timestamp, state: z.string() });

const escalationStep = z.object({
  id,
  reviewId: id,
  kind: z.enum(['raised', 'answered']),
  step: z.enum(ESCALATION_STEPS),
  raisedWith: z.string().nullable().describe('For a step raised: who it was raised with'),
  outcome: z.enum(ESCALATION_OUTCOMES).nullable().describe('For an answer: whether the matter was progressed'),
  text: z.string().describe('The concern raised, or the answer given'),
  authorId: id,
  recordedAt: timestamp,
});
const escalationBody = z.object({
  raisedWith: z.string().max(200).optional().describe('When raising the next step: who with'),
  outcome: z.enum(ESCALATION_OUTCOMES).optional().describe('When recording an answer: whether they progressed the matter'),
  text: z.string().max(2000).describe('The concern, or their answer'),
});
const ladder = z.object({
  applies: z.boolean().describe('Whether the review found a risk to children, or children about the home'),
  steps: z.array(escalationStep.extend({ authorName: z.string() })),
  next: z.object({ may: z.enum(['raise', 'answer', 'nothing']), step: z.enum(ESCALATION_STEPS).optional(), reason: z.string().optional() }),
});

const personParams = z.object({ personId: id });
const reviewParams = personParams.extend({ reviewId: id });
const deadlineParams = reviewParams.extend({ obligationId: id });
const deadlineMet = z.object({ lateReason: z.string().max(1000).optional().describe('Needed if the deadline has passed: the reason for the delay') });

const endpoint = apiEndpoints(['Risk']);
const bodyOf = (request: FastifyRequest) => (request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {});
const paramsOf = (request: FastifyRequest) => request.params as Record<string, unknown>;
const personIdOf = (request: FastifyRequest) => referenceOrNotFound(paramsOf(request).personId, 'PEOPLE.NOT_FOUND');
const obligationIdOf = (request: FastifyRequest) => referenceOrNotFound(paramsOf(request).obligationId, 'RISK.DEADLINE_NOT_FOUND');
const reviewIdOf = (request: FastifyRequest) => referenceOrNotFound(paramsOf(request).reviewId, 'RISK.REVIEW_NOT_FOUND');

export function riskApi(services: Services): RouteSpec[] {
  const risk = services.risk;
  return [
    endpoint('GET', api.reviews.pattern, 'people.view', { action: 'risk.viewed' }, 'A person’s risk reviews your agency may see, oldest first: the level of risk over time (RISK-1)',
      { params: personParams, response: z.object({ reviews: z.array(shownReview) }) },
      async (request, actor) => ({ reviews: (await risk.history(actor, personIdOf(request))).reviews })),
    endpoint('GET', api.review.pattern, 'people.view', { action: 'risk.viewed' }, 'One risk review and the deadlines it started',
      { params: reviewParams, response: z.object({ review: shownReview, deadlines: z.array(deadline) }) },
      async (request, actor) => {
        const found = await risk.review(actor, personIdOf(request), reviewIdOf(request));
        return { review: found.review, deadlines: found.deadlines };
      }),
    endpoint('POST', api.reviews.pattern, 'risk.record', { action: 'risk.review_completed' }, 'Complete a risk review: every consideration answered and every guided action recorded, or nothing is written; actions still to do become deadlines owned by you (RISK-2, RISK-6 to RISK-9)',
      { params: personParams, body: reviewBody, response: review, successStatus: 201 },
      (request, actor) => risk.complete(actor, personIdOf(request), bodyOf(request))),
    endpoint('GET', api.escalation.pattern, 'people.view', { action: 'risk.viewed' }, 'The escalation of a concern about children from a risk review, step by step, and what may be recorded next (RISK-7)',
      { params: reviewParams, response: ladder },
      async (request, actor) => {
        const found = await risk.escalation(actor, personIdOf(request), reviewIdOf(request));
        return { applies: found.applies, steps: found.steps, next: found.next };
      }),
    endpoint('POST', api.escalation.pattern, 'risk.record', { action: 'risk.escalation_recorded' }, 'Record the next step of escalating a concern about children: raised with the next rung, or its answer (RISK-7)',
      { params: reviewParams, body: escalationBody, response: escalationStep, successStatus: 201 },
      (request, actor) => risk.escalate(actor, personIdOf(request), reviewIdOf(request), bodyOf(request))),
    endpoint('POST', api.deadlineMet.pattern, 'risk.record', { action: 'risk.deadline_met' }, 'Record that an action a risk review left to do has been done: its deadline is met (the review’s agency only)',
      { params: deadlineParams, body: deadlineMet, response: deadline },
      (request, actor) => risk.meetDeadline(actor, personIdOf(request), reviewIdOf(request), obligationIdOf(request), bodyOf(request))),
  ];
}
