import { inArray } from 'drizzle-orm';
import type { SubjectDescription, SubjectKind } from '../../platform/clocks/subjects.js';
import { assessmentsPaths } from './paths.js';
import { ASSESSMENT_KIND_NAMES } from './rules.js';
import { assessment } from './schema.js';

export const ASSESSMENT_SUBJECT = 'assessment';

/** How an assessment reads wherever its clocks (ASSESS-4, ASSESS-5) are listed: its kind and when it was signed. */
export const assessmentSubjects: SubjectKind = {
  kind: ASSESSMENT_SUBJECT,
  noun: 'Assessment',
  async describe(db, _actor, ids) {
    if (ids.length === 0) return new Map();
    const rows = await db.select({ id: assessment.id, personId: assessment.personId, kind: assessment.kind, completedAt: assessment.completedAt }).from(assessment).where(inArray(assessment.id, [...ids]));
    const on = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
    return new Map(rows.map((r): [string, SubjectDescription] => [r.id, { reference: null, link: assessmentsPaths.assessment(r.personId, r.id), title: `${ASSESSMENT_KIND_NAMES[r.kind]} of ${on(r.completedAt)}` }]));
  },
};
