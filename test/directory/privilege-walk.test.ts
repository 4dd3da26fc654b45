import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, apiClient, auditSince, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { directoryApiPaths as api, directoryPaths as paths } from '../../src/modules/directory/paths.js';
import { referralApiPaths, referralPaths } from '../../src/modules/referrals/paths.js';

/**
 * The privilege games (issue 9, item 10), played on every route that changes the directory (and how a
 * team takes referrals), as a form
 * and through the API: a plain practitioner, a team manager and an auditor (none of them manage
 * anything); an agency administrator against another agency; an administrator against their own account
 * and teams; an agency administrator against the partnership's roles (an auditor's account and team); a
 * deactivated administrator; a read-only token. Every attempt must be refused with its code, write
 * nothing (the rows of every table a change could touch are compared before and after) and be recorded
 * where refusals are. The expected answers are written out here, not derived from the rules they check.
 * privileges.test.ts holds what is allowed and the Caldicott guardian's alerts.
 */
const t: TestConcord = await testConcord();

const one = async (sql: string, ...values: string[]) => (await t.pool.query(sql, values)).rows[0]!.id as string;
const agencyNamed = (name: string) => one('select id from agency where name = $1', name);
const teamNamed = (name: string) => one('select id from team where name = $1', name);
const userWith = (email: string) => one('select id from app_user where email = $1', email);
const membershipOf = (user: string) => one('select id from team_membership where user_id = $1 and active order by created_at limit 1', user);

const EMAIL = {
  alex: 'alex.morgan@northshire-care.example', // partnership administrator
  aisha: 'aisha.bello@riverside-nhs.example', // Riverside's agency administrator
  daniel: 'daniel.hughes@riverside-nhs.example', // practitioner
  priya: 'priya.raman@riverside-nhs.example', // team manager
  helen: 'helen.marsh@riverside-nhs.example', // auditor (Caldicott guardian)
} as const;
type Name = keyof typeof EMAIL;
const NAMES = Object.keys(EMAIL) as Name[];

const RIVERSIDE = await agencyNamed('Riverside NHS Mental Health Trust');
const COUNCIL = await agencyNamed('Northshire County Council Adult Social Care');
const PARTNERSHIP = await agencyNamed('Northshire Care Partnership');
const CMHT = await teamNamed('Riverside Community Mental Health Team');
const CRISIS = await teamNamed('Crisis Resolution and Home Treatment');
const GOVERNANCE = await teamNamed('Information Governance');
const BUSINESS_SUPPORT = await teamNamed('Business Support');
const PARTNERSHIP_SUPPORT = await teamNamed('Partnership Support');
const DUTY = await teamNamed('Adult Social Care Duty Team');
const LEARNING_DISABILITY = await teamNamed('Learning Disability Team');
const GRACE = await userWith('grace.whitfield@riverside-nhs.example');
const RAJ = await userWith('raj.patel@northshire-council.example');
const ID = Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await userWith(EMAIL[n])]))) as Record<Name, string>;

const browsers = Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await new Browser(t.app).signIn(EMAIL[n])]))) as Record<Name, Browser>;
const clients = Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await apiClient(t, EMAIL[n])]))) as Record<Name, Client>;
type Client = Awaited<ReturnType<typeof apiClient>>;

// ---- What the games need that the demo partnership lacks, made by the partnership administrator ----

