import type { Actor } from '../../src/platform/access/actor.js';
import type { TestConcord } from '../support/app.js';
import { actorFor } from '../support/casework.js';

/**
 * The people and sharing facts the notes tests need: a person known to Riverside CMHT (which writes
 * the notes) with Harbour Housing involved as a partner; consent and restrictions inserted as the
 * sharing module would record them, so these tests do not depend on its forms.
 */

export const TOM = 'tom.okafor@riverside-nhs.example'; // Riverside CMHT, care coordinator
export const PRIYA = 'priya.raman@riverside-nhs.example'; // Riverside CMHT, team manager
export const KOFI = 'kofi.mensah@harbour-housing.example'; // Harbour Housing, practitioner
export const RAJ = 'raj.patel@northshire-council.example'; // council duty team: not involved
export const HELEN = 'helen.marsh@riverside-nhs.example'; // auditor: no casework

export async function notesWorld(t: TestConcord) {
  const tom = await actorFor(t, TOM);
  const kofi = await actorFor(t, KOFI);
  let made = 0;

  const involve = (personId: string, actor: Actor, role: string) =>
    t.pool.query(`insert into involvement (person_id, agency_id, team_id, role, source_type, source_id, started_at) values ($1, $2, $3, $4, 'test', gen_random_uuid(), '2025-11-04T09:00:00Z')`, [
      personId,
      actor.agencyId,
      actor.teamId,
      role,
    ]);

  /** A new person known to Riverside CMHT and, unless told otherwise, to Harbour Housing as a partner. */
  async function person(options: { housing?: boolean; given?: string } = {}) {
    made += 1;
    const created = await t.db.transaction((tx) =>
      t.services.people.createInTransaction(tx, tom, t.services.people.parsePerson({ givenName: options.given ?? 'Noelle', familyName: `Testcase${made}`, dateOfBirth: '1981-05-17' }), () => undefined),
    );
    await involve(created.id, tom, 'receiving_service');
    if (options.housing ?? true) await involve(created.id, kofi, 'partner');
    return { id: created.id, name: `${created.givenName} ${created.familyName}` };
  }

  /** A note written through the service, as `by`, a minute after the last thing that happened (so the order is known). */
  const note = (by: Actor, personId: string, category: string, title: string, extra: Record<string, unknown> = {}) => {
    t.clock.advance(60_000);
    return t.services.notes.record(by, personId, { category, title, text: `${title}: what was seen and said.`, ...extra });
  };

  /** Consent given to share these categories with Harbour Housing, in force until the review date. */
  async function consentForHousing(personId: string, categories: string[], reviewDate = '2026-12-31') {
    const rows = await t.pool.query(
      `insert into consent_decision (person_id, decision, agency_ids, purposes, categories, obtained_how, obtained_at, review_date, recorded_at, recorded_by, recorded_by_agency)
       values ($1, 'given', $2, '{housing_support}', $3, 'in_person', $4, $5, $4, $6, $7) returning id`,
      [personId, [kofi.agencyId], categories, t.clock.now().toISOString(), reviewDate, tom.userId, tom.agencyId],
    );
    return rows.rows[0].id as string;
  }

  /** CON-3: the person asked that one note (or, without an entry, whole categories) is not shared with Harbour Housing. */
  async function restrictFromHousing(personId: string, restriction: { entryId?: string; categories?: string[] }) {
    const rows = await t.pool.query(
      `insert into sharing_restriction (person_id, entry_type, entry_id, categories, agency_ids, reason, recorded_at, recorded_by, recorded_by_agency)
       values ($1, $2, $3, $4, $5, 'The person asked', $6, $7, $8) returning id`,
      [personId, restriction.entryId ? 'note' : null, restriction.entryId ?? null, restriction.categories ?? [], [kofi.agencyId], t.clock.now().toISOString(), tom.userId, tom.agencyId],
    );
    return rows.rows[0].id as string;
  }

  async function endRestriction(restrictionId: string) {
    await t.pool.query(`insert into sharing_restriction_end (restriction_id, ended_at, ended_by, reason) values ($1, $2, $3, 'The person changed their mind')`, [
      restrictionId,
      t.clock.now().toISOString(),
      tom.userId,
    ]);
  }

  const noteRows = async (personId: string) => (await t.pool.query('select *, happened_on::text as happened_on from record_note where person_id = $1 order by recorded_at', [personId])).rows;

  return { tom, kofi, person, note, consentForHousing, restrictFromHousing, endRestriction, noteRows };
}
