import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, Browser, testConcord, type TestConcord } from '../support/app.js';
import { statementsDuring } from '../support/statements.js';

// Issue 9 item 17: authentication is one statement, for a session and for a token, rules kept.
const TOM = 'tom.okafor@riverside-nhs.example';
const t: TestConcord = await testConcord();

describe('authentication in one round trip', () => {
  test('a token call reads the token and its actor in one statement: /api/v1/me sends exactly one', async () => {
    const tom = await apiClient(t, TOM);
    assert.equal((await tom.get('/api/v1/me')).statusCode, 200);
    const sent = await statementsDuring(async () => assert.equal((await tom.get('/api/v1/me')).json().user.email, TOM));
    assert.equal(sent.length, 1, sent.join('\n---\n'));
    // A minute later the same statement notes the use: still one.
    t.clock.advance(61_000);
    assert.equal((await statementsDuring(() => tom.get('/api/v1/me'))).length, 1);
  });

  test('a session is resumed with its actor, and touched, in one statement', async () => {
    const browser = await new Browser(t.app).signIn(TOM);
    const cookie = browser.cookie('__Host-concord-session')!;
    assert.ok(cookie, 'signed in');
    t.clock.advance(2 * 60_000);
    let resumed: Awaited<ReturnType<typeof t.services.sessions.resume>> = null;
    const sent = await statementsDuring(async () => {
      resumed = await t.services.sessions.resume(cookie);
    });
    assert.equal(sent.length, 1);
    assert.equal(resumed!.actor!.email, TOM);
    const seen = await t.pool.query('select last_seen_at from session where id_hash = $1', [resumed!.idHash]);
    assert.equal(seen.rows[0].last_seen_at.getTime(), t.clock.now().getTime(), 'touched by that statement');
  });

  test('the rules hold: a deactivated user’s session and token find no actor; the team switched to is the one acted for', async () => {
    const browser = await new Browser(t.app).signIn(TOM);
    const cookie = browser.cookie('__Host-concord-session')!;
    const tom = await apiClient(t, TOM);
    await t.pool.query(`update app_user set active = false where email = $1`, [TOM]);
    assert.equal((await t.services.sessions.resume(cookie))?.actor ?? null, null);
    assert.equal((await tom.get('/api/v1/me')).statusCode, 401);
    await t.pool.query(`update app_user set active = true where email = $1`, [TOM]);
    const resumed = await t.services.sessions.resume(cookie);
    assert.equal(resumed!.actor!.teamId, resumed!.teamId);
  });
});
