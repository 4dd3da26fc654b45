import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserConcord } from './support/harness.js';
import { expectAccessible } from './support/accessibility.js';
import { signIn } from './support/pages.js';
import { involvementPaths as paths } from '../../src/modules/involvement/paths.js';
import { involvementWorld, KOFI, TOM } from '../involvement/world.js';

/**
 * A coordinator records who is involved in a person's care (COORD-6) in a real browser: the agencies
 * page, adding an agency (with errors first), changing it and ending it, each page checked against
 * WCAG 2.2 AA.
 */

const concord = await browserConcord({ now: '2026-03-03T10:00:00Z' });
const w = await involvementWorld(concord.t);

describe('agencies involved, in a browser', () => {
  test('add housing after a refusal, change its lead, end it; every page is accessible', async () => {
    const personId = await w.personInCare(['Zara', 'Browser']);
    await w.consent(personId, { agencyIds: [w.ids.housing] });
    const page = await concord.newPage();
    await signIn(page, TOM);

    await page.goto(paths.agencies(personId));
    assert.equal(await page.getByTestId('no-lead').count(), 10);
    await expectAccessible(page, 'agencies involved, no leads');

    await page.getByTestId('add-agency').click();
    await page.getByTestId('save').click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectAccessible(page, 'add an agency, with errors');

    await page.getByLabel('Agency', { exact: true }).selectOption({ label: 'Harbour Housing Options' });
    await page.getByLabel('Team (optional)').selectOption({ label: 'Housing Options and Homelessness (Harbour Housing Options)' });
    await page.getByLabel('Partner agency').check();
    await page.getByTestId('domains').getByLabel('Housing').check();
    await page.getByTestId('lead-domains').getByLabel('Housing').check();
    await page.getByLabel('Name').fill('Kofi Mensah');
    await page.getByLabel('How will the agencies communicate? (optional)').fill('Monthly MDT; urgent by phone to duty');
    await page.getByTestId('save').click();
    await page.getByTestId('notice').waitFor();
    assert.match(await page.getByTestId('notice').innerText(), /Harbour Housing Options has been added as a partner agency/);
    assert.match(await page.getByTestId('domain-housing').innerText(), /Harbour Housing Options: Kofi Mensah/);
    await expectAccessible(page, 'agencies involved, housing leading');

    await page.getByRole('link', { name: 'Change Harbour Housing Options’s involvement' }).click();
    await expectAccessible(page, 'change an agency’s involvement');
    await page.getByTestId('lead-domains').getByLabel('Housing').uncheck();
    await page.getByTestId('save').click();
    await page.getByTestId('notice').waitFor();
    assert.match(await page.getByTestId('domain-housing').innerText(), /No lead agency/);

    await page.getByRole('link', { name: 'End Harbour Housing Options’s involvement' }).click();
    await page.getByTestId('save').click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectAccessible(page, 'end an agency’s involvement, with errors');
    await page.getByLabel('Why is the agency’s involvement ending?').fill('Tenancy secured');
    await page.getByTestId('save').click();
    await page.getByTestId('notice').waitFor();
    assert.match(await page.getByTestId('ended-involvement').innerText(), /Tenancy secured/);

    const housing = await concord.newPage();
    await signIn(housing, KOFI);
    const response = await housing.goto(`/people/${personId}`);
    assert.equal(response?.status(), 404);
  });
});
