import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, apiClient, auditSince, countRows, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { directoryApiPaths as api, directoryPaths as paths } from '../../src/modules/directory/paths.js';

/**
 * Who may manage what. A partnership administrator manages everything (see the other files); an agency
 * administrator manages only their own agency and cannot hand out partnership-wide roles; everyone
 * else can look but not change anything. Every refusal is a 403, an access.denied audit event, and
 * nothing else written.
 */
const t: TestConcord = await testConcord();
const aisha = await new Browser(t.app).signIn('aisha.bello@riverside-nhs.example');
const tom = await new Browser(t.app).signIn('tom.okafor@riverside-nhs.example');
const aishaApi = await apiClient(t, 'aisha.bello@riverside-nhs.example');
const tomApi = await apiClient(t, 'tom.okafor@riverside-nhs.example');

const id = async (sql: string, value: string) => (await t.pool.query(sql, [value])).rows[0].id as string;
const RIVERSIDE = await id('select id from agency where name = $1', 'Riverside NHS Mental Health Trust');
const COUNCIL = await id('select id from agency where name = $1', 'Northshire County Council Adult Social Care');
const CMHT = await id('select id from team where name = $1', 'Riverside Community Mental Health Team');
const DUTY = await id('select id from team where name = $1', 'Adult Social Care Duty Team');
const RAJ = await id('select id from app_user where email = $1', 'raj.patel@northshire-council.example');
const DANIEL = await id('select id from app_user where email = $1', 'daniel.hughes@riverside-nhs.example');
const PETER = await id('select id from app_user where email = $1', 'peter.quinn@riverside-nhs.example');
const RAJ_MEMBERSHIP = await id('select id from team_membership where user_id = $1', RAJ);
const DANIEL_MEMBERSHIP = await id('select id from team_membership where user_id = $1', DANIEL);

const TABLES = ['agency', 'team', 'app_user', 'credential', 'team_membership'];
async function counts() {
  return Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await countRows(t, table)])));
}

/** Runs a refused attempt and checks: 403, one access.denied event, and no other row written. */
async function assertRefused(attempt: () => Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>, kind: 'page' | 'api') {
  const before = await counts();
  const auditBefore = await lastAuditId(t);
  const response = await attempt();
  assert.equal(response.statusCode, 403, response.body.slice(0, 300));
  if (kind === 'page') {
    assert.match(response.body, /You do not have access to this page/);
  } else {
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    assert.equal(JSON.parse(response.body).code, 'ACCESS.DENIED');
  }
  assert.deepEqual(await counts(), before);
  const events = await auditSince(t, auditBefore);
  assert.deepEqual(events.map((e) => [e.action, e.outcome]), [['access.denied', 'denied']]);
  return { response, event: events[0]! };
}

const newUser = (overrides: Record<string, unknown> = {}) => ({
  name: 'Lee Barnes',
  email: 'lee.barnes@riverside-nhs.example',
  teamId: CMHT,
  roles: ['practitioner'],
  password: 'copper meadow lantern',
  ...overrides,
});

