import type { Database, Queryable } from '../../platform/db/database.js';
import { careCase, coordinatorAllocation } from './schema.js';
import * as store from './store.js';

export type CaseSummary = Awaited<ReturnType<typeof store.casesOfPeople>>[number];

export type NewCase = {
  personId: string;
  referralId: string;
  teamId: string;
  agencyId: string;
  leadAgencyId: string;
  coordinatorUserId: string;
  reasons: string;
  considerations: string[];
  by: string;
  at: Date;
};

/** Episodes of care: opened at allocation with exactly one coordinator (COORD-1). */
export class CasesService {
  constructor(private readonly db: Database) {}

  /**
   * Each person's cases, newest first, with no clinical detail: the "is this person known, and who
   * coordinates their care?" facts (REF-8) the caller decides whether to show.
   */
  async summariesFor(personIds: string[]): Promise<Map<string, CaseSummary[]>> {
    const rows = await store.casesOfPeople(this.db, personIds);
    const byPerson = new Map<string, CaseSummary[]>();
    for (const row of rows) byPerson.set(row.personId, [...(byPerson.get(row.personId) ?? []), row]);
    return byPerson;
  }

  lastClosedAt(db: Queryable, personId: string, teamId: string) {
    return store.lastClosedAt(db, personId, teamId);
  }

  caseloads(userIds: string[]) {
    return store.caseloads(this.db, userIds);
  }

  caseForReferral(db: Queryable, referralId: string) {
    return store.caseForReferral(db, referralId);
  }

  /** Opens the case inside the caller's transaction (the allocation), with its first coordinator. */
  async open(tx: Queryable, input: NewCase) {
    const reference = await store.nextCaseReference(tx, input.at.getUTCFullYear());
    const [opened] = await tx
      .insert(careCase)
      .values({
        reference,
        personId: input.personId,
        referralId: input.referralId,
        teamId: input.teamId,
        agencyId: input.agencyId,
        leadAgencyId: input.leadAgencyId,
        coordinatorUserId: input.coordinatorUserId,
        state: 'open',
        openedAt: input.at,
      })
      .returning();
    await tx.insert(coordinatorAllocation).values({
      caseId: opened!.id,
      userId: input.coordinatorUserId,
      reasons: input.reasons,
      considerations: input.considerations,
      allocatedAt: input.at,
      allocatedBy: input.by,
    });
    return opened!;
  }
}
