import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, apiClient, auditSince, countRows, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { directoryApiPaths as api } from '../../src/modules/directory/paths.js';

const t: TestConcord = await testConcord();
const alex = await apiClient(t, 'alex.morgan@northshire-care.example');

const id = async (sql: string, value: string) => (await t.pool.query(sql, [value])).rows[0].id as string;
const RIVERSIDE = await id('select id from agency where name = $1', 'Riverside NHS Mental Health Trust');
const CMHT = await id('select id from team where name = $1', 'Riverside Community Mental Health Team');
const CRISIS = await id('select id from team where name = $1', 'Crisis Resolution and Home Treatment');
const DUTY = await id('select id from team where name = $1', 'Adult Social Care Duty Team');
const GRACE = await id('select id from app_user where email = $1', 'grace.whitfield@riverside-nhs.example');
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

const TABLES = ['agency', 'team', 'app_user', 'credential', 'team_membership'];
const counts = async () => Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await countRows(t, table)])));

type Response = { statusCode: number; body: string; headers: Record<string, unknown> };
const json = (response: Response) => JSON.parse(response.body);

/** A refused request: the status, problem+json naming each field, and nothing written (not even audit). */
async function assertProblem(call: () => Promise<Response>, status: number, errors?: Record<string, string>) {
  const before = await counts();
  const auditBefore = await lastAuditId(t);
  const response = await call();
  assert.equal(response.statusCode, status, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  const problem = json(response);
  assert.equal(problem.status, status);
  if (errors) assert.deepEqual(Object.fromEntries(problem.errors.map((e: { field: string; message: string }) => [e.field, e.message])), errors);
  assert.deepEqual(await counts(), before);
  assert.deepEqual(await auditSince(t, auditBefore), []);
  return problem;
}

const newUser = (overrides: Record<string, unknown> = {}) => ({
  name: 'Ola Nwosu',
  email: 'ola.nwosu@riverside-nhs.example',
  jobTitle: 'Occupational therapist',
  teamId: CMHT,
  roles: ['practitioner'],
  password: 'juniper kettle horizon',
  ...overrides,
});

describe('agencies through the API', () => {
  test('a partnership administrator adds an agency: 201, a Location, the agency, and an audit event', async () => {
    const before = await lastAuditId(t);
    const response = await alex.post(api.agencies(), { name: 'Northshire Advocacy', type: 'voluntary_sector', email: 'hello@advocacy.example' });
    assert.equal(response.statusCode, 201);
    const body = json(response);
    assert.equal(response.headers.location, api.agency(body.id));
    assert.deepEqual({ ...body, id: undefined, createdAt: undefined, updatedAt: undefined }, {
      id: undefined, name: 'Northshire Advocacy', type: 'voluntary_sector', email: 'hello@advocacy.example', phone: null, active: true, version: 1, teams: [], createdAt: undefined, updatedAt: undefined,
    });
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.subject_type, e.subject_id]), [['directory.agency_created', 'agency', body.id]]);
  });

  test('lists agencies with counts, and one agency with its teams', async () => {
    const list = json(await alex.get(api.agencies()));
    const riverside = list.agencies.find((a: { id: string }) => a.id === RIVERSIDE);
    assert.deepEqual(riverside, { id: RIVERSIDE, name: 'Riverside NHS Mental Health Trust', type: 'nhs_mental_health', active: true, teamCount: 5, userCount: 6 });
    const one = json(await alex.get(api.agency(RIVERSIDE)));
    assert.equal(one.teams.length, 5);
    assert.deepEqual(one.teams.find((team: { id: string }) => team.id === CMHT).memberCount, 3, 'Peter Quinn is deactivated');
    const teams = json(await alex.get(api.agencyTeams(RIVERSIDE)));
    assert.deepEqual(teams.teams, one.teams);
  });

  test('bad agency details give 400 with a message per field, and nothing is written', async () => {
    await assertProblem(() => alex.post(api.agencies(), { name: 'x'.repeat(121), type: 'hospital', email: 'nope' }), 400, {
      name: 'The agency name must be 120 characters or fewer',
      type: 'Select the type of agency',
      email: 'Enter an email address in the correct format, like name@example.org',
    });
    await assertProblem(() => alex.post(api.agencies(), {}), 400, { name: 'Enter the agency name', type: 'Select the type of agency' });
  });

  test('a duplicate agency name is 409 with the field named', async () => {
    await assertProblem(() => alex.post(api.agencies(), { name: 'Northshire Police', type: 'police' }), 409, { name: 'An agency with that name is already in the partnership' });
  });

  test('changing, deactivating and reactivating an agency', async () => {
    const police = await id('select id from agency where name = $1', 'Northshire Police');
    const changed = await alex.put(api.agency(police), { name: 'Northshire Police', type: 'police', phone: '101', version: 1 });
    assert.equal(changed.statusCode, 400, 'a 3-digit number is not a telephone number we accept');
    const ok = await alex.put(api.agency(police), { name: 'Northshire Constabulary', type: 'police', version: 1 });
    assert.equal(json(ok).name, 'Northshire Constabulary');
    assert.equal(json(await alex.post(api.agencyDeactivate(police))).active, false);
    assert.equal(json(await alex.post(api.agencyReactivate(police))).active, true);
  });
});

