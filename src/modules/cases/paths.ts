import { path } from '../../platform/http/paths.js';

/**
 * Every URL the cases module serves, written once (the same builder shape as the directory's:
 * routes register `.pattern`, handlers and templates call it with the ids).
 */

export const casePaths = {
  case: path('/cases/:caseId'),
};

export const caseApiPaths = {
  case: path('/api/v1/cases/:caseId'),
};

/** Pages other modules serve that a case links to (their modules own them; only the shape is known here). */
export const linkedPaths = {
  person: path('/people/:personId'),
  referral: path('/referrals/:referralId'),
};
