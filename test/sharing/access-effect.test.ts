import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { Browser, testConcord, type TestConcord } from '../support/app.js';
import { loadPersonFacts, momentOf } from '../../src/platform/access/facts.js';
import { decideItemAccess, decidePersonAccess, type Item } from '../../src/platform/access/person-access.js';
import { canSeeItem } from '../../src/platform/access/person-filter.js';
import type { Actor } from '../../src/platform/access/actor.js';
import { recordPaths } from '../../src/modules/people/paths.js';
import { KOFI, daysFrom, sharingWorld } from './world.js';

/*
 * What the sharing records do to access, on the very next request: the pure decision (over the facts
 * loaded from the database) and its SQL twin must both flip as consent is given, withdrawn, expires or
 * is outweighed, as restrictions are recorded and lifted, and as exceptions are decided and ended.
 */

const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z' });
const world = await sharingWorld(t);
const { tom, priya, kofi, owen } = world;
const sharing = t.services.sharing;
const TODAY = '2026-03-03';

/** Whether `actor` may see the item, as the decision says and as the SQL filter says; they must agree. */
async function sees(actor: Actor, personId: string, item: Item): Promise<boolean> {
  const at = momentOf(t.clock);
  const decided = decideItemAccess(actor, await loadPersonFacts(t.db, personId), item, at).allowed;
  const rows = await t.db.execute<{ n: number }>(sql`
    select count(*)::int as n
    from (values (${personId}::uuid, ${item.category}::text, ${item.owningAgencyId}::uuid, ${item.entryId ?? null}::uuid)) as item(person_id, category, owning_agency_id, entry_id)
    where ${canSeeItem(actor, { personId: sql`item.person_id`, category: sql`item.category`, owningAgencyId: sql`item.owning_agency_id`, entryId: sql`item.entry_id` }, at)}`);
  const filtered = rows.rows[0]!.n === 1;
  assert.equal(filtered, decided, `the SQL filter and the decision disagree about ${item.category}`);
  return decided;
}

const consentFor = (personId: string, agencyIds: string[], categories: string[], over: Record<string, unknown> = {}) =>
  sharing.recordConsent(tom, personId, { decision: 'given', agencyIds, categories, purposes: ['housing_support'], obtainedHow: 'in_person', obtainedOn: TODAY, reviewDate: '2027-01-31', ...over });

describe('consent', () => {
  test('Housing sees CMHT’s mental health items once consent is given, and not from the request after it is withdrawn', async () => {
    const maria = await world.person();
    const mentalHealth: Item = { category: 'mental_health', owningAgencyId: tom.agencyId };
    assert.equal(await sees(kofi, maria.id, mentalHealth), false, 'no consent yet');
    assert.equal(await sees(kofi, maria.id, { category: 'basic_details', owningAgencyId: tom.agencyId }), true, 'basic details need no consent');

    const consent = await consentFor(maria.id, [kofi.agencyId], ['mental_health']);
    assert.equal(await sees(kofi, maria.id, mentalHealth), true);
    assert.equal(await sees(kofi, maria.id, { category: 'risk', owningAgencyId: tom.agencyId }), false, 'only the categories consented to');
    assert.equal(await sees(world.raj, maria.id, mentalHealth), false, 'only the agency named');

    await sharing.withdrawConsent(kofi, maria.id, consent.id, { withdrawnOn: TODAY, obtainedHow: 'phone' });
    assert.equal(await sees(kofi, maria.id, mentalHealth), false);
  });

  test('a note CMHT wrote shows on Housing’s notes page until consent is withdrawn, then not on the next page load', async () => {
    const maria = await world.person();
    await t.services.notes.record(tom, maria.id, { category: 'mental_health', title: 'Relapse signature discussed', text: 'Early warning signs agreed with her.' });
    const housing = await new Browser(t.app).signIn(KOFI);
    assert.doesNotMatch((await housing.get(recordPaths.notes(maria.id))).body, /Relapse signature discussed/);
    const consent = await consentFor(maria.id, [kofi.agencyId], ['mental_health']);
    assert.match((await housing.get(recordPaths.notes(maria.id))).body, /Relapse signature discussed/);
    await sharing.withdrawConsent(tom, maria.id, consent.id, { withdrawnOn: TODAY, obtainedHow: 'in_person' });
    assert.doesNotMatch((await housing.get(recordPaths.notes(maria.id))).body, /Relapse signature discussed/);
  });

  test('consent to a kind of agency reaches every agency of that kind', async () => {
    const maria = await world.person();
    await consentFor(maria.id, [], ['risk'], { agencyTypes: ['housing'] });
    assert.equal(await sees(kofi, maria.id, { category: 'risk', owningAgencyId: tom.agencyId }), true);
  });

  test('consent expires the day after its review date', async () => {
    const maria = await world.person();
    await consentFor(maria.id, [kofi.agencyId], ['mental_health'], { reviewDate: daysFrom(t, 5) });
    const item: Item = { category: 'mental_health', owningAgencyId: tom.agencyId };
    const start = t.clock.now().toISOString();
    try {
      t.clock.set(`${daysFrom(t, 5)}T23:59:00Z`);
      assert.equal(await sees(kofi, maria.id, item), true, 'in force on its review date');
      t.clock.advance(2 * 60_000);
      assert.equal(await sees(kofi, maria.id, item), false, 'expired from the next day');
    } finally {
      t.clock.set(start);
    }
  });

  test('a later refusal outweighs earlier consent; a later consent outweighs the refusal', async () => {
    const maria = await world.person();
    const item: Item = { category: 'mental_health', owningAgencyId: tom.agencyId };
    await consentFor(maria.id, [kofi.agencyId], ['mental_health']);
    t.clock.advance(60_000);
    await sharing.recordConsent(tom, maria.id, { decision: 'refused', agencyIds: [kofi.agencyId], categories: ['mental_health'], purposes: ['housing_support'], obtainedHow: 'phone', obtainedOn: TODAY, consequences: 'Housing cannot consider her health' });
    assert.equal(await sees(kofi, maria.id, item), false);
    const overview = await sharing.overview(tom, maria.id);
    assert.deepEqual(overview.consequences.map((c) => c.restricted), [['Harbour Housing Options cannot be given information about mental health without the person’s consent.']]);
    t.clock.advance(60_000);
    await consentFor(maria.id, [kofi.agencyId], ['mental_health']);
    assert.equal(await sees(kofi, maria.id, item), true);
    assert.deepEqual((await sharing.overview(tom, maria.id)).consequences, [], 'the refusal no longer keeps anything');
  });
});

