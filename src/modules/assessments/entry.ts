import { sql } from 'drizzle-orm';
import type { EntryKind } from '../../platform/records/entries.js';
import { assessmentsPaths } from './paths.js';
import { assessment } from './schema.js';

/**
 * Completed assessments as entries. That an assessment was done, by whom and when is shared like basic
 * details, so every agency involved knows to ask; what it says is in its items, each under its domain's
 * category (see AssessmentsService), so this summary never carries any of it.
 */
export const assessmentEntries: EntryKind = {
  type: 'assessment',
  noun: 'assessment',
  table: assessment,
  columns: {
    id: assessment.id,
    personId: assessment.personId,
    category: 'basic_details',
    owningAgencyId: assessment.owningAgencyId,
    recordedAt: assessment.completedAt,
    title: sql`case ${assessment.kind} when 'core' then 'Core assessment' else 'Assessment for short-term work' end`,
    significant: sql`true`,
    // Each assessment stands as what was found on its day; a review is a new one beside it.
    current: sql`true`,
  },
  restrictable: false,
  link: (personId, id) => assessmentsPaths.assessment(personId, id),
};
