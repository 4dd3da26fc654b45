import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, apiClient, auditSince, countRows, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { directoryApiPaths as api, directoryPaths as paths } from '../../src/modules/directory/paths.js';

/**
 * No one raises their own privileges (issue 9, item 10). Every directory route that changes who may do
 * what (adding someone to a team, changing a membership's roles, ending one, adding a user with roles),
 * as a page and through the API, for each role, against a user of their own agency, of another agency,
 * and themselves. The expected table is written out here, not derived from the rules it checks.
 * privilege-walk.test.ts plays the same games on every other directory route.
 */
const t: TestConcord = await testConcord();

const EMAILS = {
  partnershipAdmin: 'alex.morgan@northshire-care.example',
  agencyAdmin: 'aisha.bello@riverside-nhs.example',
  auditor: 'helen.marsh@riverside-nhs.example',
  teamManager: 'priya.raman@riverside-nhs.example',
  coordinator: 'tom.okafor@riverside-nhs.example',
} as const;
type Who = keyof typeof EMAILS;
const WHO = Object.keys(EMAILS) as Who[];

const one = async (sql: string, ...values: string[]) => (await t.pool.query(sql, values)).rows[0]?.id as string;
const userId = (email: string) => one('select id from app_user where email = $1', email);
const membershipOf = (user: string) => one('select id from team_membership where user_id = $1 and active order by created_at limit 1', user);
const RIVERSIDE = await one('select id from agency where name = $1', 'Riverside NHS Mental Health Trust');
const CMHT = await one('select id from team where name = $1', 'Riverside Community Mental Health Team');
const DUTY = await one('select id from team where name = $1', 'Adult Social Care Duty Team');
const DANIEL = await userId('daniel.hughes@riverside-nhs.example');
const RAJ = await userId('raj.patel@northshire-council.example');

const browsers = Object.fromEntries(await Promise.all(WHO.map(async (w) => [w, await new Browser(t.app).signIn(EMAILS[w])]))) as Record<Who, Browser>;
const clients = Object.fromEntries(await Promise.all(WHO.map(async (w) => [w, await apiClient(t, EMAILS[w])]))) as Record<Who, Awaited<ReturnType<typeof apiClient>>>;
const ids = Object.fromEntries(await Promise.all(WHO.map(async (w) => [w, await userId(EMAILS[w])]))) as Record<Who, string>;

const TABLES = ['app_user', 'team_membership', 'access_alert'];
const counts = async () => Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await countRows(t, table)])));
const rolesOf = async (membership: string) => (await t.pool.query('select roles, active from team_membership where id = $1', [membership])).rows[0];

type Relationship = 'self' | 'own agency' | 'other agency';
const subjectOf = (who: Who, relationship: Relationship) => (relationship === 'self' ? ids[who] : relationship === 'own agency' ? DANIEL : RAJ);
/** A team in the subject's agency they are not in yet, so only the privilege rules can stop the change. */
const freshTeamFor = async (relationship: Relationship, subject: string) =>
  (await one(
    `select t.id from team t join app_user u on u.agency_id = t.agency_id where u.id = $1 and t.active
       and not exists (select 1 from team_membership m where m.team_id = t.id and m.user_id = u.id and m.active) order by t.name limit 1`,
    relationship === 'other agency' ? RAJ : subject,
  )) ?? CMHT;

/**
 * Who may manage whose memberships: a partnership administrator anyone's but their own; an agency
 * administrator anyone's in their agency but their own; nobody else anyone's.
 */
function mayManage(who: Who, relationship: Relationship): boolean {
  if (relationship === 'self') return false;
  if (who === 'partnershipAdmin') return true;
  return who === 'agencyAdmin' && relationship === 'own agency';
}

/** Runs an attempt that must be refused: 403 with the rule's message, one recorded refusal, nothing written. */
async function assertRefused(label: string, attempt: () => Promise<{ statusCode: number; body: string }>, kind: 'page' | 'api', rule?: string) {
  const before = { counts: await counts(), audit: await lastAuditId(t) };
  const response = await attempt();
  assert.equal(response.statusCode, 403, `${label}: ${response.body.slice(0, 300)}`);
  if (kind === 'api') assert.equal(JSON.parse(response.body).code, rule ?? 'ACCESS.DENIED', label);
  assert.deepEqual(await counts(), before.counts, `${label}: nothing written`);
  const events = await auditSince(t, before.audit);
  assert.deepEqual(events.map((e) => [e.action, e.outcome]), [['access.denied', 'denied']], label);
  if (rule) assert.equal(events[0]!.details.rule, rule, label);
  return { response, event: events[0]! };
}

