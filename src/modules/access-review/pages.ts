import { page, answer } from '../../platform/http/page-kit.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ALERT_OUTCOMES, ACCESS_ALERT_KINDS } from '../../platform/access/schema.js';
import { BREAK_GLASS_REASON_NAMES, BREAK_GLASS_REASONS } from '../../platform/access/sharing-terms.js';
import { DomainError } from '../../platform/errors.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { actorOf } from '../../platform/http/request-actor.js';
import { referenceOrNotFound } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { accessReviewPaths as paths, recordPaths } from './paths.js';
import { ALERT_KIND_NAMES, ALERT_OUTCOME_NAMES, BREAK_GLASS_EXPLANATION, DECISION_NAMES, PERSON_ACCESS_NAMES, REVIEW_NOTES_MAX } from './rules.js';

type Values = Record<string, unknown>;

const NAMES = {
  reasons: BREAK_GLASS_REASON_NAMES,
  kinds: ALERT_KIND_NAMES,
  outcomes: ALERT_OUTCOME_NAMES,
  decisions: DECISION_NAMES,
  personAccess: PERSON_ACCESS_NAMES,
};
const CHOICES = {
  reasons: BREAK_GLASS_REASONS.map((value) => ({ value, text: BREAK_GLASS_REASON_NAMES[value] })),
  kinds: ACCESS_ALERT_KINDS.map((value) => ({ value, text: ALERT_KIND_NAMES[value] })),
  outcomes: ALERT_OUTCOMES.map((value) => ({ value, text: ALERT_OUTCOME_NAMES[value] })),
  limits: { explanation: BREAK_GLASS_EXPLANATION, reviewNotes: REVIEW_NOTES_MAX },
};

const render = (reply: FastifyReply, view: string, data: Values, status?: number) =>
  reply.view(`access-review/views/${view}.njk`, { paths, recordPaths, names: NAMES, choices: CHOICES, ...data }, status);

const idOf = (request: FastifyRequest, name: string, code: string) => referenceOrNotFound((request.params as Values)[name], code);
const personIdOf = (request: FastifyRequest) => idOf(request, 'personId', 'PEOPLE.NOT_FOUND');
const alertIdOf = (request: FastifyRequest) => idOf(request, 'alertId', 'OVERSIGHT.ALERT_NOT_FOUND');
const requestIdOf = (request: FastifyRequest) => idOf(request, 'requestId', 'OVERSIGHT.REQUEST_NOT_FOUND');
const formOf = (request: FastifyRequest) => (request.body ?? {}) as Values;
const accessNotNeeded = (error: unknown): error is DomainError => error instanceof DomainError && error.code === 'OVERSIGHT.ACCESS_NOT_NEEDED';
const refusedInput = (error: unknown): error is DomainError => error instanceof DomainError && error.kind === 'invalid';

