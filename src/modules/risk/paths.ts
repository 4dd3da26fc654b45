/**
 * Every URL the risk module serves, written once. Routes register `.pattern`; handlers and templates
 * call the builder with the ids in order, e.g. `riskPaths.review(personId, reviewId)`.
 */
import { path } from '../../platform/http/paths.js';
import { recordPaths } from '../people/paths.js';

export const riskPaths = {
  /** The person's risk over time: the chart, the table beside it, and the reviews. */
  risk: recordPaths.risk,
  /** A new risk review: the considerations, then the follow-ups they bring, then the checklist (all one page, step by step). */
  reviewNew: path('/people/:personId/risk/reviews/new'),
  /** One review; posting to it (with the deadline's id) records an action it left to do as done. */
  review: path('/people/:personId/risk/reviews/:reviewId'),
  /** RISK-7: escalating a concern about children that has not been acted on, step by step. */
  escalation: path('/people/:personId/risk/reviews/:reviewId/escalation'),
};

export const riskApiPaths = {
  reviews: path('/api/v1/people/:personId/risk/reviews'),
  review: path('/api/v1/people/:personId/risk/reviews/:reviewId'),
  escalation: path('/api/v1/people/:personId/risk/reviews/:reviewId/escalation'),
  deadlineMet: path('/api/v1/people/:personId/risk/reviews/:reviewId/deadlines/:obligationId/met'),
};
