import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, auditSince, Browser, countRows, DEMO_PASSWORD, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { errorSummaryHtml as errorSummaryOf } from '../support/pages.js';

const TOM = 'tom.okafor@riverside-nhs.example';
const RAJ = 'raj.patel@northshire-council.example';

const t: TestConcord = await testConcord();

const SECRET = /data-qa="token-secret">(concord_[\w-]+)</;
const noticeOf = (html: string) => /<p class="govuk-notification-banner__heading">\s*([\s\S]*?)\s*<\/p>/.exec(html)?.[1];
const rowOf = (html: string, tokenId: string) => new RegExp(`<tr[^>]*data-token-id="${tokenId}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
const me = (secret: string) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${secret}` } });

/** A token made through the service, as code (tests, the command line) makes them. */
async function tokenFor(email: string, input: Record<string, unknown>) {
  const account = await t.services.directory.findAccountByEmail(email);
  const actor = await t.services.directory.loadActor(account!.userId, null, { kind: 'session', sessionId: 'test' });
  return t.services.apiTokens.create(actor!, input);
}

async function tokenRow(id: string) {
  return (await t.pool.query('select name, revoked_at, expires_at, created_at from api_token where id = $1', [id])).rows[0];
}

/** Wherever the secret might have been kept after it was shown: the audit trail, sessions, or another page. */
async function assertSecretKeptNowhere(secret: string, browser: Browser) {
  const inAudit = await t.pool.query(`select count(*)::int as n from audit_event where details::text like '%' || $1 || '%'`, [secret]);
  assert.equal(inAudit.rows[0].n, 0, 'not in the audit trail');
  const inSessions = await t.pool.query(`select count(*)::int as n from session where flash::text like '%' || $1 || '%'`, [secret]);
  assert.equal(inSessions.rows[0].n, 0, 'not in any session');
  const stored = await t.pool.query(`select count(*)::int as n from api_token where token_hash = $1 or display_prefix = $1`, [secret]);
  assert.equal(stored.rows[0].n, 0, 'only its digest is stored');
  for (const url of ['/account/tokens', '/account', '/']) {
    assert.ok(!(await browser.get(url)).body.includes(secret), `not on ${url}`);
  }
}

