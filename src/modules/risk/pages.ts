import { answer, page } from '../../platform/http/page-kit.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasPermission } from '../../platform/access/decide.js';
import { ROLE_NAMES } from '../../platform/access/policy.js';
import type { RouteSpec } from '../../platform/http/route-table.js';
import { actorOf } from '../../platform/http/request-actor.js';
import { referenceOrNotFound } from '../../platform/validation.js';
import type { Services } from '../../services.js';
import { recordPaths } from '../people/paths.js';
import { riskChart } from './chart.js';
import { ESCALATION_OUTCOMES, ESCALATION_STEP_NAMES, ESCALATION_TEXT_MAX, ladderApplies } from './escalation-rules.js';
import { reviewFromForm } from './form.js';
import { riskPaths as paths } from './paths.js';
import {
  ACTION_NOTE_MAX,
  ANSWER_NAMES,
  CONSIDERATIONS,
  considerationOf,
  EVIDENCE_MAX,
  followUpsFor,
  FOLLOW_UPS,
  guidedActions,
  MAPPA_LEVEL_NAMES,
  MAPPA_LEVELS,
  RISK_LEVEL_NAMES,
  RISK_LEVELS,
  stageOf,
  type Answers,
  type FollowUpAnswers,
  type ReviewStage,
} from './rules.js';
import type { RecordHeading } from './service.js';

type Values = Record<string, unknown>;

const NAMES = { role: ROLE_NAMES, answer: ANSWER_NAMES, level: RISK_LEVEL_NAMES, mappa: MAPPA_LEVEL_NAMES, step: ESCALATION_STEP_NAMES };
const STAGES: readonly ReviewStage[] = ['considerations', 'follow_ups', 'checklist'];

const params = (request: FastifyRequest) => request.params as Values;
const personIdOf = (request: FastifyRequest) => referenceOrNotFound(params(request).personId, 'PEOPLE.NOT_FOUND');
const reviewIdOf = (request: FastifyRequest) => referenceOrNotFound(params(request).reviewId, 'RISK.REVIEW_NOT_FOUND');
// The deadline a form names: anything but a well-formed id is one that does not exist.
const obligationIdOf = (request: FastifyRequest) => referenceOrNotFound(((request.body ?? {}) as Values).obligationId, 'RISK.DEADLINE_NOT_FOUND');
const stringsOf = (values: Values) => Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string'));

const render = (reply: FastifyReply, view: string, record: RecordHeading, data: Values) =>
  reply.view(`risk/views/${view}.njk`, { paths, recordPaths, names: NAMES, considerations: CONSIDERATIONS, followUpQuestions: FOLLOW_UPS, record, ...data });

/**
 * The review form, one page taken step by step with no script: the eight considerations, then the
 * follow-up questions the answers bring (if any), then the checklist of guided actions with the level
 * of risk. Each step is a GET form carrying the earlier answers, so nothing is written until the review
 * is completed; a refused completion comes back here (post-redirect-get) with what was typed.
 */
function reviewStep(request: FastifyRequest) {
  const query = stringsOf(request.query as Values);
  const values: Values = request.flash?.values ?? query;
  const read = stageOf(reviewFromForm(values));
  // "Change your answers" goes back to the first step with them filled in.
  const stage = query.change === 'considerations' ? 'considerations' : read.stage;
  // A step's problems are shown once it has been submitted (its `step` field), never on first arrival.
  const submitted = STAGES.indexOf(query.step as ReviewStage) >= STAGES.indexOf(stage) && !query.change;
  const form = reviewFromForm(values) as { answers: Partial<Answers>; followUps: FollowUpAnswers };
  const answers = form.answers;
  const actions = stage === 'checklist' ? guidedActions(answers as Answers, form.followUps) : [];
  return {
    stage,
    values,
    errors: submitted && read.stage === stage ? read.problems : undefined,
    followUps: followUpsFor(answers),
    checklist: CONSIDERATIONS.map((c) => ({ consideration: c, answer: answers[c.key], actions: actions.filter((a) => a.consideration === c.key) })),
    // The earlier steps' answers, carried as hidden fields.
    carried: Object.entries(values).filter(([name, value]) => typeof value === 'string' && (name.startsWith('answers.') || name.startsWith('followUps.'))),
    changeLink: `${paths.reviewNew(personIdOf(request))}?${new URLSearchParams({ ...stringsOf(values), change: 'considerations' }).toString()}`,
  };
}

