import { inArray } from 'drizzle-orm';
import { PRIORITIES, type Priority } from '../../platform/clocks/obligation-rules.js';
import type { SubjectDescription, SubjectKind } from '../../platform/clocks/subjects.js';
import type { DirectoryService } from '../directory/service.js';
import { referralPaths } from './paths.js';
import { referral } from './schema.js';

export const REFERRAL_SUBJECT = 'referral';

/** A referral is urgent as screened, or until screening as suggested; "inappropriate" grades nothing. */
const priorityOf = (category: string | null): Priority | null => (PRIORITIES as readonly string[]).includes(category ?? '') ? (category as Priority) : null;

/**
 * How a referral reads wherever its deadlines are listed: its reference, its page, the team it was
 * sent to, and how urgent it is. Registered once where the services are built.
 */
export function referralSubjects(directory: Pick<DirectoryService, 'namesFor'>): SubjectKind {
  return {
    kind: REFERRAL_SUBJECT,
    noun: 'Referral',
    async describe(db, _actor, ids) {
      if (ids.length === 0) return new Map();
      const rows = await db
        .select({ id: referral.id, reference: referral.reference, teamId: referral.receivingTeamId, category: referral.category, suggested: referral.suggestedCategory })
        .from(referral)
        .where(inArray(referral.id, [...ids]));
      const { teams } = await directory.namesFor({ teamIds: rows.map((r) => r.teamId) }, db);
      return new Map(
        rows.map((r): [string, SubjectDescription] => {
          const team = teams.get(r.teamId)?.name;
          return [r.id, { reference: r.reference, link: referralPaths.referral(r.id), title: team ? `Referral to ${team}` : 'Referral', priority: priorityOf(r.category ?? r.suggested) }];
        }),
      );
    },
  };
}