const alexActor = clients.alex.actor;
const directory = t.services.directory;
const GOOD_PASSWORD = 'copper meadow lantern';
/** A team Aisha was a member of, since deactivated: reactivating it would give her its roles back. */
const AISHAS_OLD_TEAM = (await directory.createTeam(alexActor, RIVERSIDE, { name: 'Memory Assessment (closed)' })).id;
await directory.addMembership(alexActor, ID.aisha, { teamId: AISHAS_OLD_TEAM, roles: ['practitioner'] });
await directory.setTeamActive(alexActor, AISHAS_OLD_TEAM, false);
/** A deactivated governance team with an auditor in it, and a deactivated auditor. */
const OLD_GOVERNANCE = (await directory.createTeam(alexActor, RIVERSIDE, { name: 'Records Audit (closed)' })).id;
await directory.createUser(alexActor, RIVERSIDE, { name: 'Lee Barnes', email: 'lee.barnes@riverside-nhs.example', teamId: OLD_GOVERNANCE, roles: ['auditor'], password: GOOD_PASSWORD });
await directory.setTeamActive(alexActor, OLD_GOVERNANCE, false);
const RETIRED_AUDITOR = (await directory.createUser(alexActor, RIVERSIDE, { name: 'Ann Cole', email: 'ann.cole@riverside-nhs.example', teamId: GOVERNANCE, roles: ['auditor'], password: GOOD_PASSWORD })).id;
await directory.deactivateUser(alexActor, RETIRED_AUDITOR);
/** An agency administrator, signed in and holding a token, then deactivated. */
const sam = (await directory.createUser(alexActor, RIVERSIDE, { name: 'Sam Ward', email: 'sam.ward@riverside-nhs.example', teamId: BUSINESS_SUPPORT, roles: ['agency_administrator'], password: GOOD_PASSWORD })).id;
const samBrowser = await new Browser(t.app).signIn('sam.ward@riverside-nhs.example', GOOD_PASSWORD);
const samClient = await apiClient(t, 'sam.ward@riverside-nhs.example');
await directory.deactivateUser(alexActor, sam);
/** A caller's API client holding a read-only token instead. */
async function readOnly(client: Client): Promise<Client> {
  const { secret } = await t.services.apiTokens.create(client.actor, { name: 'read only', expiresInDays: 7, scope: 'read' });
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => t.app.inject({ method, url, headers: { authorization: `Bearer ${secret}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { ...client, secret, get: (url) => call('GET', url), post: (url, body) => call('POST', url, body ?? {}), put: (url, body) => call('PUT', url, body) };
}

// ---- Every route that changes the directory, as one operation with a form and an API call ----

/** What an operation is done to. `roles` are those a membership change asks for. */
type Target = { agency: string; team: string; user: string; membership: string; freeTeam: string; roles: string[] };
type Body = Record<string, unknown>;
type Operation = { page: { pattern: string; url: (x: Target) => string }; api: { method: 'POST' | 'PUT'; pattern: string; url: (x: Target) => string }; body: (x: Target) => Promise<Body> };

const row = async (table: string, id: string) => (await t.pool.query(`select * from ${table} where id = $1`, [id])).rows[0];
let made = 0;
const fresh = (what: string) => `${what} ${++made}`;
const none = async () => ({});

/** A path builder with its ids taken from the target (the builders' own types name each id; here any will do). */
type Builder = { pattern: string };
const at = (builder: Builder, ids: (x: Target) => string[]) => ({ pattern: builder.pattern, url: (x: Target) => (builder as unknown as (...ids: string[]) => string)(...ids(x)) });
function op(page: Builder, method: 'POST' | 'PUT', call: Builder, ids: (x: Target) => string[], body: (x: Target) => Promise<Body> = none): Operation {
  return { page: at(page, ids), api: { method, ...at(call, ids) }, body };
}
const pick = (from: Record<string, unknown>, ...keys: string[]): Body => Object.fromEntries(keys.map((k) => [k, from[k]]));
const agencyOf = (x: Target) => [x.agency];
const teamOf = (x: Target) => [x.team];
const userOf = (x: Target) => [x.user];
const membershipIn = (x: Target) => [x.membership];

const OPERATIONS = {
  'add an agency': op(paths.agencyNew, 'POST', api.agencies, () => [], async () => ({ name: fresh('Walk Agency'), type: 'other' })),
  'change an agency': op(paths.agencyEdit, 'PUT', api.agency, agencyOf, async (x) => pick(await row('agency', x.agency), 'name', 'type', 'version')),
  'deactivate an agency': op(paths.agencyDeactivate, 'POST', api.agencyDeactivate, agencyOf),
  'reactivate an agency': op(paths.agencyReactivate, 'POST', api.agencyReactivate, agencyOf),
  'add a team': op(paths.teamNew, 'POST', api.agencyTeams, agencyOf, async () => ({ name: fresh('Walk Team') })),
  'change a team': op(paths.teamEdit, 'PUT', api.team, teamOf, async (x) => pick(await row('team', x.team), 'name', 'version')),
  'deactivate a team': op(paths.teamDeactivate, 'POST', api.teamDeactivate, teamOf),
  'reactivate a team': op(paths.teamReactivate, 'POST', api.teamReactivate, teamOf),
  'add a user': op(paths.userNew, 'POST', api.agencyUsers, agencyOf, async (x) => ({ name: 'Walk Starter', email: `walk.${++made}@walk.example`, teamId: x.team, roles: x.roles, password: GOOD_PASSWORD })),
  'change a user’s details': op(paths.userEdit, 'PUT', api.user, userOf, async (x) => pick(await row('app_user', x.user), 'name', 'email', 'version')),
  'deactivate a user': op(paths.userDeactivate, 'POST', api.userDeactivate, userOf),
  'reactivate a user': op(paths.userReactivate, 'POST', api.userReactivate, userOf),
  'set a user’s password': op(paths.userPassword, 'PUT', api.userPassword, userOf, async () => ({ password: 'thistle quarry beacon' })),
  'add a user to a team': op(paths.membershipNew, 'POST', api.userMemberships, userOf, async (x) => ({ teamId: x.freeTeam, roles: x.roles })),
  'change a membership’s roles': op(paths.membershipRoles, 'PUT', api.membershipRoles, membershipIn, async (x) => ({ roles: x.roles, ...pick(await row('team_membership', x.membership), 'version') })),
  'end a membership': op(paths.membershipEnd, 'POST', api.membershipEnd, membershipIn),
} satisfies Record<string, Operation>;
type OperationName = keyof typeof OPERATIONS;
const ALL = Object.keys(OPERATIONS) as OperationName[];
const operation = (name: OperationName): Operation => OPERATIONS[name];

/** A form sends text: numbers as digits, lists as repeated fields. */
const asForm = (body: Body) => Object.fromEntries(Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));

type Caller = { browser: Browser; client: Client };
type Response = { statusCode: number; body: string; headers: Record<string, unknown> };
async function send(caller: Caller, via: 'page' | 'api', name: OperationName, x: Target): Promise<Response> {
  const op = operation(name);
  const body = await op.body(x);
  if (via === 'api') return op.api.method === 'PUT' ? caller.client.put(op.api.url(x), body) : caller.client.post(op.api.url(x), body);
  await caller.browser.get(paths.index()); // a page first, as a browser would: its form token
  return caller.browser.post(op.page.url(x), asForm(body));
}

// ---- Nothing written, and the refusal recorded ----------------------------------------------

/** Every row a directory change could write, less the columns that move on every request (a session's last use). */
const WATCHED = {
  agency: 'select t::text from agency t',
  team: 'select t::text from team t',
  app_user: 'select t::text from app_user t',
  credential: 'select t::text from credential t',
  team_membership: 'select t::text from team_membership t',
  access_alert: 'select t::text from access_alert t',
  receiving_service: 'select t::text from receiving_service t',
  api_token: 'select (id, revoked_at)::text from api_token',
  session: 'select (id_hash, user_id, team_id)::text from session',
};
async function rows() {
  const parts = Object.entries(WATCHED).map(([table, query]) => `select '${table}' as t, count(*)::int as n, md5(coalesce(string_agg(r, '|' order by r), '')) as h from (${query}) as x(r)`);
  return (await t.pool.query(parts.join(' union all '))).rows as { t: string; n: number; h: string }[];
}

type Refusal = { status: 401 | 403 | 409; code: string };
const denied = (code = 'ACCESS.DENIED'): Refusal => ({ status: 403, code });
const SCOPE: Refusal = { status: 403, code: 'AUTH.TOKEN_SCOPE' };

async function assertRefused(label: string, via: 'page' | 'api', expected: Refusal, attempt: () => Promise<Response>) {
  const before = { rows: await rows(), audit: await lastAuditId(t) };
  const response = await attempt();
  const events = (await auditSince(t, before.audit)).map((e) => ({ action: e.action, outcome: e.outcome, details: e.details }));
  if (via === 'api') {
    assert.equal(response.statusCode, expected.status, `${label}: ${response.body.slice(0, 300)}`);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/, label);
    assert.equal(JSON.parse(response.body).code, expected.code, label);
  } else if (expected.status === 409) {
    // A conflict on a form is post-redirect-get back to it, the message in the error summary.
    assert.equal(response.statusCode, 303, `${label}: ${response.body.slice(0, 300)}`);
  } else {
    assert.equal(response.statusCode, 403, `${label}: ${response.body.slice(0, 300)}`);
  }
  assert.deepEqual(await rows(), before.rows, `${label}: nothing written`);
  if (expected.status === 409) return assert.deepEqual(events, [], `${label}: a conflict is not an access refusal`);
  if (expected.status === 401) return assert.deepEqual(events.map((e) => [e.action, e.outcome]), [['auth.token_rejected', 'denied']], label);
  assert.deepEqual(events.map((e) => [e.action, e.outcome]), [['access.denied', 'denied']], `${label}: one recorded refusal`);
  if (expected.code.startsWith('DIRECTORY.')) assert.equal(events[0]!.details.rule, expected.code, label);
  if (via === 'page' && response.body.includes('data-qa="forbidden-reason"')) {
    assert.equal(/data-qa="forbidden-reason">([^<]+)</.exec(response.body)?.[1], events[0]!.details.reason, `${label}: the page says why`);
  }
}

/** Each operation, both ways, refused as expected. */
async function walk(who: string, caller: Caller, x: Target, expected: Partial<Record<OperationName, Refusal>>, vias: ('page' | 'api')[] = ['page', 'api']) {
  for (const [name, refusal] of Object.entries(expected) as [OperationName, Refusal][]) {
    for (const via of vias) await assertRefused(`${who}: ${name} (${via})`, via, refusal, () => send(caller, via, name, x));
  }
}
const everything = (refusal: Refusal) => Object.fromEntries(ALL.map((name) => [name, refusal])) as Record<OperationName, Refusal>;

// ---- The walk --------------------------------------------------------------------------------

const RIVERSIDE_TARGET: Target = { agency: RIVERSIDE, team: CMHT, user: GRACE, membership: await membershipOf(GRACE), freeTeam: CRISIS, roles: ['practitioner'] };
const COUNCIL_TARGET: Target = { agency: COUNCIL, team: DUTY, user: RAJ, membership: await membershipOf(RAJ), freeTeam: LEARNING_DISABILITY, roles: ['practitioner'] };
const caller = (name: Name): Caller => ({ browser: browsers[name], client: clients[name] });

test('the walk covers every route that changes the directory or how a team takes referrals', () => {
  const isDirectory = (url: string) => url.startsWith('/directory') || Object.values(api).some((p) => p.pattern === url) || url === referralPaths.settings.pattern || url === referralApiPaths.settings.pattern;
  const served = t.app.registeredRoutes.filter((r) => r.spec && r.spec.method !== 'GET' && isDirectory(r.url)).map((r) => `${r.spec!.method} ${r.url}`);
  const walked = [...ALL.flatMap((name) => [`POST ${operation(name).page.pattern}`, `${operation(name).api.method} ${operation(name).api.pattern}`]), `POST ${referralPaths.settings.pattern}`, `PUT ${referralApiPaths.settings.pattern}`];
  assert.deepEqual([...served].sort(), [...walked].sort());
});

describe('someone who manages nothing changes nothing, and is refused the forms too', () => {
  for (const name of ['daniel', 'priya', 'helen'] as const) {
    test(`${name}`, async () => {
      await walk(name, caller(name), RIVERSIDE_TARGET, everything(denied()));
      for (const op of ALL) {
        const url = operation(op).page.url(RIVERSIDE_TARGET);
        await assertRefused(`${name}: GET ${url}`, 'page', denied(), () => browsers[name].get(url));
      }
    });
  }
});

describe('an agency administrator, against another agency', () => {
  test('every change refused, forms included', async () => {
    await walk('aisha → council', caller('aisha'), COUNCIL_TARGET, everything(denied()));
    for (const op of ALL) {
      const url = operation(op).page.url(COUNCIL_TARGET);
      await assertRefused(`aisha → council: GET ${url}`, 'page', denied(), () => browsers.aisha.get(url));
    }
  });
});

describe('nobody changes their own roles, memberships or password here', () => {
  const OWN = {
    'add a user to a team': denied('DIRECTORY.OWN_PRIVILEGES'),
    'change a membership’s roles': denied('DIRECTORY.OWN_PRIVILEGES'),
    'end a membership': denied('DIRECTORY.OWN_PRIVILEGES'),
    'set a user’s password': denied('DIRECTORY.OWN_PASSWORD'),
    'deactivate a team': denied('DIRECTORY.OWN_PRIVILEGES'),
    'deactivate a user': { status: 409, code: 'DIRECTORY.CANNOT_DEACTIVATE_SELF' },
  } satisfies Partial<Record<OperationName, Refusal>>;

  test('an agency administrator: not by a membership, a password set without the current one, their own team, nor a team they were in', async () => {
    const own: Target = { agency: RIVERSIDE, team: BUSINESS_SUPPORT, user: ID.aisha, membership: await membershipOf(ID.aisha), freeTeam: CMHT, roles: ['agency_administrator', 'team_manager'] };
    await walk('aisha → herself', caller('aisha'), own, OWN);
    await walk('aisha → a team she was in', caller('aisha'), { ...own, team: AISHAS_OLD_TEAM }, { 'reactivate a team': denied('DIRECTORY.OWN_PRIVILEGES') });
  });

  test('a partnership administrator: the same, and not their own agency either', async () => {
    const own: Target = { agency: PARTNERSHIP, team: PARTNERSHIP_SUPPORT, user: ID.alex, membership: await membershipOf(ID.alex), freeTeam: CMHT, roles: ['partnership_administrator', 'auditor'] };
    await walk('alex → himself', caller('alex'), own, { ...OWN, 'deactivate an agency': denied('DIRECTORY.OWN_PRIVILEGES') });
  });
});

describe('an agency administrator does not reach the partnership’s roles', () => {
  const helen = async (): Promise<Target> => ({ agency: RIVERSIDE, team: GOVERNANCE, user: ID.helen, membership: await membershipOf(ID.helen), freeTeam: CMHT, roles: ['practitioner'] });
  const PARTNERSHIP_ONLY = denied('DIRECTORY.PARTNERSHIP_ROLES_ONLY');

  test('not by giving the auditor role, to anyone, in any way', async () => {
    const auditor = { ...RIVERSIDE_TARGET, user: ID.daniel, membership: await membershipOf(ID.daniel), freeTeam: CMHT, roles: ['practitioner', 'auditor'] };
    await walk('aisha gives auditor', caller('aisha'), auditor, { 'add a user': PARTNERSHIP_ONLY, 'add a user to a team': PARTNERSHIP_ONLY, 'change a membership’s roles': PARTNERSHIP_ONLY });
    const partnership = { ...auditor, roles: ['partnership_administrator'] };
    await walk('aisha gives partnership administrator', caller('aisha'), partnership, { 'add a user': denied(), 'add a user to a team': denied(), 'change a membership’s roles': denied() });
  });

  test('not by taking it away: the guardian’s roles, membership, account or team', async () => {
    const x = { ...(await helen()), roles: ['practitioner'] };
    await walk('aisha → helen', caller('aisha'), x, {
      'change a membership’s roles': PARTNERSHIP_ONLY,
      'end a membership': PARTNERSHIP_ONLY,
      'deactivate a user': PARTNERSHIP_ONLY,
      'deactivate a team': PARTNERSHIP_ONLY,
    });
  });

  test('not by taking over the guardian’s account: a new password, a new email address', async () => {
    await walk('aisha → helen’s account', caller('aisha'), await helen(), { 'set a user’s password': PARTNERSHIP_ONLY, 'change a user’s details': PARTNERSHIP_ONLY });
  });

  test('nor shown the forms for any of it', async () => {
    for (const url of [paths.userEdit(ID.helen), paths.userPassword(ID.helen), paths.userDeactivate(ID.helen), paths.userReactivate(RETIRED_AUDITOR), paths.teamDeactivate(GOVERNANCE), paths.teamReactivate(OLD_GOVERNANCE)]) {
      await assertRefused(`aisha: GET ${url}`, 'page', PARTNERSHIP_ONLY, () => browsers.aisha.get(url));
    }
    await assertRefused('aisha: GET her own password form', 'page', denied('DIRECTORY.OWN_PASSWORD'), () => browsers.aisha.get(paths.userPassword(ID.aisha)));
  });

  test('not by bringing back a deactivated auditor, or a deactivated team with one in it', async () => {
    const x = { ...(await helen()), user: RETIRED_AUDITOR, team: OLD_GOVERNANCE };
    await walk('aisha → retired auditors', caller('aisha'), x, { 'reactivate a user': PARTNERSHIP_ONLY, 'reactivate a team': PARTNERSHIP_ONLY });
  });
});

describe('a deactivated administrator', () => {
  test('their session and token are gone: every change refused, nothing written', async () => {
    const x = { ...RIVERSIDE_TARGET, roles: ['practitioner'] };
    await walk('sam, deactivated (API)', { browser: samBrowser, client: samClient }, x, everything({ status: 401, code: 'AUTH.TOKEN_REQUIRED' }), ['api']);
    // The session ended with the account, and the form's token with it: the form has expired.
    await walk('sam, deactivated (page)', { browser: samBrowser, client: samClient }, x, everything(denied()), ['page']);
  });
});

describe('a read-only token', () => {
  test('cannot change anything, even for a partnership administrator', async () => {
    await walk('alex, read only', { browser: browsers.alex, client: await readOnly(clients.alex) }, RIVERSIDE_TARGET, everything(SCOPE), ['api']);
  });
});

describe('how a team takes referrals: its own manager’s, no one else’s', () => {
  const settingsOf = async (team: string) => (await t.pool.query('select t::text as r from receiving_service t where team_id = $1', [team])).rows[0]?.r ?? null;
  const change = async (caller: Caller, via: 'page' | 'api', version = 0, extra: Body = {}) => {
    const body = { acceptsReferrals: 'yes', requiredInformation: ['reason'], automaticallyUrgentAgencies: [], informationRequestWorkingDays: 4, waitingRiskCheckDays: 10, version, ...extra };
    if (via === 'api') return caller.client.put(referralApiPaths.settings(), body);
    await caller.browser.get(paths.index()); // a page the caller may see, for its form token
    return caller.browser.post(referralPaths.settings(), asForm(body));
  };

  test('no one without the team manager’s role, and no read-only token', async () => {
    for (const name of ['daniel', 'aisha', 'helen', 'alex'] as const) {
      for (const via of ['page', 'api'] as const) await assertRefused(`${name}: referral settings (${via})`, via, denied(), () => change(caller(name), via));
      await assertRefused(`${name}: GET referral settings`, 'page', denied(), () => browsers[name].get(referralPaths.settings()));
    }
    const priya = { browser: browsers.priya, client: await readOnly(clients.priya) };
    await assertRefused('priya, read only', 'api', SCOPE, () => change(priya, 'api'));
    await assertRefused('sam, deactivated', 'api', { status: 401, code: 'AUTH.TOKEN_REQUIRED' }, () => samClient.put(referralApiPaths.settings(), {}));
  });

  test('a team manager who names another team changes only their own', async () => {
    const duty = await settingsOf(DUTY);
    const { version } = (await clients.priya.get(referralApiPaths.settings())).json();
    const changed = await change(caller('priya'), 'api', version, { teamId: DUTY, agencyId: COUNCIL });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(await settingsOf(DUTY), duty);
    assert.match(String(await settingsOf(CMHT)), /\{reason\}/);
  });
});
