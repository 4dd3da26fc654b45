import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Browser, testConcord, auditSince, lastAuditId, DEMO_PASSWORD, type TestConcord } from '../support/app.js';

const TOM = 'tom.okafor@riverside-nhs.example';

const t: TestConcord = await testConcord();

describe('signing in and out', () => {
  test('a signed-out visitor is sent to sign in, and comes back to the page they asked for', async () => {
    const browser = new Browser(t.app);
    const home = await browser.get('/directory?x=1');
    assert.equal(home.statusCode, 303);
    assert.equal(home.headers.location, '/sign-in?returnTo=%2Fdirectory%3Fx%3D1');
    await browser.get(String(home.headers.location));
    const signIn = await browser.post('/sign-in?returnTo=%2Fdirectory%3Fx%3D1', { email: TOM, password: DEMO_PASSWORD });
    assert.equal(signIn.statusCode, 303);
    assert.equal(signIn.headers.location, '/directory?x=1');
  });

  test('signing in sets a __Host- session cookie that is Secure, HttpOnly and SameSite=Lax, and records the sign-in', async () => {
    const before = await lastAuditId(t);
    const browser = new Browser(t.app);
    await browser.get('/sign-in');
    const response = await browser.post('/sign-in', { email: TOM, password: DEMO_PASSWORD });
    const setCookie = String(response.headers['set-cookie']);
    assert.match(setCookie, /__Host-concord-session=[\w-]{40,}; Path=\/; HttpOnly; Secure; SameSite=Lax/);
    // A page that reads nobody's record, so the sign-in is the only event (My work records each person it shows).
    const home = await browser.get('/account');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Tom Okafor · Riverside Community Mental Health Team, Riverside NHS Mental Health Trust/);
    assert.equal(home.headers['cache-control'], 'no-store');
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => e.action), ['auth.sign_in']);
  });

  test('a wrong password and an unknown account get the same message, status and timing class', async () => {
    const browser = new Browser(t.app);
    await browser.get('/sign-in');
    const wrong = await browser.post('/sign-in', { email: TOM, password: 'not the password at all' });
    const unknown = await browser.post('/sign-in', { email: 'nobody@nowhere.example', password: 'not the password at all' });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    const message = (body: string) => /govuk-error-summary__list[\s\S]*?<a[^>]*>([^<]+)<\/a>/.exec(body)?.[1];
    assert.ok(message(wrong.body));
    assert.equal(message(wrong.body), message(unknown.body));
    assert.match(wrong.body, new RegExp(`value="${TOM}"`), 'the email stays typed');
    assert.doesNotMatch(wrong.body, /not the password at all/, 'the password is never echoed');
  });

  test('missing email and password get a message each and nothing is written but the refusal', async () => {
    const browser = new Browser(t.app);
    await browser.get('/sign-in');
    const response = await browser.post('/sign-in', { email: '', password: '' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /Enter your email address/);
    assert.match(response.body, /Enter your password/);
  });

  test('a form without its CSRF token is refused and the attempt recorded', async () => {
    const browser = new Browser(t.app);
    await browser.get('/sign-in');
    const before = await lastAuditId(t);
    const response = await browser.post('/sign-in', { email: TOM, password: DEMO_PASSWORD }, { csrf: 'forged' });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /This form has expired/);
    assert.equal(browser.cookie('__Host-concord-session'), undefined);
    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.outcome]), [['access.denied', 'denied']]);
  });

  test('the sign-in form’s token is bound to its cookie by the server’s secret: a cookie and form value chosen by someone else are refused', async () => {
    // A plain double-submit pair (the same value planted as the cookie and posted as the field) was enough before.
    const planted = 'attacker-chosen-value-0123456789abcdef';
    const forged = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { cookie: `__Host-concord-csrf=${planted}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: planted, email: TOM, password: DEMO_PASSWORD }).toString(),
    });
    assert.equal(forged.statusCode, 403);
    assert.match(forged.body, /This form has expired/);
    // The pair the server handed out works, and its field is not the cookie's value.
    const browser = new Browser(t.app);
    await browser.get('/sign-in');
    assert.ok(browser.csrf && browser.csrf !== browser.cookie('__Host-concord-csrf'));
    assert.equal((await browser.post('/sign-in', { email: TOM, password: DEMO_PASSWORD })).statusCode, 303);
    // One secret for the installation, kept in the database, so every instance accepts every other's forms.
    const secrets = (await t.pool.query(`select name from server_secret`)).rows.map((r) => r.name);
    assert.deepEqual(secrets, ['csrf']);
  });

  test('five wrong passwords lock the account for 15 minutes, even against the right password', async () => {
    const email = 'kofi.mensah@harbour-housing.example';
    const browser = new Browser(t.app);
    await browser.get('/sign-in');
    for (let i = 0; i < 5; i++) await browser.post('/sign-in', { email, password: `wrong password ${i}!` });
    const locked = await browser.post('/sign-in', { email, password: DEMO_PASSWORD });
    assert.equal(locked.statusCode, 401);
    const events = await t.pool.query(`select action from audit_event where action = 'auth.locked_out'`);
    assert.equal(events.rowCount, 1);
    t.clock.advance(15 * 60_000 + 1000);
    const after = await browser.post('/sign-in', { email, password: DEMO_PASSWORD });
    assert.equal(after.statusCode, 303);
  });

  test('sessions end after 30 minutes idle and after 12 hours however active', async () => {
    const browser = await new Browser(t.app).signIn('raj.patel@northshire-council.example');
    t.clock.advance(29 * 60_000);
    assert.equal((await browser.get('/')).statusCode, 200);
    t.clock.advance(31 * 60_000);
    assert.equal((await browser.get('/')).statusCode, 303, 'idle for 31 minutes');

    const active = await new Browser(t.app).signIn('raj.patel@northshire-council.example');
    // A page every 20 minutes for just under 12 hours keeps the session alive...
    for (let visit = 0; visit < 35; visit++) {
      t.clock.advance(20 * 60_000);
      assert.equal((await active.get('/')).statusCode, 200, `visit ${visit}`);
    }
    // ...but not past 12 hours from sign-in.
    t.clock.advance(20 * 60_000);
    assert.equal((await active.get('/')).statusCode, 303, 'past the absolute limit');
  });

  test('signing out ends the session on the server, not just in the browser', async () => {
    const browser = await new Browser(t.app).signIn('emma.clarke@northshire-childrens.example');
    const cookie = browser.cookie('__Host-concord-session')!;
    const out = await browser.post('/sign-out');
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, '/sign-in?signedOut');
    const replay = await t.app.inject({ method: 'GET', url: '/', headers: { cookie: `__Host-concord-session=${cookie}` } });
    assert.equal(replay.statusCode, 303);
  });

  test('a deactivated user cannot sign in', async () => {
    const browser = new Browser(t.app);
    await browser.get('/sign-in');
    const response = await browser.post('/sign-in', { email: 'peter.quinn@riverside-nhs.example', password: DEMO_PASSWORD });
    assert.equal(response.statusCode, 401);
  });

  test('sign-in is rate limited per address', async () => {
    const limited = await testConcord({ env: { SIGN_IN_RATE_LIMIT_PER_MINUTE: '3' } });
    const browser = new Browser(limited.app);
    await browser.get('/sign-in');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await browser.post('/sign-in', { email: 'x@y.example', password: 'whatever it is' })).statusCode);
    assert.deepEqual(statuses, [401, 401, 401, 429]);
  });

  test('returnTo never sends anyone to another site', async () => {
    const browser = new Browser(t.app);
    await browser.get('/sign-in');
    const response = await browser.post('/sign-in?returnTo=%2F%2Fevil.example%2F', { email: TOM, password: DEMO_PASSWORD });
    assert.equal(response.headers.location, '/');
  });
});
