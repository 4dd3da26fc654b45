import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, auditSince, countRows, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { peopleApiPaths as api } from '../../src/modules/people/paths.js';

const t: TestConcord = await testConcord({ now: '2026-03-03T10:00:00Z' });
const { people } = t.services;

const tom = await apiClient(t, 'tom.okafor@riverside-nhs.example'); // Riverside CMHT: involved
const kofi = await apiClient(t, 'kofi.mensah@harbour-housing.example'); // housing: a partner agency, not involved
const alex = await apiClient(t, 'alex.morgan@northshire-care.example'); // administrator: no casework
const UNKNOWN = '6d3f3f0e-1111-4222-8333-444455556666';

/** Robert Smith, known to Riverside CMHT with an open case that Tom coordinates. */
async function knownPerson() {
  const created = await t.db.transaction((tx) =>
    people.createInTransaction(tx, tom.actor, people.parsePerson({ givenName: 'Robert', familyName: 'Smith', dateOfBirth: '1984-06-12', nhsNumber: '9434765919', postcode: 'NE1 4ST' }), () => undefined),
  );
  const { agencyId, teamId, userId } = tom.actor;
  await t.pool.query(`insert into involvement (person_id, agency_id, team_id, role, source_type, source_id, started_at) values ($1, $2, $3, 'receiving_service', 'test', gen_random_uuid(), '2025-11-04T09:00:00Z')`, [created.id, agencyId, teamId]);
  const referral = await t.pool.query(
    `insert into referral (reference, person_id, receiving_team_id, receiving_agency_id, source_type, referrer_name, channel, received_at, reason,
       risk_unintentional_self_harm, risk_intentional_self_harm, risk_harm_to_others, risk_abuse_by_others, consent_to_referral, consent_to_share, state, created_at, updated_at)
     values ('REF-TEST-1', $1, $2, $3, 'self', 'Self', 'phone', now(), 'Test', 'none', 'none', 'none', 'none', 'yes', 'yes', 'allocated', now(), now()) returning id`,
    [created.id, teamId, agencyId],
  );
  await t.pool.query(
    `insert into care_case (reference, person_id, referral_id, team_id, agency_id, lead_agency_id, coordinator_user_id, state, opened_at) values ('CASE-TEST-1', $1, $2, $3, $4, $4, $5, 'open', '2025-11-20T09:00:00Z')`,
    [created.id, referral.rows[0].id, teamId, agencyId, userId],
  );
  return created.id;
}
const ROBERT = await knownPerson();

type Response = { statusCode: number; body: string; headers: Record<string, unknown> };
const json = (response: Response) => JSON.parse(response.body);
const TABLES = ['person', 'person_alias', 'child_link', 'inquiry'];
const counts = async () => Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await countRows(t, table)])));
const personRow = async () => (await t.pool.query('select * from person where id = $1', [ROBERT])).rows[0];

/** A refused request: the status, problem+json naming each field, and nothing written (not even audit). */
async function assertProblem(call: () => Promise<Response>, status: number, errors?: Record<string, string>) {
  const before = { counts: await counts(), person: await personRow(), audit: await lastAuditId(t) };
  const response = await call();
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const problem = json(response);
  assert.equal(problem.status, status);
  if (errors) assert.deepEqual(Object.fromEntries(problem.errors.map((e: { field: string; message: string }) => [e.field, e.message])), errors);
  assert.deepEqual(await counts(), before.counts);
  assert.deepEqual(await personRow(), before.person);
  assert.deepEqual((await auditSince(t, before.audit)).filter((e) => e.outcome === 'success').map((e) => e.action), []);
  return problem;
}

const inquiry = { about: 'The Smith family', inquirerName: 'School nurse', channel: 'phone', reason: 'Attendance worries', response: 'Not known to housing options' };
const details = (overrides: Record<string, unknown> = {}) => ({ givenName: 'Robert', familyName: 'Smith', dateOfBirth: '1984-06-12', nhsNumber: '9434765919', postcode: 'NE1 4ST', ...overrides });

