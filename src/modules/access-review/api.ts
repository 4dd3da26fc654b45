import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ACCESS_ALERT_KINDS, ALERT_OUTCOMES } from '../../platform/access/schema.js';
import { BREAK_GLASS_REASONS } from '../../platform/access/sharing-terms.js';
import { apiEndpoints } from '../../platform/http/api-endpoint.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { referenceOrNotFound } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { peopleApiPaths } from '../people/paths.js';
import { alertFilters, breakGlassInput, reviewInput } from './inputs.js';
import { accessReviewApiPaths as api } from './paths.js';

const id = z.uuid();
const timestamp = z.iso.datetime();
const named = z.object({ id, name: z.string() });

const breakGlassGranted = z.object({
  id,
  personId: id,
  reason: z.enum(BREAK_GLASS_REASONS),
  startedAt: timestamp,
  expiresAt: timestamp.describe('Access to the record ends at this instant'),
  alertId: id.describe('The alert raised for the Caldicott guardian'),
});

const breakGlassWaiting = z.object({
  status: z.literal('waiting').describe('You have used emergency access as often as an hour allows: this waits for the Caldicott guardian, and the record opens only if she approves'),
  requestId: id,
  personId: id,
  requestedAt: timestamp,
});
const breakGlassOutcome = z.union([breakGlassGranted.extend({ status: z.literal('started') }), breakGlassWaiting]);

const alert = z.object({
  id,
  kind: z.enum(ACCESS_ALERT_KINDS),
  raisedAt: timestamp,
  user: named.describe('Whose access raised the alert'),
  agency: named.nullable(),
  team: named.nullable(),
  person: named.nullable().describe('For emergency access: whose record was opened'),
  breakGlass: z.object({ reason: z.enum(BREAK_GLASS_REASONS), explanation: z.string(), startedAt: timestamp, expiresAt: timestamp }).nullable(),
  manyRecords: z
    .object({ people: z.number().int().describe('Different people whose records were opened in the hour'), threshold: z.number().int(), from: timestamp, to: timestamp })
    .nullable(),
  roleChange: z
    .object({
      change: z.enum(['add', 'change', 'end']),
      changedBy: named.describe('Who made the change'),
      team: named,
      before: z.string().describe('The roles the membership gave before, in words'),
      after: z.string().describe('The roles it gives now, in words'),
      sensitive: z.string().describe('Which of those roles reach beyond casework (why the alert was raised)'),
    })
    .nullable()
    .describe('For a change to sensitive roles: what changed'),
  review: z.object({ outcome: z.enum(ALERT_OUTCOMES), notes: z.string(), reviewedAt: timestamp, reviewedBy: named }).nullable(),
});

const review = z.object({ alertId: id, outcome: z.enum(ALERT_OUTCOMES), notes: z.string(), reviewedBy: id, reviewedAt: timestamp });

const paramsOf = (request: FastifyRequest) => (request.params ?? {}) as Record<string, unknown>;
const bodyOf = (request: FastifyRequest) => (request.body && typeof request.body === 'object' ? request.body : {});

const endpoint = apiEndpoints(['Oversight']);

/** Emergency access and the auditor's alert queue, as JSON: the same service as the pages. */
export function accessReviewApi(services: Services): RouteSpec[] {
  const { accessReview } = services;
  const alertIdOf = (request: FastifyRequest) => referenceOrNotFound(paramsOf(request).alertId, 'OVERSIGHT.ALERT_NOT_FOUND');
  return [
    endpoint('POST', api.breakGlass.pattern, 'records.break_glass', { action: 'record.break_glass' },
      'Open a record your agency has no relationship with, in an emergency, for a few hours: give a listed reason and explain it (alerts the Caldicott guardian). Only for a person a search (GET /api/v1/people, or the search page) showed you in the last hour, or one your agency already has a relationship with: any other reference answers 404 PEOPLE.NOT_FOUND, exactly as one that does not exist. 409 if you can already open it. Beyond BREAK_GLASS_PER_HOUR openings in an hour it waits for the Caldicott guardian (status waiting).',
      { params: z.object({ personId: id }), body: breakGlassInput, response: breakGlassOutcome, successStatus: 201 },
      async (request, actor) => {
        const outcome = await accessReview.breakGlass(actor, referenceOrNotFound(paramsOf(request).personId, 'PEOPLE.NOT_FOUND'), bodyOf(request));
        if (outcome.status === 'waiting') return { status: outcome.status, requestId: outcome.requestId, personId: outcome.personId, requestedAt: outcome.requestedAt };
        return { ...outcome, reason: outcome.reasonCode };
      },
      (body) => peopleApiPaths.person((body as unknown as { personId: string }).personId)),
    endpoint('GET', api.alerts.pattern, 'alerts.review', { action: 'alerts.viewed' }, 'Access alerts, those not yet reviewed first, then the newest; 50 a page',
      { query: alertFilters, response: z.object({ alerts: z.array(alert), unreviewed: z.number().int().describe('Alerts waiting for review, whatever the filters'), page: z.number().int(), hasMore: z.boolean() }) },
      async (request, actor) => accessReview.alerts(actor, request.query ?? {})),
    endpoint('GET', api.alert.pattern, 'alerts.review', { action: 'alert.viewed' }, 'One access alert, with its review if it has one',
      { params: z.object({ alertId: id }), response: alert },
      async (request, actor) => accessReview.alert(actor, alertIdOf(request))),
    endpoint('POST', api.review.pattern, 'alerts.review', { action: 'alert.reviewed' }, 'Record the outcome of reviewing an access alert. An alert is reviewed once: 409 if it already has been.',
      { params: z.object({ alertId: id }), body: reviewInput, response: review, successStatus: 201 },
      async (request, actor) => accessReview.review(actor, alertIdOf(request), bodyOf(request)),
      (body) => api.alert((body as unknown as { alertId: string }).alertId)),
  ];
}