describe('an agency administrator', () => {
  test('manages their own agency: sees the actions, adds a team and a user, and is offered no partnership-wide role', async () => {
    const agency = await aisha.get(paths.agency(RIVERSIDE));
    assert.match(agency.body, /data-qa="add-team"/);
    assert.match(agency.body, /data-qa="add-user"/);
    assert.doesNotMatch(agency.body, /Change agency details/, 'agencies themselves are the partnership’s to change');

    await aisha.get(paths.teamNew(RIVERSIDE));
    const team = await aisha.post(paths.teamNew(RIVERSIDE), { name: 'Perinatal Mental Health' });
    assert.equal(team.statusCode, 303);

    const form = await aisha.get(paths.userNew(RIVERSIDE));
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="agency_administrator"/);
    assert.doesNotMatch(form.body, /partnership_administrator/);
    const user = await aisha.post(paths.userNew(RIVERSIDE), newUser());
    assert.equal(user.statusCode, 303);
    assert.match(String(user.headers.location), /^\/directory\/users\/[0-9a-f-]{36}$/);
  });

  test('sees another agency but no management actions there', async () => {
    const agency = await aisha.get(paths.agency(COUNCIL));
    assert.equal(agency.statusCode, 200);
    assert.doesNotMatch(agency.body, /data-qa="add-team"|data-qa="add-user"/);
    const raj = await aisha.get(paths.user(RAJ));
    assert.equal(raj.statusCode, 200);
    assert.doesNotMatch(raj.body, /data-qa="user-actions"/);
  });

  test('cannot open another agency’s management forms; each attempt is recorded', async () => {
    for (const url of [paths.teamNew(COUNCIL), paths.userNew(COUNCIL), paths.teamEdit(DUTY), paths.userEdit(RAJ), paths.userDeactivate(RAJ), paths.membershipRoles(RAJ_MEMBERSHIP)]) {
      const { event } = await assertRefused(() => aisha.get(url), 'page');
      assert.equal(event.details.reason, 'Agency administrators manage only their own agency.', url);
    }
  });

  test('cannot change another agency by sending the forms anyway', async () => {
    await aisha.get(paths.agency(RIVERSIDE));
    await assertRefused(() => aisha.post(paths.teamNew(COUNCIL), { name: 'Shadow Team' }), 'page');
    await assertRefused(() => aisha.post(paths.userNew(COUNCIL), newUser({ email: 'x@council.example', teamId: DUTY })), 'page');
    await assertRefused(() => aisha.post(paths.userEdit(RAJ), { name: 'Raj P', email: 'raj.patel@northshire-council.example' }), 'page');
    await assertRefused(() => aisha.post(paths.userDeactivate(RAJ)), 'page');
    await assertRefused(() => aisha.post(paths.userPassword(RAJ), { password: 'copper meadow lantern' }), 'page');
    await assertRefused(() => aisha.post(paths.membershipEnd(RAJ_MEMBERSHIP)), 'page');
    assert.equal((await t.pool.query('select active from app_user where id = $1', [RAJ])).rows[0].active, true);
  });

  test('cannot add or change agencies at all', async () => {
    await assertRefused(() => aisha.get(paths.agencyNew()), 'page');
    await assertRefused(() => aisha.get(paths.agencyEdit(RIVERSIDE)), 'page');
    await assertRefused(() => aisha.post(paths.agencyDeactivate(RIVERSIDE)), 'page');
  });

  test('cannot grant the partnership administrator role, even in their own agency', async () => {
    await aisha.get(paths.agency(RIVERSIDE));
    const created = await assertRefused(() => aisha.post(paths.userNew(RIVERSIDE), newUser({ email: 'sneaky@riverside-nhs.example', roles: ['practitioner', 'partnership_administrator'] })), 'page');
    assert.equal(created.event.details.reason, 'Only a partnership administrator can give partnership-wide roles.');
    await aisha.get(paths.membershipRoles(DANIEL_MEMBERSHIP));
    await assertRefused(() => aisha.post(paths.membershipRoles(DANIEL_MEMBERSHIP), { roles: ['practitioner', 'partnership_administrator'], version: '1' }), 'page');
    assert.deepEqual((await t.pool.query('select roles from team_membership where id = $1', [DANIEL_MEMBERSHIP])).rows[0].roles, ['practitioner']);
  });

  test('through the API: the same limits, as problem+json', async () => {
    await assertRefused(() => aishaApi.post(api.agencyTeams(COUNCIL), { name: 'Shadow Team' }), 'api');
    await assertRefused(() => aishaApi.post(api.agencyUsers(COUNCIL), newUser({ email: 'y@council.example', teamId: DUTY })), 'api');
    await assertRefused(() => aishaApi.put(api.user(RAJ), { name: 'Raj P', email: 'raj.patel@northshire-council.example' }), 'api');
    await assertRefused(() => aishaApi.post(api.userDeactivate(RAJ)), 'api');
    await assertRefused(() => aishaApi.post(api.agencies(), { name: 'Rogue Agency', type: 'other' }), 'api');
    await assertRefused(() => aishaApi.post(api.agencyUsers(RIVERSIDE), newUser({ email: 'z@riverside-nhs.example', roles: ['partnership_administrator'] })), 'api');
    await assertRefused(() => aishaApi.put(api.membershipRoles(DANIEL_MEMBERSHIP), { roles: ['partnership_administrator'], version: 1 }), 'api');
    const own = await aishaApi.post(api.agencyTeams(RIVERSIDE), { name: 'Memory Assessment Service' });
    assert.equal(own.statusCode, 201);
  });
});

