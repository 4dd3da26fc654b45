import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, auditSince, Browser, lastAuditId, testConcord } from '../support/app.js';
import { HANDBOOK } from '../../src/demo/people.js';
import { peoplePaths as paths } from '../../src/modules/people/paths.js';
import { DomainError } from '../../src/platform/errors.js';

/*
 * REF-8's known check belongs to teams that receive referrals, for a query that identifies someone.
 * Aaron Whitlock (the handbook's service user A) has an open case at the Riverside community mental
 * health team, coordinated by Tom Okafor; neither the council's duty team nor the police work with him.
 */
const t = await testConcord();
const { people, directory, referrals } = t.services;

async function actorFor(email: string) {
  const account = await directory.findAccountByEmail(email);
  return (await directory.loadActor(account!.userId, null, { kind: 'session', sessionId: 'test' }))!;
}

const RAJ = 'raj.patel@northshire-council.example'; // adult social care duty team: receives referrals
const LAURA = 'laura.evans@northshire-police.example'; // police: not a front door
const raj = await actorFor(RAJ);
const laura = await actorFor(LAURA);
const ben = await actorFor('ben.carter@opendoor.example'); // voluntary outreach: receives referrals until its settings say not
const AARON = (await t.pool.query(`select id from person where given_name = 'Aaron' and family_name = 'Whitlock'`)).rows[0].id as string;
const { nhsNumber: AARON_NHS, dateOfBirth: AARON_DOB } = HANDBOOK.a;
const identifying = { name: 'Aaron Whitlock', dateOfBirth: AARON_DOB };
const ids = (answer: { results: { id: string }[] }) => answer.results.map((r) => r.id);

test('a receiving team’s identifying query finds someone it has no relationship with: who knows them and who coordinates, recorded as a known check', async () => {
  const before = await lastAuditId(t);
  const answer = await people.search(raj, identifying);
  assert.equal(answer.purpose, 'known_check');
  const found = answer.results.find((r) => r.id === AARON)!;
  assert.ok(found, 'Aaron is found');
  assert.equal(found.canOpenRecord, false);
  assert.deepEqual([...new Set(found.knownTo.map((k) => k.agencyName))], ['Riverside NHS Mental Health Trust']);
  assert.deepEqual(found.cases.map((c) => [c.teamName, c.state, c.coordinator?.name]), [['Riverside Community Mental Health Team', 'open', 'Tom Okafor']]);
  assert.deepEqual(Object.keys(found).sort(), ['canOpenRecord', 'cases', 'dateOfBirth', 'familyName', 'givenName', 'id', 'knownTo', 'likely', 'nhsNumberMatches', 'postcode'], 'the minimal facts, as before: nothing clinical');
  const events = await auditSince(t, before);
  assert.deepEqual(events.map((e) => [e.action, e.subject_id, e.details.purpose]), [['person.searched', null, 'known_check'], ...answer.results.map((r) => ['person.known_check', r.id, 'known_check'])]);
});

test('an NHS number on its own identifies someone', async () => {
  const answer = await people.search(raj, { nhsNumber: AARON_NHS });
  assert.deepEqual([answer.purpose, ids(answer)], ['known_check', [AARON]]);
});

for (const [what, query] of [
  ['a name alone', { name: 'Aaron Whitlock' }],
  ['a postcode alone', { postcode: HANDBOOK.a.postcode }],
  ['a date of birth alone', { dateOfBirth: AARON_DOB }],
  ['one word of the name with the date of birth', { name: 'Whitlock', dateOfBirth: AARON_DOB }],
] as const) {
  test(`${what} does not identify anyone: the same user finds only people their agency works with`, async () => {
    const before = await lastAuditId(t);
    const answer = await people.search(raj, query);
    assert.equal(answer.purpose, 'relationship');
    assert.ok(!ids(answer).includes(AARON), 'Aaron is not found');
    assert.ok(answer.results.every((r) => r.canOpenRecord), 'everyone found is someone they may open');
    const events = await auditSince(t, before);
    assert.ok(!events.some((e) => e.action === 'person.known_check'));
    assert.ok(!events.some((e) => e.subject_id === AARON), 'nothing about Aaron is recorded as shown');
  });
}