export function accessReviewPages(services: Services): RouteSpec[] {
  const { accessReview, transparency } = services;

  /** Someone who can already open the record is told so and taken to it: no emergency access is recorded. */
  const toRecordIfOpen = async (reply: FastifyReply, personId: string, attempt: () => Promise<unknown>) => {
    try {
      return await attempt();
    } catch (error) {
      if (accessNotNeeded(error)) return reply.redirectWithNotice(recordPaths.person(personId), error.message, 'important');
      throw error;
    }
  };

  return [
    // ---- Emergency access (break-glass) ---------------------------------------------------------
    page(paths.breakGlass.pattern, { permission: 'records.break_glass', audit: 'record.break_glass_form_viewed', summary: 'Form to ask for emergency access to a record your agency has no relationship with, for a person a search showed you in the last hour (anyone else: not found)' }, async (request, reply) => {
      const personId = personIdOf(request);
      return toRecordIfOpen(reply, personId, async () => render(reply, 'break-glass', await accessReview.breakGlassForm(actorOf(request), personId)));
    }),
    answer(paths.breakGlass.pattern, { permission: 'records.break_glass', audit: 'record.break_glass', summary: 'Open a record in an emergency for a few hours, giving a reason (alerts the Caldicott guardian); like its form, only for a person a search showed you' }, async (request, reply) => {
      const personId = personIdOf(request);
      return toRecordIfOpen(reply, personId, async () => {
        const outcome = await accessReview.breakGlass(actorOf(request), personId, formOf(request));
        if (outcome.status === 'waiting') {
          return reply.redirectWithNotice(recordPaths.search(), 'You have used emergency access as often as an hour allows. Your request waits for the Caldicott guardian: the record opens only if she approves it.', 'important');
        }
        return reply.code(303).redirect(recordPaths.person(personId));
      });
    }),

    // ---- Who can see this -----------------------------------------------------------------------
    page(paths.access.pattern, { permission: 'people.view', audit: 'access.viewed', summary: 'Why you can see this record, which agencies can see it and on what basis, and (for coordinators) who has opened it' }, async (request, reply) => {
      const view = await transparency.accessPage(actorOf(request), personIdOf(request), request.query ?? {});
      return render(reply, 'access', {
        ...view,
        record: { id: view.person.id, name: view.person.name, via: view.mine.via, expiresAt: view.mine.level === 'record' ? (view.mine.expiresAt ?? null) : null },
        olderHref: view.viewers?.nextBeforeId ? paths.accessBefore(view.person.id, view.viewers.nextBeforeId) : null,
      });
    }),

    // ---- The auditor's pages --------------------------------------------------------------------
    page(paths.alerts.pattern, { permission: 'alerts.review', audit: 'alerts.viewed', summary: 'Access alerts to review: emergency access and unusual numbers of records opened, those not reviewed first' }, async (request, reply) => {
      const query = (request.query ?? {}) as Values;
      try {
        const found = await accessReview.alerts(actorOf(request), query);
        const waiting = await accessReview.waitingRequests(actorOf(request));
        const more = (p: number) => paths.alertsWhere({ ...found.filters, page: p });
        return render(reply, 'alerts', { ...found, waiting, values: query, previousHref: found.page > 1 ? more(found.page - 1) : null, nextHref: found.hasMore ? more(found.page + 1) : null });
      } catch (error) {
        // Filters that cannot be understood read nothing, so nothing is recorded either.
        if (refusedInput(error)) return render(reply, 'alerts', { errors: error.fieldErrors, values: query, alerts: null }, 400);
        throw error;
      }
    }),
    page(paths.request.pattern, { permission: 'alerts.review', audit: 'record.break_glass_request_viewed', summary: 'Emergency access beyond the hourly allowance, waiting for the Caldicott guardian to approve or decline it' }, async (request, reply) => {
      return render(reply, 'request', { request: await accessReview.request(actorOf(request), requestIdOf(request)) });
    }),
    answer(paths.request.pattern, { permission: 'alerts.review', audit: 'record.break_glass_approved', summary: 'Approve (emergency access starts) or decline emergency access that waited for the Caldicott guardian (once)' }, async (request, reply) => {
      const requestId = requestIdOf(request);
      const decided = await accessReview.decide(actorOf(request), requestId, formOf(request));
      return reply.redirectWithNotice(paths.request(requestId), decided.decision === 'approved' ? 'Emergency access has started' : 'Emergency access has been declined');
    }),
    page(paths.alert.pattern, { permission: 'alerts.review', audit: 'alert.viewed', summary: 'One access alert: who, when, why, and what they opened while it lasted; the review' }, async (request, reply) => {
      return render(reply, 'alert', { alert: await accessReview.alert(actorOf(request), alertIdOf(request)) });
    }),
    answer(paths.alert.pattern, { permission: 'alerts.review', audit: 'alert.reviewed', summary: 'Record the outcome of reviewing an access alert (once)' }, async (request, reply) => {
      const alertId = alertIdOf(request);
      await accessReview.review(actorOf(request), alertId, formOf(request));
      return reply.redirectWithNotice(paths.alert(alertId), 'Your review has been recorded');
    }),
    page(paths.personViewers.pattern, { permission: 'audit.view', audit: 'audit.viewers_viewed', summary: 'Who has opened a person’s record, for auditors' }, async (request, reply) => {
      const view = await transparency.viewersForAuditor(actorOf(request), personIdOf(request), request.query ?? {});
      return render(reply, 'viewers', { ...view, olderHref: view.viewers.nextBeforeId ? paths.personViewersBefore(view.person.id, view.viewers.nextBeforeId) : null });
    }),
    page(paths.userAccess.pattern, { permission: 'audit.view', audit: 'audit.user_access_viewed', summary: 'Which people a user opened, when and how, for auditors' }, async (request, reply) => {
      return render(reply, 'user-access', await transparency.userAccess(actorOf(request), idOf(request, 'userId', 'OVERSIGHT.USER_NOT_FOUND')));
    }),
  ];
}
