import type { SubjectDescription, SubjectKind } from '../../platform/clocks/subjects.js';
import { RISK_REVIEW } from './entry.js';
import { riskPaths } from './paths.js';
import { reviewHeadings } from './store.js';

const onDate = (at: Date) => at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

/**
 * How a risk review reads wherever the deadlines it started are listed (a POVA referral, an IMCA
 * referral…): the review's page and when it was completed. Registered once where the services are built.
 */
export function riskReviewSubjects(): SubjectKind {
  return {
    kind: RISK_REVIEW,
    noun: 'Risk review',
    async describe(db, _actor, ids) {
      const rows = await reviewHeadings(db, ids);
      return new Map(rows.map((r): [string, SubjectDescription] => [r.id, { reference: null, link: riskPaths.review(r.personId, r.id), title: `Risk review of ${onDate(r.recordedAt)}` }]));
    },
  };
}