export function riskPages(services: Services): RouteSpec[] {
  const risk = services.risk;
  return [
    page(paths.risk.pattern, { permission: 'people.view', audit: 'risk.viewed', summary: 'A person’s risk over time: a chart and a table of every risk review your agency may see (RISK-1)' }, async (request, reply) => {
      const actor = actorOf(request);
      const { record, reviews, withheld } = await risk.history(actor, personIdOf(request));
      return render(reply, 'risk', record, {
        reviews,
        latest: reviews.at(-1) ?? null,
        chart: riskChart(reviews.map((r) => ({ at: r.recordedAt, level: r.level }))),
        withheld,
        canRecord: hasPermission(actor, 'risk.record'),
      });
    }),
    page(paths.reviewNew.pattern, { permission: 'risk.record', audit: 'person.viewed', summary: 'Form to complete a risk review: the risk considerations, their guided actions and the level of risk (RISK-1, RISK-2)' }, async (request, reply) => {
      const { record } = await risk.forNewReview(actorOf(request), personIdOf(request));
      return render(reply, 'review-form', record, { ...reviewStep(request), action: paths.reviewNew(record.id), considerationOf, levels: RISK_LEVELS, mappaLevels: MAPPA_LEVELS, evidenceMax: EVIDENCE_MAX, noteMax: ACTION_NOTE_MAX });
    }),
    answer(paths.reviewNew.pattern, { permission: 'risk.record', audit: 'risk.review_completed', summary: 'Complete a risk review: refused unless every consideration is answered and every guided action recorded; actions still to do become deadlines (RISK-2, RISK-6 to RISK-9)' }, async (request, reply) => {
      const personId = personIdOf(request);
      const review = await risk.complete(actorOf(request), personId, reviewFromForm((request.body ?? {}) as Values));
      return reply.redirectWithNotice(paths.review(personId, review.id), 'The risk review has been completed');
    }),
    page(paths.review.pattern, { permission: 'people.view', audit: 'risk.viewed', summary: 'One risk review: the answers, the guided actions as recorded, and the deadlines it started' }, async (request, reply) => {
      const { record, review, deadlines } = await risk.review(actorOf(request), personIdOf(request), reviewIdOf(request));
      const actor = actorOf(request);
      const canClose = hasPermission(actor, 'risk.record') && review.owningAgencyId === actor.agencyId;
      return render(reply, 'review', record, { review, deadlines, canClose, ladder: ladderApplies(review), now: services.clock.now() });
    }),
    page(paths.escalation.pattern, { permission: 'people.view', audit: 'risk.viewed', summary: 'The escalation of a concern about children from a risk review, step by step, and the form for the next step (RISK-7)' }, async (request, reply) => {
      const actor = actorOf(request);
      const found = await risk.escalation(actor, personIdOf(request), reviewIdOf(request));
      const canEscalate = hasPermission(actor, 'risk.record') && found.review.owningAgencyId === actor.agencyId && found.applies;
      return render(reply, 'escalation', found.record, { ...found, canEscalate, outcomes: ESCALATION_OUTCOMES, textMax: ESCALATION_TEXT_MAX, action: paths.escalation(found.record.id, found.review.id) });
    }),
    answer(paths.escalation.pattern, { permission: 'risk.record', audit: 'risk.escalation_recorded', summary: 'Record the next step of escalating a concern about children: raised with the next rung of the ladder, or its answer (RISK-7)' }, async (request, reply) => {
      const personId = personIdOf(request);
      const reviewId = reviewIdOf(request);
      const step = await risk.escalate(actorOf(request), personId, reviewId, request.body ?? {});
      const notice = step.kind === 'raised' ? `Recorded: raised with ${step.raisedWith}` : 'Recorded: their answer';
      return reply.redirectWithNotice(paths.escalation(personId, reviewId), notice);
    }),
        // Posted to the review's own page, so a refusal comes back to it with the problem (post-redirect-get).
answer(paths.review.pattern, { permission: 'risk.record', audit: 'risk.deadline_met', summary: 'Record that an action a risk review left to do has been done: its deadline is met (late with the reason, if past due)' }, async (request, reply) => {
      const personId = personIdOf(request);
      const reviewId = reviewIdOf(request);
      const met = await risk.meetDeadline(actorOf(request), personId, reviewId, obligationIdOf(request), request.body ?? {});
      return reply.redirectWithNotice(paths.review(personId, reviewId), `Recorded as done: ${met.title}`);
    }),
  ];
}
