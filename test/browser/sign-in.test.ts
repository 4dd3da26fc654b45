import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserConcord } from './support/harness.js';
import { expectAccessible } from './support/accessibility.js';
import { onPage, SignInPage } from './support/pages.js';

const ALEX = 'alex.morgan@northshire-care.example';

const concord = await browserConcord();

describe('signing in and out in a browser', () => {
  test('a partnership administrator signs in to My work, sees who and where they are, and signs out', async () => {
    const page = await concord.newPage();
    const signInPage = await SignInPage.open(page);
    await expectAccessible(page, 'sign-in');

    const header = await signInPage.signIn(ALEX);
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await page.title(), 'My work – Concord');
    assert.equal(await header.signedInAs(), 'Alex Morgan · Partnership Support, Northshire Care Partnership');
    // The browser kept the production cookie, Secure and __Host- prefixed, over http://127.0.0.1.
    const session = (await page.context().cookies()).find((c) => c.name === '__Host-concord-session');
    assert.ok(session, 'the session cookie is kept');
    assert.deepEqual([session.secure, session.httpOnly, session.sameSite, session.path], [true, true, 'Lax', '/']);
    await expectAccessible(page, 'My work');

    const signedOut = await header.signOut();
    assert.equal(new URL(page.url()).search, '?signedOut');
    assert.match(await signedOut.signedOutMessage().innerText(), /You have signed out/);
    assert.equal(await page.getByTestId('signed-in-as').count(), 0, 'no one is shown as signed in');
    assert.equal((await page.context().cookies()).filter((c) => c.name === '__Host-concord-session').length, 0, 'the session cookie is cleared');
    await expectAccessible(page, 'signed out');

    // The session ended on the server: going back to My work asks for a sign-in again.
    await page.goto('/');
    await SignInPage.arrive(page);
    assert.equal(new URL(page.url()).pathname, '/sign-in');
  });

  test('a wrong password shows the error summary, which takes the focus and leads to the email field', async () => {
    const page = await concord.newPage();
    const signInPage = await SignInPage.open(page);
    await signInPage.fillIn(ALEX, 'not-the-right-password');
    const response = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/sign-in'));
    await signInPage.submit();
    assert.equal((await response).status(), 401);
    await onPage(page, 'Sign in to Concord');

    assert.equal(await page.title(), 'Error: Sign in – Concord');
    await signInPage.errors.expectProblems({ email: /^Enter a correct email address and password/ });
    assert.ok(await signInPage.errors.hasFocus(), 'the error summary has the focus when the page loads');
    assert.equal(await page.getByLabel('Email address').inputValue(), ALEX, 'the email stays typed');
    assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'the password is not sent back');
    await expectAccessible(page, 'sign-in with errors');

    assert.equal(await signInPage.errors.follow(/Enter a correct email address/), 'email', 'the link puts the focus in the email field');
    assert.equal(await page.getByTestId('signed-in-as').count(), 0);
  });

  test('an empty form names both missing fields', async () => {
    const page = await concord.newPage();
    const signInPage = await SignInPage.open(page);
    await signInPage.submit();
    await signInPage.errors.expectProblems({ email: 'Enter your email address', password: 'Enter your password' });
    assert.equal(await signInPage.errors.follow('Enter your password'), 'password');
    await expectAccessible(page, 'sign-in with both fields missing');
  });
});