describe('teams through the API', () => {
  test('adds a team (201), shows it with members, changes it, and refuses a duplicate name in the agency', async () => {
    const created = await alex.post(api.agencyTeams(RIVERSIDE), { name: 'Liaison Psychiatry', description: 'In the emergency department.' });
    assert.equal(created.statusCode, 201);
    const team = json(created);
    assert.equal(created.headers.location, api.team(team.id));
    assert.deepEqual([team.agencyId, team.agencyName, team.members], [RIVERSIDE, 'Riverside NHS Mental Health Trust', []]);
    const changed = json(await alex.put(api.team(team.id), { name: 'Liaison Psychiatry', description: 'Emergency department and wards.', version: team.version }));
    assert.equal(changed.description, 'Emergency department and wards.');
    await assertProblem(() => alex.post(api.agencyTeams(RIVERSIDE), { name: 'Liaison Psychiatry' }), 409, { name: 'Riverside NHS Mental Health Trust already has a team with that name' });
    await assertProblem(() => alex.put(api.team(team.id), { name: '', version: changed.version }), 400, { name: 'Enter the team name' });
    assert.equal(json(await alex.post(api.teamDeactivate(team.id))).active, false);
    assert.equal(json(await alex.post(api.teamReactivate(team.id))).active, true);
  });

  test('a team lists its active members with their roles', async () => {
    const team = json(await alex.get(api.team(CMHT)));
    const names = team.members.map((m: { name: string; roles: string[] }) => `${m.name}: ${m.roles.join(',')}`);
    assert.deepEqual(names, ['Grace Whitfield: care_coordinator', 'Priya Raman: team_manager', 'Tom Okafor: care_coordinator']);
  });
});