describe('API tokens in the browser', () => {
  test('create one, see its secret once, use it, revoke it, and it stops working', async () => {
    const browser = await new Browser(t.app).signIn(TOM);
    const list = await browser.get('/account/tokens');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /id="expiresInDays" name="expiresInDays" type="text" spellcheck="false" value="90"/);
    const before = await lastAuditId(t);

    const created = await browser.post('/account/tokens', { name: 'Team spreadsheet import', expiresInDays: '30', scope: 'write', currentPassword: DEMO_PASSWORD });
    assert.equal(created.statusCode, 201);
    assert.equal(created.headers.location, undefined, 'shown on the response itself, never after a redirect');
    assert.match(created.body, /Copy this token now\. You will not be able to see it again/);
    const secret = SECRET.exec(created.body)![1]!;
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => e.action), ['auth.token_created']);
    const tokenId = events[0]!.subject_id!;
    assert.deepEqual(Object.keys(events[0]!.details).sort(), ['expiresAt', 'name', 'scope']);
    assert.equal(events[0]!.details.scope, 'write');
    const stored = await tokenRow(tokenId);
    assert.equal(stored.expires_at.getTime() - stored.created_at.getTime(), 30 * 86_400_000);

    const who = await me(secret);
    assert.equal(who.statusCode, 200);
    assert.equal(who.json().user.email, TOM);

    const listed = await browser.get('/account/tokens');
    const row = rowOf(listed.body, tokenId);
    assert.match(row, /Team spreadsheet import/);
    assert.ok(row.includes(`<code>${secret.slice(0, 14)}…</code>`), 'only the start of the token is shown');
    assert.match(row, /Active/);
    assert.match(row, /data-qa="token-scope">Read and write</);
    assert.match(row, /data-qa="revoke-token"/);
    await assertSecretKeptNowhere(secret, browser);

    await browser.get('/account/tokens');
    const revoked = await browser.post(`/account/tokens/${tokenId}/revoke`);
    assert.equal(revoked.statusCode, 303);
    assert.equal(revoked.headers.location, '/account/tokens');
    const after = await browser.get('/account/tokens');
    assert.match(noticeOf(after.body)!, /The token ‘Team spreadsheet import’ has been revoked/);
    assert.match(rowOf(after.body, tokenId), /Revoked/);
    assert.notEqual((await tokenRow(tokenId)).revoked_at, null);
    assert.equal((await auditSince(t, before)).at(-1)!.action, 'auth.token_revoked');

    const refused = await me(secret);
    assert.equal(refused.statusCode, 401);
    assert.match(String(refused.headers['www-authenticate']), /^Bearer realm="concord"/);
    await assertSecretKeptNowhere(secret, browser);
  });

  test('every bad input gets its message, a 400, and nothing is written', async () => {
    const browser = await new Browser(t.app).signIn(TOM);
    const good = { name: 'Import', expiresInDays: '30', scope: 'read', currentPassword: DEMO_PASSWORD };
    const cases: [Record<string, string>, string, string][] = [
      [{ ...good, name: '' }, 'name', 'Enter a name for the token'],
      [{ ...good, name: '   ' }, 'name', 'Enter a name for the token'],
      [{ ...good, name: 'x'.repeat(81) }, 'name', 'The name must be 80 characters or fewer'],
      [{ ...good, expiresInDays: '0' }, 'expiresInDays', 'A token must last at least 1 day'],
      [{ ...good, expiresInDays: '91' }, 'expiresInDays', 'A token can last at most 90 days'],
      [{ ...good, expiresInDays: 'abc' }, 'expiresInDays', 'Enter how many days the token lasts, as a number'],
      [{ ...good, expiresInDays: '1.5' }, 'expiresInDays', 'Enter a whole number of days'],
      [{ ...good, scope: '' }, 'scope', 'Select what the token may do: read only, or read and write'],
      [{ ...good, scope: 'admin' }, 'scope', 'Select what the token may do: read only, or read and write'],
      [{ ...good, currentPassword: '' }, 'currentPassword', 'Enter your password'],
    ];
    for (const [form, field, message] of cases) {
      const tokens = await countRows(t, 'api_token');
      const before = await lastAuditId(t);
      await browser.get('/account/tokens');
      const posted = await browser.post('/account/tokens', form);
      assert.equal(posted.statusCode, 303, JSON.stringify(form));
      const page = await browser.get('/account/tokens');
      assert.equal(page.statusCode, 400, JSON.stringify(form));
      assert.match(errorSummaryOf(page.body), new RegExp(`href="#${field}">${message}<`), JSON.stringify(form));
      if (form.name!.trim() && form.name!.length <= 80) assert.match(page.body, new RegExp(`id="name" name="name" type="text" value="${form.name}"`), 'the name stays typed');
      assert.ok(!page.body.includes(DEMO_PASSWORD), 'the password is never put back in the form');
      assert.equal(await countRows(t, 'api_token'), tokens, 'no token was written');
      assert.deepEqual(await auditSince(t, before), [], 'nothing was recorded');
    }
  });

  test('creating a token needs the password again: a wrong one creates nothing, is recorded and counts towards the throttle', async () => {
    const browser = await new Browser(t.app).signIn(TOM);
    const tokens = await countRows(t, 'api_token');
    const before = await lastAuditId(t);
    await browser.get('/account/tokens');
    await browser.post('/account/tokens', { name: 'Import', expiresInDays: '30', scope: 'read', currentPassword: 'not my password at all' });
    const page = await browser.get('/account/tokens');
    assert.equal(page.statusCode, 400);
    assert.match(errorSummaryOf(page.body), /href="#currentPassword">Your current password is not correct</);
    assert.equal(await countRows(t, 'api_token'), tokens);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.details.reason]), [['auth.password_change_failed', 'wrong current password']]);
    const counted = await t.pool.query(`select failures from sign_in_throttle where user_id = (select id from app_user where email = $1)`, [TOM]);
    assert.equal(counted.rows[0].failures, 1);
  });

  test('a read-only token is made read only, shown as such, and can only read', async () => {
    const browser = await new Browser(t.app).signIn(TOM);
    await browser.get('/account/tokens');
    const created = await browser.post('/account/tokens', { name: 'Report reader', expiresInDays: '7', scope: 'read', currentPassword: DEMO_PASSWORD });
    assert.equal(created.statusCode, 201);
    assert.match(created.body, /can only read/);
    const secret = SECRET.exec(created.body)![1]!;
    const listed = await browser.get('/account/tokens');
    assert.match(listed.body, /data-qa="token-scope">Read only</);
    assert.equal((await me(secret)).statusCode, 200, 'a GET of the API is within its scope');
    const api = (await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: { authorization: `Bearer ${secret}` } })).json();
    assert.equal(api.tokens.find((x: { name: string }) => x.name === 'Report reader').scope, 'read');

    const tokenId = api.tokens.find((x: { name: string }) => x.name === 'Report reader').id as string;
    const before = await lastAuditId(t);
    const refused = await t.app.inject({ method: 'POST', url: `/api/v1/tokens/${tokenId}/revoke`, headers: { authorization: `Bearer ${secret}` } });
    assert.equal(refused.statusCode, 403);
    assert.match(String(refused.headers['content-type']), /application\/problem\+json/);
    assert.equal(refused.json().code, 'AUTH.TOKEN_SCOPE');
    assert.match(refused.json().detail, /read only, so it can only make GET requests/);
    assert.equal((await tokenRow(tokenId)).revoked_at, null, 'nothing was changed');
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.outcome, e.details.scope]), [['access.denied', 'denied', 'read']]);

    const write = await tokenFor(TOM, { name: 'Writer', expiresInDays: 7, scope: 'write' });
    const allowed = await t.app.inject({ method: 'POST', url: `/api/v1/tokens/${tokenId}/revoke`, headers: { authorization: `Bearer ${write.secret}` } });
    assert.equal(allowed.statusCode, 200, 'a read-and-write token may');
  });

  test('a form without its CSRF token creates nothing', async () => {
    const browser = await new Browser(t.app).signIn(TOM);
    const tokens = await countRows(t, 'api_token');
    const response = await browser.post('/account/tokens', { name: 'Forged', expiresInDays: '30' }, { csrf: null });
    assert.equal(response.statusCode, 403);
    assert.equal(await countRows(t, 'api_token'), tokens);
  });
});

