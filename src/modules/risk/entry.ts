import { sql } from 'drizzle-orm';
import type { EntryKind } from '../../platform/records/entries.js';
import { riskPaths } from './paths.js';
import { riskReview } from './schema.js';

export const RISK_REVIEW = 'risk_review';

/**
 * Risk reviews as entries (RISK-1, RISK-2): all of category risk, owned by the author's agency, each one
 * standing (a later review is a new point in the history, not a correction). A review at high or very
 * high risk is significant: what a chronology leads with.
 */
export const riskReviewEntries: EntryKind = {
  type: RISK_REVIEW,
  noun: 'risk review',
  table: riskReview,
  columns: {
    id: riskReview.id,
    personId: riskReview.personId,
    category: 'risk',
    owningAgencyId: riskReview.owningAgencyId,
    recordedAt: riskReview.recordedAt,
    title: sql`'Risk review: ' || case ${riskReview.level} when 'very_high' then 'very high' else ${riskReview.level} end || ' risk'`,
    significant: sql`${riskReview.level} in ('high', 'very_high')`,
    current: sql`true`,
  },
  restrictable: false,
  link: (personId, id) => riskPaths.review(personId, id),
};
