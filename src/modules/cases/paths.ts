import type { PathBuilder } from '../directory/paths.js';

/**
 * Every URL the cases module serves, written once (the same builder shape as the directory's:
 * routes register `.pattern`, handlers and templates call it with the ids).
 */
function path<P extends string>(pattern: P): PathBuilder<P> {
  const build = (...ids: string[]) => {
    let next = 0;
    return pattern.replace(/:\w+/g, () => encodeURIComponent(ids[next++] ?? ''));
  };
  return Object.assign(build, { pattern }) as PathBuilder<P>;
}

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
