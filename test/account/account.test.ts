import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, DEMO_PASSWORD, auditSince, Browser, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { errorSummaryHtml as errorSummaryOf } from '../support/pages.js';

const GRACE = 'grace.whitfield@riverside-nhs.example'; // care coordinator in the CMHT, practitioner in Early Intervention
const TOM = 'tom.okafor@riverside-nhs.example';
const HELEN = 'helen.marsh@riverside-nhs.example';

const t: TestConcord = await testConcord();

const headerOf = (html: string) => /data-qa="signed-in-as">([^<]*)</.exec(html)?.[1];
const noticeOf = (html: string) => /<p class="govuk-notification-banner__heading">\s*([\s\S]*?)\s*<\/p>/.exec(html)?.[1];
const summaryValue = (html: string, key: string) =>
  new RegExp(`<dt class="govuk-summary-list__key">\\s*${key}\\s*</dt>\\s*<dd class="govuk-summary-list__value">\\s*([^<]*?)\\s*</dd>`).exec(html)?.[1];

async function teamId(name: string): Promise<string> {
  return (await t.pool.query('select id from team where name = $1', [name])).rows[0].id as string;
}

async function sessionTeamsOf(email: string): Promise<string[]> {
  const rows = await t.pool.query('select s.team_id from session s join app_user u on u.id = s.user_id where u.email = $1', [email]);
  return rows.rows.map((r) => r.team_id as string);
}

describe('your account page', () => {
  test('says who you are, the team you act for and your roles there, with links to password and tokens', async () => {
    const page = await (await new Browser(t.app).signIn(GRACE)).get('/account');
    assert.equal(page.statusCode, 200);
    assert.equal(summaryValue(page.body, 'Name'), 'Grace Whitfield');
    assert.equal(summaryValue(page.body, 'Email address'), GRACE);
    assert.equal(summaryValue(page.body, 'Agency'), 'Riverside NHS Mental Health Trust');
    assert.equal(summaryValue(page.body, 'Acting for'), 'Riverside Community Mental Health Team');
    assert.equal(summaryValue(page.body, 'Your roles in this team'), 'Care coordinator');
    assert.match(page.body, /href="\/account\/password" data-qa="change-password"/);
    assert.match(page.body, /href="\/account\/tokens" data-qa="api-tokens"/);
    const choices = [...page.body.matchAll(/name="teamId" type="radio" value="([^"]+)"( checked)?/g)].map((m) => [m[1], Boolean(m[2])]);
    assert.deepEqual(choices, [
      [await teamId('Riverside Community Mental Health Team'), true],
      [await teamId('Early Intervention in Psychosis'), false],
    ]);
  });

  test('someone in one team is told so, with nothing to switch', async () => {
    const page = await (await new Browser(t.app).signIn(TOM)).get('/account');
    assert.match(page.body, /data-qa="single-team">You are a member of one team: Riverside Community Mental Health Team/);
    assert.doesNotMatch(page.body, /name="teamId"/);
  });

  test('a signed-out visitor is sent to sign in', async () => {
    const response = await new Browser(t.app).get('/account');
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/sign-in?returnTo=%2Faccount');
  });
});

describe('switching team', () => {
  test('changes the header, the roles and the session, and is recorded', async () => {
    const browser = await new Browser(t.app).signIn(GRACE);
    await browser.get('/account');
    const earlyIntervention = await teamId('Early Intervention in Psychosis');
    const before = await lastAuditId(t);
    const posted = await browser.post('/account/team', { teamId: earlyIntervention });
    assert.equal(posted.statusCode, 303);
    assert.equal(posted.headers.location, '/account');
    const page = await browser.get('/account');
    assert.equal(noticeOf(page.body), 'You are now acting for Early Intervention in Psychosis, Riverside NHS Mental Health Trust.');
    assert.equal(headerOf(page.body), 'Grace Whitfield · Early Intervention in Psychosis, Riverside NHS Mental Health Trust');
    assert.equal(summaryValue(page.body, 'Your roles in this team'), 'Practitioner');
    assert.match(page.body, new RegExp(`value="${earlyIntervention}" checked`));

    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.subject_type, e.subject_id]), [['auth.team_switched', 'team', earlyIntervention]]);
    assert.equal(events[0]!.details.fromTeamId, await teamId('Riverside Community Mental Health Team'));
    assert.equal(events[0]!.details.toTeamId, earlyIntervention);
    assert.deepEqual(events[0]!.details.roles, ['practitioner']);

    // And back again.
    await browser.post('/account/team', { teamId: await teamId('Riverside Community Mental Health Team') });
    assert.equal(headerOf((await browser.get('/')).body), 'Grace Whitfield · Riverside Community Mental Health Team, Riverside NHS Mental Health Trust');
  });

  test('a team you are not a member of is refused with a clear message, recorded, and nothing changes', async () => {
    const browser = await new Browser(t.app).signIn(GRACE);
    await browser.get('/account');
    const crisis = await teamId('Crisis Resolution and Home Treatment');
    const teamsBefore = await sessionTeamsOf(GRACE);
    const before = await lastAuditId(t);
    const posted = await browser.post('/account/team', { teamId: crisis });
    assert.equal(posted.statusCode, 303);
    const page = await browser.get('/account');
    assert.equal(page.statusCode, 400);
    assert.match(errorSummaryOf(page.body), /href="#teamId">You are not a member of that team. Select one of your teams</);
    assert.equal(headerOf(page.body), 'Grace Whitfield · Riverside Community Mental Health Team, Riverside NHS Mental Health Trust');
    assert.deepEqual(await sessionTeamsOf(GRACE), teamsBefore);
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.outcome]), [['access.denied', 'denied']]);
    assert.equal(events[0]!.details.teamId, crisis);
  });

  test('no team chosen, or nonsense, gets a message and nothing is recorded but refusals', async () => {
    const browser = await new Browser(t.app).signIn(GRACE);
    for (const [form, message] of [
      [{}, 'Select the team you want to act for'],
      [{ teamId: '   ' }, 'Select the team you want to act for'],
      [{ teamId: 'not-a-team' }, 'You are not a member of that team. Select one of your teams'],
    ] as const) {
      await browser.get('/account');
      const before = await lastAuditId(t);
      await browser.post('/account/team', form);
      const page = await browser.get('/account');
      assert.equal(page.statusCode, 400, JSON.stringify(form));
      assert.match(errorSummaryOf(page.body), new RegExp(`href="#teamId">${message}<`));
      assert.ok((await auditSince(t, before)).every((e) => e.action === 'access.denied'));
    }
  });

  test('without the form’s CSRF token nothing is switched', async () => {
    const browser = await new Browser(t.app).signIn(GRACE);
    const teamsBefore = await sessionTeamsOf(GRACE);
    const response = await browser.post('/account/team', { teamId: await teamId('Early Intervention in Psychosis') }, { csrf: null });
    assert.equal(response.statusCode, 403);
    assert.deepEqual(await sessionTeamsOf(GRACE), teamsBefore);
  });
});

