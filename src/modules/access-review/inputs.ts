import { z } from 'zod';
import { wholeNumber } from '../../platform/input-rules.js';
import { ACCESS_ALERT_KINDS, ALERT_OUTCOMES } from '../../platform/access/schema.js';
import { BREAK_GLASS_REASONS } from '../../platform/access/sharing-terms.js';
import { BREAK_GLASS_EXPLANATION, REVIEW_NOTES_MAX } from './rules.js';
import { BREAK_GLASS_DECISIONS } from './schema.js';

/** The forms' schemas, shared by the pages and the API: one per form. */

const { min, max } = BREAK_GLASS_EXPLANATION;

export const breakGlassInput = z.object({
  reason: z.enum(BREAK_GLASS_REASONS, { error: 'Select why you need emergency access' }),
  explanation: z
    .string({ error: 'Explain why you need emergency access' })
    .trim()
    .min(1, 'Explain why you need emergency access')
    .min(min, `Explain why you need emergency access in at least ${min} characters`)
    .max(max, `Your explanation must be ${max} characters or fewer`),
});

export const reviewInput = z.object({
  outcome: z.enum(ALERT_OUTCOMES, { error: 'Select the outcome of your review' }),
  notes: z
    .string({ error: 'Enter what you found and what you decided' })
    .trim()
    .min(1, 'Enter what you found and what you decided')
    .max(REVIEW_NOTES_MAX, `Your notes must be ${REVIEW_NOTES_MAX} characters or fewer`),
});

/** The Caldicott guardian's decision on emergency access that waited for her. */
export const decisionInput = z.object({
  decision: z.enum(BREAK_GLASS_DECISIONS, { error: 'Select whether to approve or decline the emergency access' }),
  notes: z
    .string({ error: 'Enter why you decided this' })
    .trim()
    .min(1, 'Enter why you decided this')
    .max(REVIEW_NOTES_MAX, `Your notes must be ${REVIEW_NOTES_MAX} characters or fewer`),
});

const blankAsMissing = (value: unknown) => (value === '' ? undefined : value);

/** The alert queue's filters (a GET form on the page, query parameters on the API). */
export const alertFilters = z.object({
  kind: z.preprocess(blankAsMissing, z.enum(ACCESS_ALERT_KINDS, { error: 'Choose a kind of alert from the list' }).optional()),
  status: z.preprocess(blankAsMissing, z.enum(['unreviewed', 'reviewed'], { error: 'Choose reviewed or not reviewed' }).optional()),
  page: z.preprocess(blankAsMissing, wholeNumber({ invalid: 'The page must be a number', notWhole: 'The page must be a whole number', min: [1, 'The page must be 1 or more'], max: [10_000, 'There are not that many pages'] }).optional()),
});
export type AlertFilters = z.infer<typeof alertFilters>;

/** An older page of a keyset-paged list: the event to start before. */
export const beforeQuery = z.object({
  before: z.preprocess(blankAsMissing, wholeNumber({ invalid: 'Older views must start from an event number', min: [1, 'Older views must start from an event number'] }).optional()),
});
