import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, testConcord, type TestConcord } from '../support/app.js';

// Issue 9 item 15c: a known user cannot be locked out from one address; ASVS's 100 an hour still holds.
const PRIYA = 'priya.raman@riverside-nhs.example';
const t: TestConcord = await testConcord({ env: { SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000' } });

/** Signs in from this address as a browser would (the form, its CSRF cookie, the post); the status. */
async function signInFrom(address: string, password: string, email = PRIYA) {
  const form = await t.app.inject({ method: 'GET', url: '/sign-in', remoteAddress: address });
  const cookie = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const posted = await t.app.inject({
    method: 'POST',
    url: '/sign-in',
    remoteAddress: address,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  });
  return posted.statusCode;
}

async function lockouts() {
  const rows = await t.pool.query(`select details from audit_event where action = 'auth.locked_out' order by id`);
  return rows.rows.map((r) => r.details as { by: string; failures: number; lockedUntil: string });
}

describe('sign-in throttle per account and address', () => {
  test('five failures from one address make that address wait, not the account’s owner elsewhere', async () => {
    for (let i = 0; i < 5; i++) assert.equal(await signInFrom('203.0.113.5', `wrong guess ${i}!`), 401);
    assert.equal(await signInFrom('203.0.113.5', DEMO_PASSWORD), 401, 'the attacking address waits, even with the right password');
    assert.equal(await signInFrom('198.51.100.7', DEMO_PASSWORD), 303, 'the owner signs in from their own address');
    const [first] = await lockouts();
    assert.equal(first!.by, 'address');
    assert.equal(new Date(first!.lockedUntil).getTime() - t.clock.now().getTime(), 15 * 60_000);
  });

  test('the wait doubles each time the same address fails again, and a success there starts afresh', async () => {
    t.clock.advance(15 * 60_000 + 1000);
    for (let i = 0; i < 5; i++) assert.equal(await signInFrom('203.0.113.5', `wrong again ${i}!`), 401);
    const second = (await lockouts()).at(-1)!;
    assert.equal(second.failures, 10);
    assert.equal(new Date(second.lockedUntil).getTime() - t.clock.now().getTime(), 30 * 60_000, 'twice as long');
    t.clock.advance(30 * 60_000 + 1000);
    assert.equal(await signInFrom('203.0.113.5', DEMO_PASSWORD), 303);
    const left = await t.pool.query(`select count(*)::int as n from sign_in_throttle where address = '203.0.113.5'`);
    assert.equal(left.rows[0].n, 0);
  });

  test('100 failures in an hour from many addresses lock the account everywhere for an hour (ASVS 2.2.1)', async () => {
    t.clock.advance(2 * 3_600_000);
    for (let i = 0; i < 100; i++) await signInFrom(`192.0.2.${i % 50}`, `spray ${i} guess!`);
    const account = (await lockouts()).filter((l) => l.by === 'account');
    assert.equal(account.length, 1);
    assert.equal(account[0]!.failures, 100);
    assert.equal(await signInFrom('198.51.100.7', DEMO_PASSWORD), 401, 'now nobody gets in');
    t.clock.advance(3_600_000 + 1000);
    assert.equal(await signInFrom('198.51.100.7', DEMO_PASSWORD), 303, 'an hour later the owner does');
  });
});