describe('API tokens through the API', () => {
  test('a token cannot create tokens: 403 problem+json, recorded, nothing written', async () => {
    const tom = await apiClient(t, TOM);
    const tokens = await countRows(t, 'api_token');
    const before = await lastAuditId(t);
    const refused = await tom.post('/api/v1/tokens', { name: 'Self-renewing', expiresInDays: 90, scope: 'write', currentPassword: DEMO_PASSWORD });
    assert.equal(refused.statusCode, 403);
    assert.match(String(refused.headers['content-type']), /application\/problem\+json/);
    assert.equal(refused.json().code, 'TOKEN.CREATE_NEEDS_SIGN_IN');
    assert.match(refused.body, /An API token cannot create tokens/);
    assert.equal(await countRows(t, 'api_token'), tokens);
    assert.deepEqual((await auditSince(t, before)).map((e) => [e.action, e.outcome, e.details.reason]), [['access.denied', 'denied', 'an API token tried to create a token']]);
    const asToken = { ...tom.actor, via: { kind: 'token' as const, tokenId: 'x', scope: 'write' as const } };
    await assert.rejects(t.services.apiTokens.create(asToken, { name: 'Nor in code', expiresInDays: 1 }), /An API token cannot create tokens/);
  });

  test('list (never the secret), revoke, then 401', async () => {
    const tom = await apiClient(t, TOM);
    const created = await tokenFor(TOM, { name: 'Nightly report', expiresInDays: 7 });
    const { secret } = created;
    const token = (await tom.get('/api/v1/tokens')).json().tokens.find((x: { id: string }) => x.id === created.token.id);
    assert.match(secret, /^concord_[\w-]{40,}$/);
    assert.equal(token.status, 'active');
    assert.equal(token.name, 'Nightly report');
    assert.equal(token.scope, 'write', 'code that names no scope gets read and write');
    assert.equal((await me(secret)).statusCode, 200);

    const listed = await tom.get('/api/v1/tokens');
    assert.equal(listed.statusCode, 200);
    assert.ok(!listed.body.includes(secret));
    const listedToken = listed.json().tokens.find((x: { id: string }) => x.id === token.id);
    assert.equal(listedToken.displayPrefix, secret.slice(0, 14));
    assert.equal(listedToken.lastUsedAt, t.clock.now().toISOString(), 'its use is noted');

    const revoked = await tom.post(`/api/v1/tokens/${token.id}/revoke`);
    assert.equal(revoked.statusCode, 200);
    assert.equal(revoked.json().token.status, 'revoked');
    assert.equal((await me(secret)).statusCode, 401);
    const again = await tom.post(`/api/v1/tokens/${token.id}/revoke`);
    assert.equal(again.statusCode, 404, 'a revoked token cannot be revoked twice');
  });

  test('another user’s token cannot be revoked: 404, and it keeps working', async () => {
    const raj = await apiClient(t, RAJ);
    const { token, secret } = await tokenFor(TOM, { name: 'Tom’s own', expiresInDays: 30 });
    const before = await lastAuditId(t);

    const byApi = await raj.post(`/api/v1/tokens/${token.id}/revoke`);
    assert.equal(byApi.statusCode, 404);
    assert.equal(byApi.json().code, 'TOKEN.NOT_FOUND');
    const browser = await new Browser(t.app).signIn(RAJ);
    await browser.get('/account/tokens');
    const byPage = await browser.post(`/account/tokens/${token.id}/revoke`);
    assert.equal(byPage.statusCode, 404);

    assert.equal((await tokenRow(token.id)).revoked_at, null);
    assert.equal((await me(secret)).statusCode, 200);
    assert.deepEqual((await auditSince(t, before)).filter((e) => e.action === 'auth.token_revoked'), []);
    const rajList = (await raj.get('/api/v1/tokens')).json().tokens as { id: string }[];
    assert.ok(!rajList.some((x) => x.id === token.id), 'nor is it listed to them');
  });

  test('a malformed token reference is simply not found', async () => {
    const tom = await apiClient(t, TOM);
    assert.equal((await tom.post('/api/v1/tokens/not-a-token/revoke')).statusCode, 404);
  });

  test('without a token, or with a made-up one, the API answers 401 problem+json asking for a Bearer token', async () => {
    for (const headers of [{}, { authorization: 'Bearer concord_made-up' }, { authorization: 'Basic dG9tOnBhc3N3b3Jk' }]) {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/tokens', headers });
      assert.equal(response.statusCode, 401);
      assert.match(String(response.headers['content-type']), /application\/problem\+json/);
      assert.equal(response.headers['www-authenticate'], 'Bearer realm="concord"');
      assert.equal(response.json().code, 'AUTH.TOKEN_REQUIRED');
    }
  });

  test('an expired token is refused, and is listed as expired', async () => {
    const { token, secret } = await tokenFor(TOM, { name: 'Short-lived', expiresInDays: 1 });
    t.clock.advance(86_400_000 - 60_000);
    assert.equal((await me(secret)).statusCode, 200, 'still good a minute before expiry');
    t.clock.advance(60_000);
    const expired = await me(secret);
    assert.equal(expired.statusCode, 401);
    assert.equal(expired.headers['www-authenticate'], 'Bearer realm="concord"');
    const browser = await new Browser(t.app).signIn(TOM);
    const page = await browser.get('/account/tokens');
    const row = rowOf(page.body, token.id);
    assert.match(row, /Expired/);
    assert.doesNotMatch(row, /revoke-token/, 'nothing left to revoke');
  });
});
