import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditSince, Browser, DEMO_PASSWORD, lastAuditId, testConcord, type TestConcord } from '../support/app.js';
import { errorSummaryHtml as errorSummaryOf } from '../support/pages.js';

const SOPHIE = 'sophie.turner@northshire-council.example';
const MARK = 'mark.ellison@northshire-council.example';
const OWEN = 'owen.price@northshire-childrens.example';
const NEW_PASSWORD = 'copper kettle orchard';

const t: TestConcord = await testConcord();

const errorsOf = (html: string) => [...errorSummaryOf(html).matchAll(/href="#(\w+)">([^<]+)</g)].map((m) => [m[1], m[2]]);
const noticeOf = (html: string) => /<p class="govuk-notification-banner__heading">\s*([\s\S]*?)\s*<\/p>/.exec(html)?.[1];

async function credentialOf(email: string) {
  const rows = await t.pool.query('select c.* from credential c join app_user u on u.id = c.user_id where u.email = $1', [email]);
  return rows.rows[0] as { password_hash: string; failed_sign_ins: number; locked_until: Date | null };
}

async function signInStatus(email: string, password: string) {
  const browser = new Browser(t.app);
  await browser.get('/sign-in');
  return (await browser.post('/sign-in', { email, password })).statusCode;
}

async function changePassword(browser: Browser, form: Record<string, string>) {
  await browser.get('/account/password');
  const posted = await browser.post('/account/password', form);
  assert.equal(posted.statusCode, 303);
  // Success goes on to the account page; a refusal comes back to the form with its errors.
  assert.ok(['/account', '/account/password'].includes(String(posted.headers.location)));
  return browser.get(String(posted.headers.location));
}