describe('a practitioner (here a care coordinator)', () => {
  test('can view the directory: agencies, teams, people and a person’s page', async () => {
    for (const url of [paths.index(), paths.agency(COUNCIL), paths.team(CMHT), paths.users(), paths.user(RAJ)]) {
      const page = await tom.get(url);
      assert.equal(page.statusCode, 200, url);
      assert.doesNotMatch(page.body, /data-qa="(add-agency|add-team|add-user|user-actions|team-actions|agency-actions)"/, url);
    }
    assert.equal((await tomApi.get(api.agencies())).statusCode, 200);
    assert.equal((await tomApi.get(api.team(CMHT))).statusCode, 200);
  });

  test('sees active users only: a deactivated colleague is neither listed nor shown', async () => {
    const search = await tom.get(paths.userSearch({ q: 'quinn', includeInactive: true }));
    assert.equal(search.statusCode, 200);
    assert.doesNotMatch(search.body, /Peter Quinn/);
    assert.doesNotMatch(search.body, /Include deactivated users/, 'the filter is not offered');
    assert.equal((await tom.get(paths.user(PETER))).statusCode, 404);
    const listed = JSON.parse((await tomApi.get(`${api.users()}?q=quinn&includeInactive=true`)).body);
    assert.deepEqual(listed.users, []);
  });

  test('cannot reach any management page', async () => {
    const pages = [
      paths.agencyNew(), paths.agencyEdit(RIVERSIDE), paths.agencyDeactivate(RIVERSIDE), paths.agencyReactivate(RIVERSIDE),
      paths.teamNew(RIVERSIDE), paths.userNew(RIVERSIDE), paths.teamEdit(CMHT), paths.teamDeactivate(CMHT), paths.teamReactivate(CMHT),
      paths.userEdit(DANIEL), paths.userDeactivate(DANIEL), paths.userReactivate(PETER), paths.userPassword(DANIEL),
      paths.membershipNew(DANIEL), paths.membershipRoles(DANIEL_MEMBERSHIP), paths.membershipEnd(DANIEL_MEMBERSHIP),
    ];
    for (const url of pages) await assertRefused(() => tom.get(url), 'page');
  });

  test('cannot change anything by sending forms or calling the API', async () => {
    await tom.get(paths.index());
    await assertRefused(() => tom.post(paths.teamNew(RIVERSIDE), { name: 'Tom’s Team' }), 'page');
    await assertRefused(() => tom.post(paths.userDeactivate(DANIEL)), 'page');
    await assertRefused(() => tom.post(paths.membershipRoles(DANIEL_MEMBERSHIP), { roles: ['team_manager'] }), 'page');
    await assertRefused(() => tomApi.post(api.agencyTeams(RIVERSIDE), { name: 'Tom’s Team' }), 'api');
    await assertRefused(() => tomApi.put(api.userPassword(DANIEL), { password: 'copper meadow lantern' }), 'api');
    await assertRefused(() => tomApi.post(api.userMemberships(DANIEL), { teamId: CMHT, roles: ['practitioner'] }), 'api');
  });
});

describe('someone not signed in', () => {
  test('is sent to sign in from the pages and gets 401 from the API', async () => {
    const page = await new Browser(t.app).get(paths.agency(RIVERSIDE));
    assert.equal(page.statusCode, 303);
    assert.match(String(page.headers.location), /^\/sign-in\?returnTo=/);
    const call = await t.app.inject({ method: 'GET', url: api.agencies() });
    assert.equal(call.statusCode, 401);
    assert.equal(JSON.parse(call.body).code, 'AUTH.TOKEN_REQUIRED');
  });
});

describe('deactivated users in the list', () => {
  test('an agency administrator sees deactivated users of their own agency only', async () => {
    const lindaApi = await apiClient(t, 'linda.fraser@northshire-council.example');
    const own = (await aishaApi.get('/api/v1/users?includeInactive=true')).json() as { users?: { id: string }[] } | { id: string }[];
    const other = (await lindaApi.get('/api/v1/users?includeInactive=true')).json() as { users?: { id: string }[] } | { id: string }[];
    const ids = (body: typeof own) => (Array.isArray(body) ? body : (body.users ?? [])).map((u) => u.id);
    assert.ok(ids(own).includes(PETER), 'Riverside’s administrator sees Riverside’s deactivated user');
    assert.ok(!ids(other).includes(PETER), 'the council’s administrator does not');
    const practitioner = (await tomApi.get('/api/v1/users?includeInactive=true')).json() as typeof own;
    assert.ok(!ids(practitioner).includes(PETER), 'nor does someone who manages nothing');
  });
});
