import { actorFor, openCase } from '../support/casework.js';
import { Browser, type TestConcord } from '../support/app.js';

/**
 * People under casework for the involvement tests: a person referred by the council's duty team to
 * the Riverside CMHT and allocated to Tom Okafor, so Riverside is involved (receiving service and lead
 * agency) and the council is the referrer. Consent is recorded as the sharing pages would record it.
 */

export const TOM = 'tom.okafor@riverside-nhs.example'; // care coordinator, Riverside CMHT
export const PRIYA = 'priya.raman@riverside-nhs.example'; // team manager, Riverside CMHT
export const DANIEL = 'daniel.hughes@riverside-nhs.example'; // practitioner, Riverside crisis team: no involvement.manage
export const RAJ = 'raj.patel@northshire-council.example'; // council duty practitioner: the referrer
export const SOPHIE = 'sophie.turner@northshire-council.example'; // council care coordinator: the referrer's agency only
export const KOFI = 'kofi.mensah@harbour-housing.example'; // housing practitioner
export const JADE = 'jade.robinson@pathways.example'; // drug and alcohol care coordinator, not involved

export async function involvementWorld(t: TestConcord) {
  const one = async (sql: string, value: string) => (await t.pool.query(sql, [value])).rows[0].id as string;
  const agencyId = (name: string) => one('select id from agency where name = $1', name);
  const teamId = (name: string) => one('select id from team where name = $1', name);
  const ids = {
    riverside: await agencyId('Riverside NHS Mental Health Trust'),
    council: await agencyId('Northshire County Council Adult Social Care'),
    housing: await agencyId('Harbour Housing Options'),
    housingTeam: await teamId('Housing Options and Homelessness'),
    pathways: await agencyId('Pathways Drug and Alcohol Service'),
    pathwaysTeam: await teamId('Pathways Recovery Team'),
    probation: await agencyId('Northshire Probation Delivery Unit'),
    cmht: await teamId('Riverside Community Mental Health Team'),
  };
  const actors = { tom: await actorFor(t, TOM), priya: await actorFor(t, PRIYA), raj: await actorFor(t, RAJ) };

  /** A person with an open CMHT case coordinated by Tom. */
  async function personInCare(name: [string, string]) {
    const opened = await openCase(t, actors.raj, actors.priya, actors.tom, { name });
    return opened.referral.personId;
  }

  /** The person's consent to share these categories with these agencies (or kinds of agency), until the review date. */
  async function consent(personId: string, to: { agencyIds?: string[]; agencyTypes?: string[] }, options: { categories?: string[]; decision?: 'given' | 'refused'; reviewDate?: string; obtainedAt?: string } = {}) {
    const { rows } = await t.pool.query(
      `insert into consent_decision (person_id, decision, agency_ids, agency_types, purposes, categories, obtained_how, obtained_at, review_date, recorded_at, recorded_by, recorded_by_agency)
       values ($1, $2, $3, $4, '{care_coordination}', $5, 'in_person', $6, $7, now(), $8, $9) returning id`,
      [personId, options.decision ?? 'given', to.agencyIds ?? [], to.agencyTypes ?? [], options.categories ?? ['basic_details', 'housing'], options.obtainedAt ?? t.clock.now().toISOString(), options.reviewDate ?? '2027-03-01', actors.tom.userId, ids.riverside],
    );
    return rows[0].id as string;
  }

  const involvements = async (personId: string) =>
    (await t.pool.query('select * from involvement where person_id = $1 order by started_at, id', [personId])).rows as {
      id: string;
      agency_id: string;
      team_id: string | null;
      role: string;
      domains: string[];
      lead_domains: string[];
      key_contact: string | null;
      communication: string | null;
      source_type: string;
      ended_at: Date | null;
      ended_reason: string | null;
    }[];
  /** The involvement's version as a form carries it: what an editor who opened it now would send back. */
  const versionOf = async (involvementId: string) => String((await t.pool.query('select version from involvement where id = $1', [involvementId])).rows[0].version);
  const involvementOf = async (personId: string, agencyId: string, role?: string) => (await involvements(personId)).find((i) => i.agency_id === agencyId && (!role || i.role === role) && !i.ended_at);

  return { ids, actors, personInCare, consent, involvements, involvementOf, versionOf, browser: (email: string) => new Browser(t.app).signIn(email) };
}

/** A complete addition of Harbour Housing, as the form sends it. */
export const housingForm = (ids: { housing: string; housingTeam: string }) => ({
  agencyId: ids.housing,
  teamId: ids.housingTeam,
  role: 'partner',
  domains: ['housing', 'money'],
  leadDomains: ['housing'],
  contactName: 'Kofi Mensah',
  contactRole: 'Housing options officer',
  contactPhone: '01632 960 300',
  communication: 'Monthly MDT; urgent matters by phone to the housing duty worker',
});