describe('changing your own password', () => {
  test('sets it, ends your other sessions but keeps this one, and is recorded without the password', async () => {
    const here = await new Browser(t.app).signIn(SOPHIE);
    const elsewhere = await new Browser(t.app).signIn(SOPHIE);
    const someoneElse = await new Browser(t.app).signIn(MARK);
    const before = await lastAuditId(t);

    const page = await changePassword(here, { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    assert.equal(page.statusCode, 200);
    assert.equal(noticeOf(page.body), 'Your password has been changed. You have been signed out of 1 other session.');

    // Probed on a page that reads nobody's record (My work records each person it shows).
    assert.equal((await here.get('/account')).statusCode, 200, 'this session survives');
    assert.equal((await elsewhere.get('/account')).statusCode, 303, 'the other session has ended');
    assert.equal((await someoneElse.get('/account')).statusCode, 200, 'nobody else is signed out');

    const events = await auditSince(t, before);
    assert.deepEqual(events.map((e) => [e.action, e.outcome]), [['auth.password_changed', 'success']]);
    assert.deepEqual(events[0]!.details, { otherSessionsEnded: 1, tokensRevoked: 0 });
    const written = await t.pool.query(`select count(*)::int as n from audit_event where details::text like '%' || $1 || '%'`, [NEW_PASSWORD]);
    assert.equal(written.rows[0].n, 0);

    assert.equal(await signInStatus(SOPHIE, DEMO_PASSWORD), 401, 'the old password no longer works');
    assert.equal(await signInStatus(SOPHIE, NEW_PASSWORD), 303, 'the new one does');
  });

  test('every bad path gets its message, a 400, and the password and sessions stay as they were', async () => {
    const browser = await new Browser(t.app).signIn(MARK);
    const other = await new Browser(t.app).signIn(MARK);
    const cases: [Record<string, string>, [string, string][]][] = [
      [{}, [['currentPassword', 'Enter your current password'], ['newPassword', 'Enter a new password'], ['confirmPassword', 'Enter your new password again']]],
      [{ currentPassword: 'not my password at all', newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, [['currentPassword', 'Your current password is not correct']]],
      [{ currentPassword: DEMO_PASSWORD, newPassword: 'short one', confirmPassword: 'short one' }, [['newPassword', 'Password must be 12 characters or more']]],
      [{ currentPassword: DEMO_PASSWORD, newPassword: 'qwerty123456', confirmPassword: 'qwerty123456' }, [['newPassword', 'That password is too common. Choose one that is harder to guess, such as three random words']]],
      [{ currentPassword: DEMO_PASSWORD, newPassword: 'football2026!!', confirmPassword: 'football2026!!' }, [['newPassword', 'That password is a common word with numbers or symbols added. Choose one that is harder to guess, such as three random words']]],
      [{ currentPassword: DEMO_PASSWORD, newPassword: 'i am mark.ellison really', confirmPassword: 'i am mark.ellison really' }, [['newPassword', 'Password must not contain your email address or any part of it']]],
      [{ currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: `${NEW_PASSWORD}s` }, [['confirmPassword', 'The passwords do not match. Enter your new password again']]],
      [{ currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: '' }, [['confirmPassword', 'Enter your new password again']]],
      // The demo password names Mark's agency (Northshire County Council), which is refused before it is compared.
      [{ currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD, confirmPassword: DEMO_PASSWORD }, [['newPassword', 'Password must not contain the name of your organisation']]],
      [
        { currentPassword: 'wrong again, sorry', newPassword: 'aaaaaaaaaaaaaa', confirmPassword: 'bbbbbbbbbbbbbb' },
        [['currentPassword', 'Your current password is not correct'], ['newPassword', 'That password repeats the same characters. Choose one that is harder to guess'], ['confirmPassword', 'The passwords do not match. Enter your new password again']],
      ],
    ];
    for (const [form, expected] of cases) {
      const credential = await credentialOf(MARK);
      const before = await lastAuditId(t);
      const page = await changePassword(browser, form);
      const label = JSON.stringify(form);
      assert.equal(page.statusCode, 400, label);
      assert.deepEqual(errorsOf(page.body), expected, label);
      for (const value of Object.values(form).filter((v) => v.length > 0)) assert.ok(!page.body.includes(`value="${value}"`), `${label}: passwords are never put back in the form`);
      assert.equal((await credentialOf(MARK)).password_hash, credential.password_hash, `${label}: password unchanged`);
      const events = await auditSince(t, before);
      const wrongCurrent = expected.some(([field, message]) => field === 'currentPassword' && /not correct/.test(message));
      assert.deepEqual(events.map((e) => [e.action, e.outcome, e.details.reason]), wrongCurrent ? [['auth.password_change_failed', 'failure', 'wrong current password']] : [], label);
      assert.equal((await other.get('/')).statusCode, 200, `${label}: the other session goes on`);
    }
    assert.equal(await signInStatus(MARK, DEMO_PASSWORD), 303, 'the password still works');
  });

  test('wrong current passwords count towards the sign-in lockout, so a borrowed session cannot guess it', async () => {
    const browser = await new Browser(t.app).signIn(OWEN);
    const wrong = { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD };
    for (let i = 0; i < 5; i++) await changePassword(browser, { currentPassword: `wrong guess ${i}!`, ...wrong });
    const lockedOut = await t.pool.query(`select count(*)::int as n from audit_event where action = 'auth.locked_out' and subject_id = (select id::text from app_user where email = $1)`, [OWEN]);
    assert.equal(lockedOut.rows[0].n, 1);
    const wait = await t.pool.query(`select blocked_until from sign_in_throttle where user_id = (select id from app_user where email = $1)`, [OWEN]);
    assert.ok(wait.rows[0].blocked_until > t.clock.now(), 'this address now waits for this account');

    const locked = await changePassword(browser, { currentPassword: DEMO_PASSWORD, ...wrong });
    assert.deepEqual(errorsOf(locked.body), [['currentPassword', 'Your password has been entered wrongly too many times. Wait 15 minutes and try again']]);
    assert.equal(await signInStatus(OWEN, DEMO_PASSWORD), 401, 'signing in from this address waits too');

    t.clock.advance(15 * 60_000 + 1000);
    const fresh = await new Browser(t.app).signIn(OWEN);
    const changed = await changePassword(fresh, { currentPassword: DEMO_PASSWORD, ...wrong });
    assert.equal(changed.statusCode, 200);
    assert.match(noticeOf(changed.body)!, /^Your password has been changed\./);
  });

  test('the form has a label and the right autocomplete for each field, and a signed-out visitor is sent to sign in', async () => {
    const page = await (await new Browser(t.app).signIn(MARK)).get('/account/password');
    assert.equal(page.statusCode, 200);
    for (const [id, label, autocomplete] of [
      ['currentPassword', 'Current password', 'current-password'],
      ['newPassword', 'New password', 'new-password'],
      ['confirmPassword', 'Confirm new password', 'new-password'],
    ]) {
      assert.match(page.body, new RegExp(`<label class="govuk-label" for="${id}">\\s*${label}\\s*</label>`));
      assert.match(page.body, new RegExp(`id="${id}" name="${id}" type="password"[^>]*autocomplete="${autocomplete}"`));
    }
    assert.equal((await new Browser(t.app).get('/account/password')).statusCode, 303);
  });
});