describe('the table: every membership route, for every role, against self, own agency and another agency', () => {
  for (const who of WHO) {
    for (const relationship of ['self', 'own agency', 'other agency'] as Relationship[]) {
      const allowed = mayManage(who, relationship);
      test(`${who} on ${relationship}: ${allowed ? 'allowed' : 'refused'}`, async () => {
        const subject = subjectOf(who, relationship);
        const membership = await membershipOf(subject);
        const teamId = await freshTeamFor(relationship, subject);
        const browser = browsers[who];
        const client = clients[who];
        const version = String((await t.pool.query('select version from team_membership where id = $1', [membership])).rows[0].version);
        // A self-change by an administrator is refused by the privilege rule; anyone else by the access decision.
        const rule = relationship === 'self' && (who === 'partnershipAdmin' || who === 'agencyAdmin') ? 'DIRECTORY.OWN_PRIVILEGES' : undefined;
        const label = (what: string) => `${who} → ${relationship}: ${what}`;
        if (!allowed) {
          // The forms: an administrator may see the add and roles forms of their own account (the
          // answer is what is refused), everyone else is refused at the form.
          if (!rule) {
            for (const url of [paths.membershipNew(subject), paths.membershipRoles(membership), paths.membershipEnd(membership)]) {
              await assertRefused(label(`GET ${url}`), () => browser.get(url), 'page');
            }
          }
          await browser.get(paths.user(subject));
          await assertRefused(label('add to a team (page)'), () => browser.post(paths.membershipNew(subject), { teamId, roles: ['team_manager'] }), 'page', rule);
          await assertRefused(label('change roles (page)'), () => browser.post(paths.membershipRoles(membership), { roles: ['team_manager', 'auditor'], version }), 'page', rule);
          await assertRefused(label('end membership (page)'), () => browser.post(paths.membershipEnd(membership)), 'page', rule);
          await assertRefused(label('add to a team (API)'), () => client.post(api.userMemberships(subject), { teamId, roles: ['team_manager'] }), 'api', rule);
          await assertRefused(label('change roles (API)'), () => client.put(api.membershipRoles(membership), { roles: ['auditor'], version: Number(version) }), 'api', rule);
          await assertRefused(label('end membership (API)'), () => client.post(api.membershipEnd(membership)), 'api', rule);
          return;
        }
        for (const url of [paths.membershipNew(subject), paths.membershipRoles(membership), paths.membershipEnd(membership)]) {
          assert.equal((await browser.get(url)).statusCode, 200, label(`GET ${url}`));
        }
        // Allowed: a role within the agency is given and taken back, through the API and the page.
        const added = await client.post(api.userMemberships(subject), { teamId, roles: ['practitioner'] });
        assert.equal(added.statusCode, 201, label(added.body));
        const body = JSON.parse(added.body);
        const changed = await client.put(api.membershipRoles(body.id), { roles: ['care_coordinator'], version: body.version });
        assert.equal(changed.statusCode, 200, label(changed.body));
        await browser.get(paths.membershipEnd(body.id));
        assert.equal((await browser.post(paths.membershipEnd(body.id))).statusCode, 303, label('end'));
        assert.equal((await rolesOf(body.id)).active, false);
      });
    }
  }
});