describe('users through the API', () => {
  test('adds a user (201) with team and roles; the answer never carries anything from the credential table', async () => {
    const before = await lastAuditId(t);
    const response = await alex.post(api.agencyUsers(RIVERSIDE), newUser({ email: 'Ola.Nwosu@Riverside-NHS.example' }));
    assert.equal(response.statusCode, 201, response.body);
    const user = json(response);
    assert.equal(response.headers.location, api.user(user.id));
    assert.equal(user.email, 'ola.nwosu@riverside-nhs.example');
    assert.deepEqual(user.memberships.map((m: { teamId: string; roles: string[] }) => [m.teamId, m.roles]), [[CMHT, ['practitioner']]]);
    assert.deepEqual(Object.keys(user).sort(), ['active', 'agencyId', 'agencyName', 'createdAt', 'deactivatedAt', 'email', 'id', 'jobTitle', 'memberships', 'name', 'phone', 'updatedAt', 'version']);
    assert.doesNotMatch(response.body, /password|argon2|hash|juniper/i);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_id]), [['directory.user_created', user.id]]);
    const signedIn = await new Browser(t.app).signIn('ola.nwosu@riverside-nhs.example', 'juniper kettle horizon');
    assert.equal((await signedIn.get('/directory')).statusCode, 200);
  });

  const refusals: [string, Record<string, unknown>, Record<string, string>][] = [
    ['a missing name and email', { name: undefined, email: undefined }, { name: 'Enter the full name', email: 'Enter an email address' }],
    ['a name over 120 characters', { name: 'O'.repeat(121) }, { name: 'The full name must be 120 characters or fewer' }],
    ['a malformed email', { email: 'ola@nwosu' }, { email: 'Enter an email address in the correct format, like name@example.org' }],
    ['no roles', { roles: [] }, { roles: 'Select at least one role' }],
    ['roles that are not a list', { roles: 'practitioner' }, { roles: 'Select at least one role' }],
    ['an unknown role', { roles: ['root'] }, { roles: 'Select a role from the list' }],
    ['a team that is not a reference', { teamId: 'CMHT' }, { teamId: 'Select a team' }],
    ['a team of another agency', { teamId: DUTY }, { teamId: 'Select a team in this agency' }],
    ['no password', { password: undefined }, { password: 'Password must be 12 characters or more' }],
    ['a common password', { password: 'iloveyou1234' }, { password: 'That password is a common word with numbers or symbols added. Choose one that is harder to guess, such as three random words' }],
    ['a password containing the email name', { password: 'new.person is here' }, { password: 'Password must not contain your email address or any part of it' }],
  ];
  for (const [what, overrides, errors] of refusals) {
    test(`${what}: 400 with errors[] and nothing written`, async () => {
      await assertProblem(() => alex.post(api.agencyUsers(RIVERSIDE), newUser({ email: 'new.person@riverside-nhs.example', ...overrides })), 400, errors);
    });
  }

  test('an email address already in use is 409 naming the field', async () => {
    await assertProblem(() => alex.post(api.agencyUsers(RIVERSIDE), newUser({ email: 'priya.raman@riverside-nhs.example' })), 409, { email: 'A user with that email address already exists' });
  });

  test('finds people by text, agency and team; a malformed filter is 400', async () => {
    const byText = json(await alex.get(`${api.users()}?q=WHITFIELD`));
    assert.deepEqual(byText.users.map((u: { id: string }) => u.id), [GRACE]);
    const byTeam = json(await alex.get(`${api.users()}?teamId=${CRISIS}`));
    assert.deepEqual(byTeam.users.map((u: { name: string }) => u.name), ['Daniel Hughes']);
    const byAgency = json(await alex.get(`${api.users()}?agencyId=${RIVERSIDE}&includeInactive=true`));
    assert.ok(byAgency.users.some((u: { name: string; active: boolean }) => u.name === 'Peter Quinn' && !u.active));
    assert.ok(byAgency.users.every((u: { agencyId: string }) => u.agencyId === RIVERSIDE));
    await assertProblem(() => alex.get(`${api.users()}?agencyId=riverside`), 400, { agencyId: 'Select an agency from the list' });
    await assertProblem(() => alex.get(`${api.users()}?q=${'a'.repeat(101)}`), 400, { q: 'Search text must be 100 characters or fewer' });
  });

  test('changes a user’s details and sets a password; a weak password is 400', async () => {
    const changed = json(await alex.put(api.user(GRACE), { name: 'Grace Whitfield', email: 'grace.whitfield@riverside-nhs.example', jobTitle: 'Approved mental health professional', version: json(await alex.get(api.user(GRACE))).version }));
    assert.equal(changed.jobTitle, 'Approved mental health professional');
    await assertProblem(() => alex.put(api.userPassword(GRACE), { password: 'short' }), 400, { password: 'Password must be 12 characters or more' });
    assert.equal((await alex.put(api.userPassword(GRACE), { password: 'saffron tunnel meadow' })).statusCode, 204);
  });
});