describe('restrictions', () => {
  test('a restriction hides what consent would share from the agency named, until it is lifted; the owner always sees its own', async () => {
    const maria = await world.person();
    const item: Item = { category: 'mental_health', owningAgencyId: tom.agencyId };
    await consentFor(maria.id, [kofi.agencyId], ['mental_health']);
    const restriction = await sharing.recordRestriction(tom, maria.id, { categories: ['mental_health'], agencyIds: [kofi.agencyId], reason: 'She asked' });
    assert.equal(await sees(kofi, maria.id, item), false);
    assert.equal(await sees(tom, maria.id, item), true);
    await sharing.liftRestriction(tom, maria.id, restriction.id, { reason: 'She changed her mind' });
    assert.equal(await sees(kofi, maria.id, item), true);
  });

  test('a restriction on one entry hides that entry only', async () => {
    const maria = await world.person();
    await consentFor(maria.id, [kofi.agencyId], ['mental_health']);
    const entryId = await world.noteAbout(maria.id);
    await sharing.recordRestriction(tom, maria.id, { entryType: 'note', entryId, agencyIds: [kofi.agencyId], reason: 'Intimate details' });
    assert.equal(await sees(kofi, maria.id, { category: 'mental_health', owningAgencyId: tom.agencyId, entryId }), false);
    assert.equal(await sees(kofi, maria.id, { category: 'mental_health', owningAgencyId: tom.agencyId, entryId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }), true);
  });
});

describe('exceptions', () => {
  const exception = (personId: string, reviewDate = '2026-06-01') =>
    sharing.recordException(priya, personId, {
      lawfulBasis: 'child_protection',
      justification: 'Her partner has assaulted her in front of the children; children’s services need the risk picture now.',
      categories: ['risk'],
      agencyIds: [owen.agencyId],
      reviewDate,
      personInformed: 'yes',
      checklist: ['necessary', 'proportionate', 'consent_not_sought', 'recipients_told', 'advice_sought'],
    });

  test('an exception opens the record to an agency not involved, for its categories only, until it is ended', async () => {
    const maria = await world.person();
    const facts = async () => decidePersonAccess(owen, await loadPersonFacts(t.db, maria.id), momentOf(t.clock)).level;
    assert.equal(await facts(), 'none');
    const row = await exception(maria.id);
    assert.equal(await facts(), 'record');
    assert.equal(await sees(owen, maria.id, { category: 'risk', owningAgencyId: tom.agencyId }), true);
    assert.equal(await sees(owen, maria.id, { category: 'mental_health', owningAgencyId: tom.agencyId }), false);
    await sharing.endException(priya, maria.id, row.id, { reason: 'Child protection plan in place' });
    assert.equal(await facts(), 'none');
    assert.equal(await sees(owen, maria.id, { category: 'risk', owningAgencyId: tom.agencyId }), false);
  });

  test('an exception stops sharing after its review date', async () => {
    const maria = await world.person();
    await exception(maria.id, daysFrom(t, 2));
    const start = t.clock.now().toISOString();
    try {
      t.clock.set(`${daysFrom(t, 3)}T09:00:00Z`);
      assert.equal(await sees(owen, maria.id, { category: 'risk', owningAgencyId: tom.agencyId }), false);
    } finally {
      t.clock.set(start);
    }
  });
});
