import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditSince, Browser, lastAuditId, testConcord } from '../support/app.js';
import { actorFor } from '../support/casework.js';
import { recordPaths } from '../../src/modules/people/paths.js';

/*
 * A person id that comes in with a request answers the same whether the person is missing or is not
 * the actor's to see: the same page, byte for byte once the per-response tokens are masked, and the same
 * refusal recorded (so the same statements run and neither answers faster).
 */

const t = await testConcord();
const tom = await actorFor(t, 'tom.okafor@riverside-nhs.example');
const kofi = await new Browser(t.app).signIn('kofi.mensah@harbour-housing.example'); // housing: no relationship with Ursula
const MISSING = '6d3f3f0e-1111-4222-8333-444455556666';
const ursula = await t.db.transaction((tx) =>
  t.services.people.createInTransaction(tx, tom, t.services.people.parsePerson({ givenName: 'Ursula', familyName: 'Quarrington', dateOfBirth: '1961-04-09' }), () => undefined),
);
await t.pool.query(`insert into involvement (person_id, agency_id, team_id, role, source_type, source_id, started_at) values ($1, $2, $3, 'receiving_service', 'test', gen_random_uuid(), now())`, [ursula.id, tom.agencyId, tom.teamId]);

const masked = (body: string) => body.replace(/nonce="[^"]+"/g, 'nonce=""').replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value=""').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'ID').replace(/Reference:? [A-Za-z0-9-]+/g, 'Reference');

const ROUTES = [
  { name: 'a referral for the person', url: (id: string) => `/referrals/new?personId=${id}` },
  { name: 'emergency access to their record', url: (id: string) => recordPaths.breakGlass(id) },
];

for (const route of ROUTES) {
  test(`${route.name}: a person you may not see answers exactly as one that does not exist`, async () => {
    const before = await lastAuditId(t);
    const hidden = await kofi.get(route.url(ursula.id));
    const afterHidden = await lastAuditId(t);
    const missing = await kofi.get(route.url(MISSING));
    assert.equal(hidden.statusCode, 404);
    assert.equal(missing.statusCode, 404);
    assert.doesNotMatch(hidden.body, /Ursula|Quarrington|1961/);
    assert.equal(masked(hidden.body), masked(missing.body));
    const shape = (events: Awaited<ReturnType<typeof auditSince>>) => events.map((e) => [e.action, e.outcome, e.subject_type, e.details]);
    const hiddenEvents = (await auditSince(t, before)).filter((e) => e.id <= afterHidden);
    const missingEvents = await auditSince(t, afterHidden);
    assert.deepEqual(shape(hiddenEvents), [['person.view_refused', 'denied', 'person', { answered: 'not found' }]]);
    assert.deepEqual(shape(missingEvents), shape(hiddenEvents), 'the same refusal is written for both');
  });
}

test('once a search has shown the person, the referral and emergency access pages name them', async () => {
  // Housing receives referrals: its known check (name and date of birth) shows someone it has no relationship with.
  const search = await kofi.get(`/people/search?name=Ursula+Quarrington&dateOfBirth-day=9&dateOfBirth-month=4&dateOfBirth-year=1961`);
  assert.match(search.body, /data-purpose="known_check"/);
  assert.match(search.body, /Ursula Quarrington/);
  for (const route of ROUTES) {
    const page = await kofi.get(route.url(ursula.id));
    assert.equal(page.statusCode, 200, route.name);
    assert.match(page.body, /Ursula Quarrington/, route.name);
  }
});