describe('is this person already known? (API)', () => {
  test('a partner agency that receives referrals checks by nickname and date of birth, learns who knows them and who to call, and the search and the result are recorded as a known check', async () => {
    const before = await lastAuditId(t);
    const response = await kofi.get(`${api.people()}?name=Bob%20Smith&dateOfBirth=1984-06-12`);
    assert.equal(response.statusCode, 200);
    assert.equal(json(response).purpose, 'known_check');
    const [result, ...others] = json(response).people;
    assert.deepEqual(others, []);
    assert.deepEqual(result, {
      id: ROBERT,
      givenName: 'Robert',
      familyName: 'Smith',
      dateOfBirth: '1984-06-12',
      postcode: 'NE1 4ST',
      nhsNumberMatches: false,
      likely: true,
      knownTo: [{ agencyId: tom.actor.agencyId, agencyName: 'Riverside NHS Mental Health Trust', teamName: 'Riverside Community Mental Health Team', role: 'receiving_service', current: true, since: '2025-11-04T09:00:00.000Z', until: null }],
      cases: [{
        reference: 'CASE-TEST-1', agencyName: 'Riverside NHS Mental Health Trust', teamName: 'Riverside Community Mental Health Team', state: 'open', openedAt: '2025-11-20T09:00:00.000Z', closedAt: null,
        coordinator: { name: 'Tom Okafor', phone: result.cases[0].coordinator.phone, email: 'tom.okafor@riverside-nhs.example', teamName: 'Riverside Community Mental Health Team', teamPhone: '01632 960 101' },
      }],
      canOpenRecord: false,
    });
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.subject_id]), [['person.searched', null], ['person.known_check', ROBERT]]);
  });

  test('by NHS number alone a known check; by a nickname or a date of birth alone only the people the agency works with', async () => {
    const byNumber = json(await kofi.get(`${api.people()}?nhsNumber=943-476-5919`));
    assert.equal(byNumber.purpose, 'known_check');
    assert.deepEqual([byNumber.people[0].id, byNumber.people[0].nhsNumberMatches, byNumber.people[0].likely], [ROBERT, true, true]);
    assert.deepEqual(json(await kofi.get(`${api.people()}?dateOfBirth=1984-06-12`)), { purpose: 'relationship', people: [] });
    assert.deepEqual(json(await kofi.get(`${api.people()}?name=Bob%20Smith`)), { purpose: 'relationship', people: [] });
    const [byDate] = json(await tom.get(`${api.people()}?dateOfBirth=1984-06-12`)).people;
    assert.equal(byDate.id, ROBERT, 'the agency involved finds them by the date of birth alone');
  });

  for (const [what, query, errors] of [
    ['nothing to search by', '', { name: 'Enter a name, date of birth, NHS number or postcode to search for' }],
    ['an impossible date and a bad NHS number', 'dateOfBirth=1990-02-31&nhsNumber=1234567890', { dateOfBirth: 'Enter the date of birth as a real date, like 27 3 1980', nhsNumber: 'Enter a valid NHS number: 10 digits, like 943 476 5919' }],
    ['a future date of birth', 'dateOfBirth=2030-01-01', { dateOfBirth: 'The date of birth must be in the past' }],
    ['a bad postcode', 'postcode=XYZ', { postcode: 'Enter a real postcode, like NE1 4ST' }],
    ['a name too long', `name=${'a'.repeat(201)}`, { name: 'The name must be 200 characters or fewer' }],
  ] as const) {
    test(`${what}: 400 with a message per field, and nothing searched or recorded`, async () => {
      const problem = await assertProblem(() => kofi.get(`${api.people()}?${query}`), 400, errors);
      assert.equal(problem.code, 'PEOPLE.SEARCH_INVALID');
    });
  }
});

