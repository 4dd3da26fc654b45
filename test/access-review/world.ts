import type { Actor } from '../../src/platform/access/actor.js';
import { actorFor } from '../support/casework.js';
import type { TestConcord } from '../support/app.js';
import { withQuery } from '../../src/platform/http/paths.js';
import { peopleApiPaths, peoplePaths } from '../../src/modules/people/paths.js';

/**
 * The people and facts the access-review tests look at: people known to agencies through involvement rows,
 * and consent and restrictions recorded as the sharing module records them (rows in its tables).
 */

export const EMAIL = {
  tom: 'tom.okafor@riverside-nhs.example', // care coordinator, Riverside CMHT: may see who opened a record
  priya: 'priya.raman@riverside-nhs.example', // team manager, Riverside CMHT
  raj: 'raj.patel@northshire-council.example', // practitioner, council duty team: usually not involved
  kofi: 'kofi.mensah@harbour-housing.example', // practitioner, housing
  michael: 'michael.dunn@northshire-probation.example', // practitioner, probation
  helen: 'helen.marsh@riverside-nhs.example', // auditor and Caldicott guardian
  alex: 'alex.morgan@northshire-care.example', // partnership administrator: no casework
} as const;

export const UNKNOWN_ID = '6d3f3f0e-1111-4222-8333-444455556666';

export async function worldFor(t: TestConcord) {
  const actors = {
    tom: await actorFor(t, EMAIL.tom),
    kofi: await actorFor(t, EMAIL.kofi),
    raj: await actorFor(t, EMAIL.raj),
  };
  let made = 0;

  /** A new person, with the agencies of the given actors involved in their care (a partner by default). */
  async function person(givenName: string, familyName: string, involved: { actor: Actor; role?: string }[] = [{ actor: actors.tom, role: 'receiving_service' }]) {
    made += 1;
    const dateOfBirth = `1980-01-${String((made % 28) + 1).padStart(2, '0')}`;
    const created = await t.db.transaction((tx) => t.services.people.createInTransaction(tx, actors.tom, t.services.people.parsePerson({ givenName, familyName, dateOfBirth }), () => undefined));
    for (const { actor, role } of involved) {
      await t.pool.query(`insert into involvement (person_id, agency_id, team_id, role, source_type, source_id, started_at) values ($1, $2, $3, $4, 'test', gen_random_uuid(), '2025-11-04T09:00:00Z')`, [
        created.id,
        actor.agencyId,
        actor.teamId,
        role ?? 'partner',
      ]);
    }
    return { id: created.id, name: `${givenName} ${familyName}`, dateOfBirth };
  }

  /**
   * The actor's known check (REF-8: name and date of birth, as a team that receives referrals makes it)
   * shows them the person, as it must before emergency access can be asked for.
   */
  async function found(actor: Actor, sought: Sought) {
    const { purpose, results } = await t.services.people.search(actor, { name: sought.name, dateOfBirth: sought.dateOfBirth });
    if (purpose !== 'known_check' || !results.some((r) => r.id === sought.id)) throw new Error(`${sought.name} was not shown by a known check`);
  }

  /** The person's consent to share these categories with the actor's agency, recorded by Tom; its id. */
  async function consent(personId: string, agency: Actor, categories: string[], decision: 'given' | 'refused' = 'given') {
    const row = await t.pool.query(
      `insert into consent_decision (person_id, decision, agency_ids, purposes, categories, obtained_how, obtained_at, review_date, recorded_at, recorded_by, recorded_by_agency)
       values ($1, $2, array[$3]::uuid[], '{care_coordination}', $4::text[], 'in_person', $5, '2027-01-01', $5, $6, $7) returning id`,
      [personId, decision, agency.agencyId, categories, t.clock.now(), actors.tom.userId, actors.tom.agencyId],
    );
    return row.rows[0].id as string;
  }

  async function withdraw(personId: string, consentId: string) {
    await t.pool.query(
      `insert into consent_decision (person_id, decision, withdraws, obtained_how, obtained_at, recorded_at, recorded_by, recorded_by_agency) values ($1, 'withdrawn', $2, 'phone', $3, $3, $4, $5)`,
      [personId, consentId, t.clock.now(), actors.tom.userId, actors.tom.agencyId],
    );
  }

  async function restrict(personId: string, agency: Actor, categories: string[]) {
    await t.pool.query(
      `insert into sharing_restriction (person_id, categories, agency_ids, reason, recorded_at, recorded_by, recorded_by_agency) values ($1, $2::text[], array[$3]::uuid[], 'The person asked', $4, $5, $6)`,
      [personId, categories, agency.agencyId, t.clock.now(), actors.tom.userId, actors.tom.agencyId],
    );
  }

  return { actors, person, found, consent, withdraw, restrict };
}

type Sought = { id: string; name: string; dateOfBirth: string };
/** The known check for a person on the search page, and through the API. */
export const knownCheck = (sought: Sought) => peoplePaths.searchFor({ name: sought.name, dateOfBirth: sought.dateOfBirth });
export const knownCheckApi = (sought: Sought) => withQuery(peopleApiPaths.people(), { name: sought.name, dateOfBirth: sought.dateOfBirth });

export const rowsOf = async (t: TestConcord, sql: string, values: unknown[] = []) => (await t.pool.query(sql, values)).rows;
export const countOf = async (t: TestConcord, table: string) => Number((await t.pool.query(`select count(*)::int as n from ${table}`)).rows[0].n);