describe('memberships through the API', () => {
  test('adds a membership (201), changes its roles and ends it; the last membership cannot be ended', async () => {
    const daniel = await id('select id from app_user where email = $1', 'daniel.hughes@riverside-nhs.example');
    await assertProblem(() => alex.post(api.userMemberships(daniel), { teamId: DUTY, roles: ['practitioner'] }), 400, { teamId: 'Select an active team in Daniel Hughes’s agency' });
    await assertProblem(() => alex.post(api.userMemberships(daniel), { teamId: CRISIS, roles: ['practitioner'] }), 409, { teamId: 'Daniel Hughes is already a member of Crisis Resolution and Home Treatment' });

    const added = await alex.post(api.userMemberships(daniel), { teamId: CMHT, roles: ['practitioner'] });
    assert.equal(added.statusCode, 201, added.body);
    const membership = json(added);
    assert.deepEqual([membership.teamName, membership.roles, membership.active], ['Riverside Community Mental Health Team', ['practitioner'], true]);

    await assertProblem(() => alex.put(api.membershipRoles(membership.id), { roles: [], version: membership.version }), 400, { roles: 'Select at least one role' });
    const changed = json(await alex.put(api.membershipRoles(membership.id), { roles: ['care_coordinator'], version: membership.version }));
    assert.deepEqual(changed.roles, ['care_coordinator']);

    const before = await lastAuditId(t);
    const ended = json(await alex.post(api.membershipEnd(membership.id)));
    assert.deepEqual([ended.active, typeof ended.endedAt], [false, 'string']);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.subject_type, e.subject_id]), [['directory.membership_ended', 'user', daniel]]);

    const last = await id('select id from team_membership where user_id = $1 and active', daniel);
    const problem = await assertProblem(() => alex.post(api.membershipEnd(last)), 409);
    assert.equal(problem.code, 'DIRECTORY.LAST_MEMBERSHIP');
    await assertProblem(() => alex.post(api.membershipEnd(membership.id)), 404);
  });
});

describe('references and the API description', () => {
  test('ids that are not UUIDs, or unknown, are 404 problems', async () => {
    for (const url of ['/api/v1/agencies/1', '/api/v1/teams/abc', '/api/v1/users/%27%20or%201%3D1', api.agency(UNKNOWN), api.team(UNKNOWN), api.user(UNKNOWN)]) {
      const response = await alex.get(url);
      assert.equal(response.statusCode, 404, url);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    }
    await assertProblem(() => alex.put('/api/v1/users/42', { name: 'X', email: 'x@example.org' }), 404);
    await assertProblem(() => alex.post(api.agencyUsers(UNKNOWN), newUser({ email: 'ghost@riverside-nhs.example' })), 400, { teamId: 'Select a team in this agency' });
  });

  test('a body that is not JSON is a 400 problem', async () => {
    const response = await t.app.inject({ method: 'POST', url: api.agencies(), headers: { authorization: `Bearer ${alex.secret}`, 'content-type': 'application/json' }, payload: '{"name":' });
    assert.equal(response.statusCode, 400);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  });

  test('the OpenAPI document describes every directory endpoint, with bodies and responses', async () => {
    const document = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
    const expected: Record<string, string[]> = {
      '/api/v1/agencies': ['get', 'post'],
      '/api/v1/agencies/{agencyId}': ['get', 'put'],
      '/api/v1/agencies/{agencyId}/deactivate': ['post'],
      '/api/v1/agencies/{agencyId}/reactivate': ['post'],
      '/api/v1/agencies/{agencyId}/teams': ['get', 'post'],
      '/api/v1/agencies/{agencyId}/users': ['post'],
      '/api/v1/teams/{teamId}': ['get', 'put'],
      '/api/v1/teams/{teamId}/deactivate': ['post'],
      '/api/v1/teams/{teamId}/reactivate': ['post'],
      '/api/v1/users': ['get'],
      '/api/v1/users/{userId}': ['get', 'put'],
      '/api/v1/users/{userId}/deactivate': ['post'],
      '/api/v1/users/{userId}/reactivate': ['post'],
      '/api/v1/users/{userId}/password': ['put'],
      '/api/v1/users/{userId}/memberships': ['post'],
      '/api/v1/memberships/{membershipId}/roles': ['put'],
      '/api/v1/memberships/{membershipId}/end': ['post'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      assert.deepEqual(Object.keys(document.paths[path] ?? {}).sort(), methods, path);
      for (const method of methods) assert.deepEqual(document.paths[path][method].tags, ['Directory']);
    }
    const createUser = document.paths['/api/v1/agencies/{agencyId}/users'].post;
    assert.ok(createUser.responses['201'].content['application/json'].schema.properties.memberships);
    assert.deepEqual(createUser.requestBody.content['application/json'].schema.required.sort(), ['email', 'name', 'password', 'roles', 'teamId']);
    const search = document.paths['/api/v1/users'].get.parameters.map((p: { name: string }) => p.name);
    assert.deepEqual(search, ['q', 'agencyId', 'teamId', 'includeInactive']);
    assert.match(document.paths['/api/v1/agencies'].post.description, /directory\.manage_agencies/);
  });
});