describe('the person record (API)', () => {
  test('the involved agency reads the record, with why it may; the read is recorded', async () => {
    await people.addChild(tom.actor, ROBERT, { childName: 'Lily Smith', relationship: 'dependent', livesWithPerson: 'yes' });
    const before = await lastAuditId(t);
    const response = await tom.get(api.person(ROBERT));
    assert.equal(response.statusCode, 200);
    const record = json(response);
    assert.equal(record.person.nhsNumber, '9434765919');
    assert.equal(record.person.version, 1);
    assert.equal(record.person.searchGiven, undefined, 'only what the schema documents is sent');
    assert.deepEqual(record.children.map((c: { childName: string; relationship: string; livesWithPerson: boolean }) => [c.childName, c.relationship, c.livesWithPerson]), [['Lily Smith', 'dependent', true]]);
    assert.deepEqual(record.cases.map((c: { reference: string }) => c.reference), ['CASE-TEST-1']);
    assert.deepEqual(record.access, { level: 'record', basis: 'Riverside NHS Mental Health Trust received a referral for this person.' });
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_id]), [['person.viewed', ROBERT]]);
  });

  test('a partner agency gets exactly the answer for someone who does not exist', async () => {
    const hidden = await assertProblem(() => kofi.get(api.person(ROBERT)), 404);
    const missing = await assertProblem(() => kofi.get(api.person(UNKNOWN)), 404);
    assert.deepEqual(hidden, missing);
    await assertProblem(() => tom.get('/api/v1/people/not-a-reference'), 404);
  });

  test('a change sent with the version read is saved; a second one sent with the same version is refused as a conflict and changes nothing', async () => {
    const before = await lastAuditId(t);
    const saved = await tom.put(api.person(ROBERT), { ...details({ phone: '0191 496 0000' }), version: 1 });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.deepEqual([json(saved).phone, json(saved).version], ['0191 496 0000', 2]);
    assert.deepEqual((await auditSince(t, before)).map((e) => e.action), ['person.updated']);
    const problem = await assertProblem(() => tom.put(api.person(ROBERT), { ...details({ phone: '07700 900000' }), version: 1 }), 409);
    assert.equal(problem.code, 'PEOPLE.CHANGED');
    assert.equal((await personRow()).phone, '0191 496 0000');
  });

  test('bad details, or no version: 400 naming every field at once, and nothing changed', async () => {
    await assertProblem(() => tom.put(api.person(ROBERT), details({ givenName: '', nhsNumber: '1234567890' })), 400, {
      version: 'Reload the record and make your changes again: the version of the record you changed is missing or wrong',
      givenName: 'Enter the first name',
      nhsNumber: 'Enter a valid NHS number: 10 digits, like 943 476 5919',
    });
    await assertProblem(() => tom.put(api.person(ROBERT), { ...details({ familyName: 'S'.repeat(101), dateOfBirth: '2030-01-01', postcode: 'nope' }), version: 2 }), 400, {
      familyName: 'The last name must be 100 characters or fewer',
      dateOfBirth: 'The date of birth must be in the past',
      postcode: 'Enter a real postcode, like NE1 4ST',
    });
  });

  test('a partner agency cannot change, or add to, a record it cannot see', async () => {
    await assertProblem(() => kofi.put(api.person(ROBERT), { ...details(), version: 2 }), 404);
    await assertProblem(() => kofi.post(api.children(ROBERT), { childName: 'Lily Smith', relationship: 'dependent', livesWithPerson: 'yes' }), 404);
    await assertProblem(() => kofi.post(api.aliases(ROBERT), { givenName: 'Bob', familyName: 'Smith' }), 404);
  });

  test('children and other names are added (201) and recorded', async () => {
    const before = await lastAuditId(t);
    const child = await tom.post(api.children(ROBERT), { childName: 'Sam Smith', childDateOfBirth: '2020-02-02', relationship: 'significant_contact', livesWithPerson: 'no', notes: 'Nephew' });
    assert.equal(child.statusCode, 201, child.body);
    assert.deepEqual({ ...json(child), id: undefined, recordedAt: undefined }, { id: undefined, childName: 'Sam Smith', childDateOfBirth: '2020-02-02', relationship: 'significant_contact', livesWithPerson: false, notes: 'Nephew', recordedAt: undefined });
    const alias = await tom.post(api.aliases(ROBERT), { givenName: 'Bobby', familyName: 'Smythe' });
    assert.equal(alias.statusCode, 201, alias.body);
    assert.deepEqual([json(alias).givenName, json(alias).familyName], ['Bobby', 'Smythe']);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_id]), [['person.child_recorded', ROBERT], ['person.alias_added', ROBERT]]);
  });

  test('bad children and other names: 400 naming every field, and nothing recorded', async () => {
    await assertProblem(() => tom.post(api.children(ROBERT), { childName: '', relationship: 'cousin', childDateOfBirth: '2019-02-30', notes: 'n'.repeat(1001) }), 400, {
      childName: 'Enter the child’s name',
      childDateOfBirth: 'Enter the date of birth as a real date, like 27 3 1980',
      relationship: 'Select whether the child is a dependant or someone the person has significant contact with',
      livesWithPerson: 'Select whether the child lives with the person',
      notes: 'The notes must be 1000 characters or fewer',
    });
    await assertProblem(() => tom.post(api.aliases(ROBERT), { givenName: 'B'.repeat(101) }), 400, { givenName: 'The first name must be 100 characters or fewer', familyName: 'Enter the last name' });
  });
});

