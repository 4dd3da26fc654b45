/**
 * Every URL the assessments module serves, written once. Routes register `.pattern`; handlers and
 * templates call the builder with the ids in order, e.g. `assessmentsPaths.domain(personId, draftId, 'abuse')`.
 */
import { path } from '../../platform/http/paths.js';
import { recordPaths } from '../people/paths.js';

export const assessmentsPaths = {
  assessments: recordPaths.assessments,
  start: path('/people/:personId/assessments/new'),
  draft: path('/people/:personId/assessments/drafts/:draftId'),
  domain: path('/people/:personId/assessments/drafts/:draftId/domains/:domain'),
  outcome: path('/people/:personId/assessments/drafts/:draftId/outcome'),
  complete: path('/people/:personId/assessments/drafts/:draftId/complete'),
  assessment: path('/people/:personId/assessments/:assessmentId'),
  /** ASSESS-6: difficulty getting information from another agency, and each step taken. */
  escalations: path('/people/:personId/assessments/escalations'),
  escalationNew: path('/people/:personId/assessments/escalations/new'),
  escalationStep: path('/people/:personId/assessments/escalations/:difficultyId/steps'),
};

export const assessmentsApiPaths = {
  assessments: path('/api/v1/people/:personId/assessments'),
  assessment: path('/api/v1/people/:personId/assessments/:assessmentId'),
  drafts: path('/api/v1/people/:personId/assessment-drafts'),
  draft: path('/api/v1/people/:personId/assessment-drafts/:draftId'),
  domain: path('/api/v1/people/:personId/assessment-drafts/:draftId/domains/:domain'),
  outcome: path('/api/v1/people/:personId/assessment-drafts/:draftId/outcome'),
  completion: path('/api/v1/people/:personId/assessment-drafts/:draftId/completion'),
  escalations: path('/api/v1/people/:personId/information-escalations'),
  escalationSteps: path('/api/v1/people/:personId/information-escalations/:difficultyId/steps'),
};