test('a police officer’s identifying query does not find him: the police do not receive referrals', async () => {
  const answer = await people.search(laura, identifying);
  assert.equal(answer.purpose, 'relationship');
  assert.ok(!ids(answer).includes(AARON));
  assert.equal((await people.search(laura, { nhsNumber: AARON_NHS })).results.length, 0);
});

test('a page the known check led to names the person; for anyone it did not show them to, the person is missing', async () => {
  await people.search(raj, identifying);
  const shown = await people.shownToActor(raj, AARON, { action: 'referral.person_viewed', purpose: 'referral intake' });
  assert.equal(shown.name, 'Aaron Whitlock');
  await people.search(laura, identifying);
  await assert.rejects(people.shownToActor(laura, AARON, { action: 'referral.person_viewed', purpose: 'referral intake' }), (e: DomainError) => e.kind === 'not_found');
});

test('a team whose settings say it takes no referrals has no known check', async () => {
  assert.equal((await people.search(ben, identifying)).purpose, 'known_check', 'outreach takes referrals by default');
  await referrals.setUpNotTakingReferrals([{ teamId: ben.teamId, agencyId: ben.agencyId }], 'test');
  const answer = await people.search(ben, identifying);
  assert.deepEqual([answer.purpose, ids(answer).includes(AARON)], ['relationship', false]);
});

test('the page says which purpose the search served, and offers emergency access only on a known check', async () => {
  const query = new URLSearchParams({ name: 'Aaron Whitlock', 'dateOfBirth-day': AARON_DOB.slice(8), 'dateOfBirth-month': AARON_DOB.slice(5, 7), 'dateOfBirth-year': AARON_DOB.slice(0, 4) });
  const rajPage = await (await new Browser(t.app).signIn(RAJ)).get(`${paths.search()}?${query}`);
  assert.equal(rajPage.statusCode, 200);
  assert.match(rajPage.body, /data-purpose="known_check">Checking whether someone is known: showing anyone who matches this name and date of birth/);
  assert.match(rajPage.body, /Aaron Whitlock/);
  assert.match(rajPage.body, /data-qa="break-glass"/, 'emergency access is offered for someone they cannot open');

  const nameOnly = await (await new Browser(t.app).signIn(RAJ)).get(`${paths.search()}?${new URLSearchParams({ name: 'Aaron Whitlock' })}`);
  assert.match(nameOnly.body, /data-purpose="relationship"/);
  assert.match(nameOnly.body, /search with their first and last name and full date of birth, or their NHS number/);
  assert.doesNotMatch(nameOnly.body, /Aaron Whitlock<\/h3>|data-qa="break-glass"/);

  const lauraPage = await (await new Browser(t.app).signIn(LAURA)).get(`${paths.search()}?${query}`);
  assert.match(lauraPage.body, /People your agency works with/);
  assert.match(lauraPage.body, /You can only find people your agency works with. To check whether someone is known to services, ask a team that receives referrals./);
  assert.doesNotMatch(lauraPage.body, /data-qa="break-glass"/);
});

test('the API answer says its purpose', async () => {
  const rajApi = await apiClient(t, RAJ);
  const known = await rajApi.get(`/api/v1/people?${new URLSearchParams(identifying)}`);
  assert.equal(known.statusCode, 200);
  assert.equal(known.json().purpose, 'known_check');
  assert.ok(known.json().people.some((p: { id: string }) => p.id === AARON));
  const lauraApi = await apiClient(t, LAURA);
  const related = await lauraApi.get(`/api/v1/people?${new URLSearchParams(identifying)}`);
  assert.deepEqual([related.statusCode, related.json().purpose], [200, 'relationship']);
  assert.ok(!related.json().people.some((p: { id: string }) => p.id === AARON));
  const openapi = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  assert.equal(openapi.statusCode, 200);
  assert.match(openapi.body, /"known_check","relationship"/, 'the purpose is in the OpenAPI document');
});
