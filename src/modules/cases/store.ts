import { desc, inArray } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { careCase } from './schema.js';

export async function casesOfPeople(db: Queryable, personIds: string[]) {
  if (personIds.length === 0) return [];
  return db
    .select({
      id: careCase.id,
      reference: careCase.reference,
      personId: careCase.personId,
      teamId: careCase.teamId,
      agencyId: careCase.agencyId,
      coordinatorUserId: careCase.coordinatorUserId,
      state: careCase.state,
      openedAt: careCase.openedAt,
      closedAt: careCase.closedAt,
    })
    .from(careCase)
    .where(inArray(careCase.personId, personIds))
    .orderBy(desc(careCase.openedAt));
}