describe('inquiries (API)', () => {
  test('an inquiry is recorded (201), linked to a person when given, and listed for the agency only, newest first', async () => {
    const first = await kofi.post(api.inquiries(), inquiry);
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(json(first).personId, null);
    t.clock.advance(60_000);
    const linked = await kofi.post(api.inquiries(), { ...inquiry, about: 'Robert Smith', personId: ROBERT });
    assert.equal(linked.statusCode, 201, linked.body);
    assert.equal(json(linked).personId, ROBERT);
    const ours = (client: typeof kofi) => client.get(api.inquiries()).then((r) => json(r).inquiries.map((i: { about: string }) => i.about).filter((about: string) => ['Robert Smith', 'The Smith family'].includes(about)));
    assert.deepEqual(await ours(kofi), ['Robert Smith', 'The Smith family']);
    assert.deepEqual(await ours(tom), [], 'another agency does not see them');
  });

  test('bad inquiries: 400 naming every field at once; an unknown person is not found; nothing recorded', async () => {
    await assertProblem(() => kofi.post(api.inquiries(), { ...inquiry, about: '', channel: 'fax', personId: 'not-a-reference', reason: 'r'.repeat(1001) }), 400, {
      personId: 'The person’s reference must be the id a search gave you',
      about: 'Enter the person or family the inquiry is about',
      channel: 'Select how the inquiry came in',
      reason: 'The reason they gave for asking must be 1000 characters or fewer',
    });
    await assertProblem(() => kofi.post(api.inquiries(), { ...inquiry, personId: UNKNOWN }), 404);
  });
});

describe('who may call the people API', () => {
  test('an administrator, who does no casework, is refused every call', async () => {
    for (const call of [
      () => alex.get(`${api.people()}?name=Smith`),
      () => alex.get(api.person(ROBERT)),
      () => alex.put(api.person(ROBERT), { ...details(), version: 2 }),
      () => alex.post(api.children(ROBERT), { childName: 'Lily Smith', relationship: 'dependent', livesWithPerson: 'yes' }),
      () => alex.post(api.aliases(ROBERT), { givenName: 'Bob', familyName: 'Smith' }),
      () => alex.get(api.inquiries()),
      () => alex.post(api.inquiries(), inquiry),
    ]) await assertProblem(call, 403);
  });

  test('no token: 401', async () => {
    const response = await t.app.inject({ method: 'GET', url: `${api.people()}?name=Smith` });
    assert.equal(response.statusCode, 401);
  });

  test('the OpenAPI document describes every people endpoint under the People tag', async () => {
    const document = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
    const operations = Object.entries(document.paths as Record<string, Record<string, { tags: string[] }>>)
      // The record's other sections (notes, sharing, agencies involved…) live under /people/{personId} too, served and tagged by their own modules.
      .filter(([path]) => /^\/api\/v1\/(inquiries|people(\/\{personId\}(\/(children|aliases))?)?)$/.test(path))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.tags.join()}`));
    assert.deepEqual(operations.sort(), [
      'GET /api/v1/inquiries People',
      'GET /api/v1/people People',
      'GET /api/v1/people/{personId} People',
      'POST /api/v1/inquiries People',
      'POST /api/v1/people/{personId}/aliases People',
      'POST /api/v1/people/{personId}/children People',
      'PUT /api/v1/people/{personId} People',
    ]);
  });
});