describe('the escalations the issue names', () => {
  test('an agency administrator cannot give themselves the auditor role (page or API)', async () => {
    const own = await membershipOf(ids.agencyAdmin);
    const before = await rolesOf(own);
    await browsers.agencyAdmin.get(paths.user(ids.agencyAdmin));
    const { response } = await assertRefused('page', () => browsers.agencyAdmin.post(paths.membershipRoles(own), { roles: ['agency_administrator', 'auditor'], version: '1' }), 'page', 'DIRECTORY.OWN_PRIVILEGES');
    assert.match(response.body, /Nobody changes their own roles or team memberships/);
    await assertRefused('api', () => clients.agencyAdmin.put(api.membershipRoles(own), { roles: ['agency_administrator', 'auditor'], version: 1 }), 'api', 'DIRECTORY.OWN_PRIVILEGES');
    assert.deepEqual(await rolesOf(own), before);
  });

  test('an agency administrator cannot add themselves to a team as team manager (then read a restricted note)', async () => {
    await browsers.agencyAdmin.get(paths.membershipNew(ids.agencyAdmin));
    await assertRefused('page', () => browsers.agencyAdmin.post(paths.membershipNew(ids.agencyAdmin), { teamId: CMHT, roles: ['team_manager'] }), 'page', 'DIRECTORY.OWN_PRIVILEGES');
    const { response } = await assertRefused('api', () => clients.agencyAdmin.post(api.userMemberships(ids.agencyAdmin), { teamId: CMHT, roles: ['team_manager'] }), 'api', 'DIRECTORY.OWN_PRIVILEGES');
    assert.match(JSON.parse(response.body).title, /ask another administrator/);
  });

  test('an agency administrator cannot give anyone in their agency the auditor role, nor create an auditor', async () => {
    const daniels = await membershipOf(DANIEL);
    const version = (await t.pool.query('select version from team_membership where id = $1', [daniels])).rows[0].version;
    const form = await browsers.agencyAdmin.get(paths.membershipRoles(daniels));
    assert.doesNotMatch(form.body, /value="auditor"/, 'not offered');
    const { response } = await assertRefused('page', () => browsers.agencyAdmin.post(paths.membershipRoles(daniels), { roles: ['practitioner', 'auditor'], version: String(version) }), 'page', 'DIRECTORY.PARTNERSHIP_ROLES_ONLY');
    assert.match(response.body, /Only a partnership administrator gives or takes away the auditor/);
    await assertRefused('api', () => clients.agencyAdmin.put(api.membershipRoles(daniels), { roles: ['auditor'], version }), 'api', 'DIRECTORY.PARTNERSHIP_ROLES_ONLY');
    await assertRefused('new user', () => clients.agencyAdmin.post(api.agencyUsers(RIVERSIDE), { name: 'Lee Barnes', email: 'lee.barnes@riverside-nhs.example', teamId: CMHT, roles: ['auditor'], password: 'copper meadow lantern' }), 'api', 'DIRECTORY.PARTNERSHIP_ROLES_ONLY');
  });

  test('nor take the auditor role away: that is the partnership’s too', async () => {
    const helens = await membershipOf(ids.auditor);
    await assertRefused('end', () => clients.agencyAdmin.post(api.membershipEnd(helens)), 'api', 'DIRECTORY.PARTNERSHIP_ROLES_ONLY');
  });

  test('a partnership administrator gives the auditor role; the Caldicott guardian is alerted, about the user whose access grew', async () => {
    const daniels = await membershipOf(DANIEL);
    const version = (await t.pool.query('select version from team_membership where id = $1', [daniels])).rows[0].version;
    const before = await lastAuditId(t);
    const changed = await clients.partnershipAdmin.put(api.membershipRoles(daniels), { roles: ['practitioner', 'auditor'], version });
    assert.equal(changed.statusCode, 200, changed.body);
    const alerts = (await t.pool.query(`select user_id, details from access_alert where kind = 'role_change' and details->>'membershipId' = $1`, [daniels])).rows;
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].user_id, DANIEL);
    assert.deepEqual([alerts[0].details.changedBy, alerts[0].details.sensitive], [ids.partnershipAdmin, ['auditor']]);
    assert.deepEqual((await auditSince(t, before)).map((e) => e.action), ['alert.raised', 'directory.membership_changed']);
    // The guardian reads what changed, in words, on the alert's page and through the API.
    const alertId = (await t.pool.query(`select id from access_alert where kind = 'role_change' and details->>'membershipId' = $1`, [daniels])).rows[0].id;
    const page = await browsers.auditor.get(`/audit/alerts/${alertId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Roles changed in Crisis Resolution and Home Treatment/);
    assert.match(page.body, /Roles before\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Practitioner\s*<\/dd>/);
    assert.match(page.body, /Roles now\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Practitioner, Auditor \/ Caldicott guardian\s*<\/dd>/);
    const answer = (await clients.auditor.get(`/api/v1/access-alerts/${alertId}`)).json();
    assert.deepEqual([answer.roleChange.change, answer.roleChange.changedBy.id, answer.roleChange.sensitive], ['change', ids.partnershipAdmin, 'Auditor / Caldicott guardian']);
  });

  test('the pages offer only what may be done: no account actions on the guardian’s page, no password for yourself, no switching off the guardian’s team', async () => {
    const links = async (browser: Browser, url: string) => [...(await browser.get(url)).body.matchAll(/href="(\/directory\/[^"]+)"/g)].map((m) => m[1]!);
    const helensPage = await links(browsers.agencyAdmin, paths.user(ids.auditor));
    for (const url of [paths.userEdit(ids.auditor), paths.userPassword(ids.auditor), paths.userDeactivate(ids.auditor)]) assert.ok(!helensPage.includes(url), url);
    assert.ok(helensPage.includes(paths.membershipNew(ids.auditor)), 'a casework team can still be added');
    const grace = await userId('grace.whitfield@riverside-nhs.example');
    const gracesPage = await links(browsers.agencyAdmin, paths.user(grace));
    for (const url of [paths.userEdit(grace), paths.userPassword(grace), paths.userDeactivate(grace)]) assert.ok(gracesPage.includes(url), url);
    const ownPage = await links(browsers.agencyAdmin, paths.user(ids.agencyAdmin));
    assert.ok(!ownPage.includes(paths.userPassword(ids.agencyAdmin)), 'your own password is changed under Your account');
    assert.ok(ownPage.includes(paths.userEdit(ids.agencyAdmin)));
    const governance = await one('select id from team where name = $1', 'Information Governance');
    assert.ok(!(await links(browsers.agencyAdmin, paths.team(governance))).includes(paths.teamDeactivate(governance)));
    assert.ok((await links(browsers.agencyAdmin, paths.team(CMHT))).includes(paths.teamDeactivate(CMHT)));
    assert.ok((await links(browsers.partnershipAdmin, paths.team(governance))).includes(paths.teamDeactivate(governance)));
  });

  test('a change to casework roles only raises no alert', async () => {
    const rajs = await membershipOf(RAJ);
    const version = (await t.pool.query('select version from team_membership where id = $1', [rajs])).rows[0].version;
    const alertsBefore = await countRows(t, 'access_alert');
    const changed = await clients.partnershipAdmin.put(api.membershipRoles(rajs), { roles: ['practitioner', 'care_coordinator'], version });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(await countRows(t, 'access_alert'), alertsBefore);
    assert.ok(DUTY);
  });
});
