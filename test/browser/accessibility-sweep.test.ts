import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { browserConcord } from './support/harness.js';
import { DEMO_PASSWORD } from '../support/app.js';
import { expectAccessible } from './support/accessibility.js';
import { onPage, SignInPage, signIn, textOf } from './support/pages.js';
import { AccountPage, AuditTrailPage, TokensPage } from './support/account-pages.js';
import { DirectoryPage } from './support/directory-pages.js';

/**
 * Every kind of page a journey does not already pass through, checked against WCAG 2.2 AA as the
 * people who use them see them: forms empty and with errors, lists empty and full, refusals.
 */

const GRACE = 'grace.whitfield@riverside-nhs.example'; // two teams, so her account page offers a choice
const HELEN = 'helen.marsh@riverside-nhs.example'; // auditor
const TOM = 'tom.okafor@riverside-nhs.example'; // care coordinator: no audit, no directory management
const ALEX = 'alex.morgan@northshire-care.example'; // partnership administrator

const concord = await browserConcord();

describe('accessibility of every page', () => {
  test('the checker itself fails a page with a violation, naming the rule and the element', async () => {
    const page = await concord.newPage();
    await SignInPage.open(page);
    await page.locator('label[for="email"]').evaluate((label) => label.remove());
    await assert.rejects(expectAccessible(page, 'sign-in without its email label'), (error: Error) => {
      assert.match(error.message, /label \(critical\): Form elements must have labels/);
      assert.match(error.message, /at #email/);
      return true;
    });
  });

  test('your account, changing your password and API tokens', async () => {
    const page = await concord.newPage();
    await signIn(page, GRACE);
    const account = await AccountPage.open(page);
    assert.match(await account.whoYouAre(), /Grace Whitfield/);
    assert.equal(await account.teamChoice().getByRole('radio').count(), 2);
    await expectAccessible(page, 'your account');

    await account.openSection('Change your password');
    await expectAccessible(page, 'change your password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectAccessible(page, 'change your password, with errors');

    await account.openSection('API tokens');
    let tokens = await TokensPage.arrive(page);
    assert.equal(await textOf(page.getByTestId('no-tokens')), 'You have no API tokens.');
    await expectAccessible(page, 'API tokens, none yet');

    await tokens.create('', '0');
    await tokens.errors.root.waitFor();
    tokens = await TokensPage.arrive(page);
    await tokens.errors.expectProblems({ name: /./, expiresInDays: /./ });
    await expectAccessible(page, 'API tokens, with errors');

    const secret = await tokens.createAndCopy('Caseload spreadsheet', '30', DEMO_PASSWORD);
    assert.ok(secret.length >= 32, 'the secret is shown once');
    await expectAccessible(page, 'token created');
    tokens = await tokens.backToTokens();
    assert.match(await textOf(tokens.tokens()), /Caseload spreadsheet .*Active/);
    assert.doesNotMatch(await page.content(), new RegExp(secret), 'the list never shows the secret');
    await expectAccessible(page, 'API tokens, one active');
  });

  test('the audit trail, filtered, with bad filters and after a chain check', async () => {
    const page = await concord.newPage();
    await signIn(page, HELEN);
    const trail = await AuditTrailPage.open(page);
    assert.ok((await trail.events().getByRole('row').count()) > 1, 'events are listed');
    await expectAccessible(page, 'audit trail');

    await trail.filterByAction('auth.sign_in');
    assert.match(await textOf(trail.events()), /auth\.sign_in/);
    await expectAccessible(page, 'audit trail, filtered');

    assert.match(await trail.checkChain(), /./);
    assert.equal(await trail.chainStatus(), 'Intact');
    await expectAccessible(page, 'audit trail, after a chain check');

    await AuditTrailPage.open(page, '?from=not-a-date');
    await page.locator('.govuk-error-summary').waitFor();
    await expectAccessible(page, 'audit trail, with bad filters');
  });

  test('page not found and no access, signed in and out', async () => {
    const page = await concord.newPage();
    await signIn(page, TOM);

    const refused = await page.goto('/audit');
    assert.equal(refused?.status(), 403);
    await onPage(page, 'You do not have access to this page');
    await expectAccessible(page, 'no access');

    const missing = await page.goto('/no-such-page');
    assert.equal(missing?.status(), 404);
    await onPage(page, 'Page not found');
    await expectAccessible(page, 'page not found');

    const noSuchUser = await page.goto(`/directory/users/${randomUUID()}`);
    assert.equal(noSuchUser?.status(), 404);
    await onPage(page, 'Page not found');

    const stranger = await concord.newPage();
    const anonymous = await stranger.goto('/no-such-page');
    assert.equal(anonymous?.status(), 404);
    await onPage(stranger, 'Page not found');
    await expectAccessible(stranger, 'page not found, signed out');
  });

  test('directory pages beyond the add-a-user journey', async () => {
    const page = await concord.newPage();
    await signIn(page, ALEX);
    const directory = await DirectoryPage.open(page);
    const agency = await directory.openAgency('Riverside NHS Mental Health Trust');
    const agencyUrl = page.url();

    await page.getByRole('link', { name: 'Riverside Community Mental Health Team', exact: true }).click();
    await onPage(page, 'Riverside Community Mental Health Team');
    await expectAccessible(page, 'team');

    await page.goto('/directory/users?q=riverside');
    await onPage(page, 'Find people');
    await expectAccessible(page, 'find people, with results');

    await page.goto(agencyUrl);
    await agency.users().getByRole('link', { name: 'Grace Whitfield' }).click();
    await onPage(page, /^Grace Whitfield/);
    await expectAccessible(page, 'user with two teams');

    for (const [link, heading] of [
      ['Change details', 'Change Grace Whitfield’s details'],
      ['Set a new password', 'Set a new password for Grace Whitfield'],
      ['Add to a team', 'Add Grace Whitfield to a team'],
    ] as const) {
      await page.getByTestId('user-actions').getByRole('link', { name: link }).click();
      await onPage(page, heading);
      await expectAccessible(page, link);
      await page.goBack();
      await onPage(page, /^Grace Whitfield/);
    }

    await DirectoryPage.open(page);
    await page.getByRole('button', { name: 'Add an agency' }).click();
    await onPage(page, 'Add an agency');
    await page.getByRole('button', { name: 'Add agency' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectAccessible(page, 'add an agency, with errors');
  });
});
