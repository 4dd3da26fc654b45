import { inArray } from 'drizzle-orm';
import type { SubjectDescription, SubjectKind } from '../../platform/clocks/subjects.js';
import type { DirectoryService } from '../directory/service.js';
import { casePaths } from './paths.js';
import { careCase } from './schema.js';

export const CASE_SUBJECT = 'case';

/**
 * How a case reads wherever its deadlines are listed: its reference, its page and the team that
 * holds it. Registered once where the services are built.
 */
export function caseSubjects(directory: Pick<DirectoryService, 'namesFor'>): SubjectKind {
  return {
    kind: CASE_SUBJECT,
    noun: 'Case',
    async describe(db, _actor, ids) {
      if (ids.length === 0) return new Map();
      const rows = await db.select({ id: careCase.id, reference: careCase.reference, teamId: careCase.teamId }).from(careCase).where(inArray(careCase.id, [...ids]));
      const { teams } = await directory.namesFor({ teamIds: rows.map((r) => r.teamId) }, db);
      return new Map(
        rows.map((r): [string, SubjectDescription] => {
          const team = teams.get(r.teamId)?.name;
          return [r.id, { reference: r.reference, link: casePaths.case(r.id), title: team ? `Case with ${team}` : 'Case' }];
        }),
      );
    },
  };
}