describe('GET /api/v1/me', () => {
  test('describes the actor: user, agency, team, roles and the permissions they give', async () => {
    const helen = await apiClient(t, HELEN);
    const response = await helen.get('/api/v1/me');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      user: { id: helen.actor.userId, name: 'Helen Marsh', email: HELEN },
      agency: { id: helen.actor.agencyId, name: 'Riverside NHS Mental Health Trust' },
      team: { id: await teamId('Information Governance'), name: 'Information Governance' },
      roles: ['auditor'],
      permissions: ['account.tokens', 'alerts.review', 'audit.view', 'directory.view', 'workspace.view'],
    });
    const tom = (await (await apiClient(t, TOM)).get('/api/v1/me')).json();
    assert.deepEqual(tom.roles, ['care_coordinator']);
    assert.ok(!tom.permissions.includes('audit.view'));
  });

  test('a token acts for the team its owner was acting for when it was made', async () => {
    const browser = await new Browser(t.app).signIn(GRACE);
    await browser.get('/account');
    await browser.post('/account/team', { teamId: await teamId('Early Intervention in Psychosis') });
    await browser.get('/account/tokens');
    const created = await browser.post('/account/tokens', { name: 'Early intervention import', expiresInDays: '7', scope: 'read', currentPassword: DEMO_PASSWORD });
    const secret = /data-qa="token-secret">([^<]+)</.exec(created.body)![1]!;
    assert.match(created.body, /It acts for Early Intervention in Psychosis, Riverside NHS Mental Health Trust/);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${secret}` } });
    assert.equal(me.json().team.name, 'Early Intervention in Psychosis');
    assert.deepEqual(me.json().roles, ['practitioner']);
  });

  test('without a token: 401 problem+json with WWW-Authenticate', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/me' });
    assert.equal(response.statusCode, 401);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    assert.equal(response.headers['www-authenticate'], 'Bearer realm="concord"');
    assert.equal(response.json().status, 401);
  });

  test('is described in the OpenAPI document under Account, which offers no way to create a token', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const [path, method] of [['/api/v1/me', 'get'], ['/api/v1/tokens', 'get'], ['/api/v1/tokens/{tokenId}/revoke', 'post']]) {
      assert.deepEqual(document.paths[path!][method!].tags, ['Account'], `${method} ${path}`);
    }
    // A token cannot create tokens, so an operation for it would be one a client could never use.
    assert.deepEqual(Object.keys(document.paths['/api/v1/tokens']), ['get']);
    assert.match(document.info.description, /created only in the pages \(Your account → API tokens, signed in, with your password again\)/);
    assert.match(document.info.description, /`POST \/api\/v1\/tokens` is refused with 403 `TOKEN.CREATE_NEEDS_SIGN_IN`/);
  });

  test('a client that tries to create a token anyway is told, as problem+json, where tokens are created', async () => {
    const tom = await apiClient(t, TOM);
    const refused = await tom.post('/api/v1/tokens', { name: 'Renewal', expiresInDays: 30, scope: 'write' });
    assert.equal(refused.statusCode, 403);
    assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
    assert.deepEqual([refused.json().status, refused.json().code], [403, 'TOKEN.CREATE_NEEDS_SIGN_IN']);
    assert.match(refused.json().title, /Sign in to Concord and create one under Your account, API tokens, with your password/);
  });
});
