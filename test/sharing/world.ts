import type { TestConcord } from '../support/app.js';
import { actorFor } from '../support/casework.js';

/**
 * The people the consent and sharing tests need: each one known to Riverside CMHT, with Harbour
 * Housing (and, when asked, Northshire Children's Services) involved as partners. Involvement is
 * inserted as the involvement module would record it, so these tests do not depend on its forms.
 */

export const TOM = 'tom.okafor@riverside-nhs.example'; // Riverside CMHT, care coordinator
export const PRIYA = 'priya.raman@riverside-nhs.example'; // Riverside CMHT, team manager
export const KOFI = 'kofi.mensah@harbour-housing.example'; // Harbour Housing, practitioner
export const OWEN = 'owen.price@northshire-childrens.example'; // Children's Services, team manager
export const RAJ = 'raj.patel@northshire-council.example'; // council duty team: involved with no one here
export const ALEX = 'alex.morgan@northshire-care.example'; // partnership administrator: no casework

export async function sharingWorld(t: TestConcord) {
  const tom = await actorFor(t, TOM);
  const priya = await actorFor(t, PRIYA);
  const kofi = await actorFor(t, KOFI);
  const owen = await actorFor(t, OWEN);
  const raj = await actorFor(t, RAJ);
  let made = 0;

  const involve = (personId: string, actor: { agencyId: string; teamId: string }, role: string) =>
    t.pool.query(`insert into involvement (person_id, agency_id, team_id, role, source_type, source_id, started_at) values ($1, $2, $3, $4, 'test', gen_random_uuid(), '2025-11-04T09:00:00Z')`, [
      personId,
      actor.agencyId,
      actor.teamId,
      role,
    ]);

  /** A new person known to Riverside CMHT and Harbour Housing (and Children's Services when asked). */
  async function person(options: { childrens?: boolean } = {}) {
    made += 1;
    const created = await t.db.transaction((tx) =>
      t.services.people.createInTransaction(tx, tom, t.services.people.parsePerson({ givenName: 'Maria', familyName: `Sharingcase${made}`, dateOfBirth: '1979-02-11' }), () => undefined),
    );
    await involve(created.id, tom, 'receiving_service');
    await involve(created.id, kofi, 'partner');
    if (options.childrens) await involve(created.id, owen, 'partner');
    return { id: created.id, name: `${created.givenName} ${created.familyName}` };
  }

  /** A note by Tom's agency about the person: what a restriction on one entry names. */
  const noteAbout = async (personId: string) =>
    (await t.services.notes.record(tom, personId, { category: 'mental_health', title: 'About her relationship', text: 'What she told me about her former partner.' })).id;

  /** A person no one in these tests is involved with except the council's learning disability team. */
  async function strangerToAll() {
    made += 1;
    const created = await t.db.transaction((tx) =>
      t.services.people.createInTransaction(tx, tom, t.services.people.parsePerson({ givenName: 'Hidden', familyName: `Person${made}`, dateOfBirth: '1990-01-01' }), () => undefined),
    );
    const sophie = await actorFor(t, 'sophie.turner@northshire-council.example');
    await involve(created.id, sophie, 'receiving_service');
    return { id: created.id };
  }

  const count = async (table: string, personId: string) => (await t.pool.query(`select count(*)::int as n from ${table} where person_id = $1`, [personId])).rows[0].n as number;
  /** Every sharing record about the person, by table: what "nothing was written" is checked against. */
  const written = async (personId: string) => ({
    consents: await count('consent_decision', personId),
    restrictions: await count('sharing_restriction', personId),
    exceptions: await count('sharing_exception', personId),
    restrictionEnds: (await t.pool.query(`select count(*)::int as n from sharing_restriction_end e join sharing_restriction r on r.id = e.restriction_id where r.person_id = $1`, [personId])).rows[0].n as number,
    exceptionEnds: (await t.pool.query(`select count(*)::int as n from sharing_exception_end e join sharing_exception x on x.id = e.exception_id where x.person_id = $1`, [personId])).rows[0].n as number,
  });

  return { noteAbout, tom, priya, kofi, owen, raj, person, strangerToAll, written };
}

/** The London date `days` after the test clock's today. */
export function daysFrom(t: TestConcord, days: number): string {
  return new Date(t.clock.now().getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** A YYYY-MM-DD as the three boxes of a GOV.UK date input. */
export function dateBoxes(field: string, date: string): Record<string, string> {
  const [year, month, day] = date.split('-');
  return { [`${field}-day`]: String(Number(day)), [`${field}-month`]: String(Number(month)), [`${field}-year`]: year! };
}
