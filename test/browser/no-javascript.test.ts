import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserConcord } from './support/harness.js';
import { expectAccessibleWithoutJavaScript } from './support/accessibility.js';
import { SignInPage } from './support/pages.js';
import { DirectoryPage } from './support/directory-pages.js';

/** GOV.UK services must work for people whose browser runs no JavaScript (or fails to load it). */

const RAJ = 'raj.patel@northshire-council.example';

const concord = await browserConcord();

/** GOV.UK's template marks the body `js-enabled` from a script of its own: a page where that ran has JavaScript. */
const scriptsRan = async (page: Page) => (await page.locator('body.js-enabled').count()) === 1;

describe('with JavaScript switched off', () => {
  test('the check for JavaScript tells a page with it from one without', async () => {
    const withScripts = await SignInPage.open(await concord.newPage());
    assert.equal(await scriptsRan(withScripts.page), true);
  });

  test('a practitioner signs in, finds an agency in the directory and signs out', async () => {
    const page = await concord.newPage({ javaScriptEnabled: false });
    const signInPage = await SignInPage.open(page);
    assert.equal(await scriptsRan(page), false, 'the page really runs without JavaScript');
    await expectAccessibleWithoutJavaScript(page, 'sign-in, without JavaScript');

    // A mistake is still explained, with links to the fields.
    await signInPage.fillIn(RAJ, 'not-the-right-password');
    await signInPage.submit();
    await signInPage.errors.expectProblems({ email: /^Enter a correct email address and password/ });
    await expectAccessibleWithoutJavaScript(page, 'sign-in with errors, without JavaScript');

    const header = await signInPage.signIn(RAJ);
    assert.equal(await header.signedInAs(), 'Raj Patel · Adult Social Care Duty Team, Northshire County Council Adult Social Care');
    await expectAccessibleWithoutJavaScript(page, 'My work, without JavaScript');

    await header.open('Directory');
    const directory = await DirectoryPage.arrive(page);
    assert.ok((await directory.agencies().getByRole('row').count()) > 10, 'the agencies are listed');
    await expectAccessibleWithoutJavaScript(page, 'directory, without JavaScript');
    const agency = await directory.openAgency('Pathways Drug and Alcohol Service');
    assert.match(await agency.users().innerText(), /Jade Robinson/);
    await expectAccessibleWithoutJavaScript(page, 'agency, without JavaScript');

    const signedOut = await header.signOut();
    assert.match(await signedOut.signedOutMessage().innerText(), /You have signed out/);
    await page.goto('/directory');
    await SignInPage.arrive(page);
  });
});
