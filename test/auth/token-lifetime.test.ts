import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditSince, Browser, DEMO_PASSWORD, lastAuditId, testConcord, type TestConcord } from '../support/app.js';

// Issue 9 item 11: tokens end when the password changes or the membership they act for ends.
const TOM = 'tom.okafor@riverside-nhs.example';
const ALEX = 'alex.morgan@northshire-care.example';
const NEW_PASSWORD = 'copper kettle orchard';

const t: TestConcord = await testConcord();

const me = (secret: string) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${secret}` } });

async function actorOf(email: string, teamId: string | null = null) {
  const account = await t.services.directory.findAccountByEmail(email);
  return (await t.services.directory.loadActor(account!.userId, teamId, { kind: 'session', sessionId: 'test' }))!;
}

async function tokenFor(email: string, teamId: string | null = null) {
  return (await t.services.apiTokens.create(await actorOf(email, teamId), { name: 'integration', expiresInDays: 30, scope: 'write' })).secret;
}

async function anotherTeamOf(email: string) {
  const actor = await actorOf(email);
  const rows = await t.pool.query('select id from team where agency_id = $1 and id <> $2 and active order by name limit 1', [actor.agencyId, actor.teamId]);
  return { actor, teamId: rows.rows[0].id as string };
}

describe('tokens end when they should', () => {
  test('changing your own password revokes every one of your tokens, in the same transaction', async () => {
    const secrets = [await tokenFor(TOM), await tokenFor(TOM)];
    for (const secret of secrets) assert.equal((await me(secret)).statusCode, 200);
    const browser = await new Browser(t.app).signIn(TOM);
    const before = await lastAuditId(t);
    await browser.get('/account/password');
    const posted = await browser.post('/account/password', { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    assert.equal(posted.statusCode, 303);
    const page = await browser.get('/account');
    assert.match(page.body, /Your 2 API tokens have been revoked\./);
    for (const secret of secrets) assert.equal((await me(secret)).statusCode, 401);
    const changed = (await auditSince(t, before)).find((e) => e.action === 'auth.password_changed')!;
    assert.equal(changed.details.tokensRevoked, 2);
    const revokedAt = await t.pool.query(`select distinct revoked_at from api_token where user_id = $1`, [changed.subject_id]);
    assert.equal(revokedAt.rows.length, 1, 'all revoked at the same moment, by the change itself');
  });

  test('a password change that is refused revokes nothing', async () => {
    const secret = await tokenFor(TOM);
    const browser = await new Browser(t.app).signIn(TOM, NEW_PASSWORD);
    await browser.get('/account/password');
    await browser.post('/account/password', { currentPassword: NEW_PASSWORD, newPassword: 'short', confirmPassword: 'short' });
    assert.equal((await me(secret)).statusCode, 200);
  });

  test('an administrator’s password reset revokes the user’s tokens', async () => {
    const secret = await tokenFor(TOM);
    const tom = await actorOf(TOM);
    await t.services.directory.resetPassword(await actorOf(ALEX), tom.userId, 'walnut lantern harbour');
    assert.equal((await me(secret)).statusCode, 401);
  });

  test('ending a membership revokes the tokens acting for that team, and only those', async () => {
    const alex = await actorOf(ALEX);
    const { actor: tom, teamId } = await anotherTeamOf(TOM);
    const membership = await t.services.directory.addMembership(alex, tom.userId, { teamId, roles: ['practitioner'] });
    const forThatTeam = await tokenFor(TOM, teamId);
    const forHomeTeam = await tokenFor(TOM, tom.teamId);
    assert.equal((await me(forThatTeam)).json().team.id, teamId);

    await t.services.directory.endMembership(alex, membership.id);
    assert.equal((await me(forThatTeam)).statusCode, 401, 'it must not go on acting for his other team');
    assert.equal((await me(forHomeTeam)).statusCode, 200, 'the team he still belongs to is untouched');
    const ended = await t.pool.query(`select details from audit_event where action = 'directory.membership_ended' order by id desc limit 1`);
    assert.equal(ended.rows[0].details.tokensRevoked, 1);
  });

  test('a token whose team membership ended some other way never acts for another team', async () => {
    const alex = await actorOf(ALEX);
    const { actor: tom, teamId } = await anotherTeamOf(TOM);
    await t.services.directory.addMembership(alex, tom.userId, { teamId, roles: ['practitioner'] }).catch(() => undefined);
    const secret = await tokenFor(TOM, teamId);
    await t.pool.query('update team_membership set active = false where user_id = $1 and team_id = $2', [tom.userId, teamId]);
    assert.equal((await me(secret)).statusCode, 401);
  });
});
