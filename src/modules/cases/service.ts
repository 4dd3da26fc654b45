import type { Database } from '../../platform/db/database.js';
import * as store from './store.js';

export type CaseSummary = Awaited<ReturnType<typeof store.casesOfPeople>>[number];

/** Episodes of care. Opening, allocation and closure arrive with the referral journey. */
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
}
