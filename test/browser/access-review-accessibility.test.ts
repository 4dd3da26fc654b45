import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserConcord } from './support/harness.js';
import { expectAccessible } from './support/accessibility.js';
import { ErrorSummary, onPage, signIn, textOf } from './support/pages.js';
import { recordPaths } from '../../src/modules/people/paths.js';
import { EMAIL, worldFor } from '../access-review/world.js';

/**
 * Emergency access and its review, as the people who use them see them, checked against WCAG 2.2 AA:
 * the offer in the search, the form empty and with errors, the record with its banner, "who can see
 * this", and the auditor's queue, alert, review and reports.
 */

const concord = await browserConcord({ now: '2026-03-03T22:00:00Z' });
const world = await worldFor(concord.t);
const person = await world.person('Yusuf', 'Karimi', [{ actor: world.actors.tom, role: 'receiving_service' }, { actor: world.actors.kofi }]);
await world.consent(person.id, world.actors.kofi, ['housing']);

test('a duty worker breaks the glass from the search; the coordinator sees it; the auditor reviews it', async () => {
  const page = await concord.newPage();
  await signIn(page, EMAIL.raj);
  // The duty team receives referrals: its known check, by name and date of birth, finds someone it does not work with.
  const [year, month, day] = ((await concord.t.pool.query('select date_of_birth::text as d from person where id = $1', [person.id])).rows[0].d as string).split('-') as [string, string, string];
  await page.goto(`/people/search?${new URLSearchParams({ name: person.name, 'dateOfBirth-day': day, 'dateOfBirth-month': month, 'dateOfBirth-year': year })}`);
  await page.getByRole('link', { name: /Emergency access to Yusuf Karimi’s record/ }).click();
  await onPage(page, 'Emergency access to this record');
  assert.match(await textOf(page.getByTestId('break-glass-warning')), /recorded, sent to the Caldicott guardian and reviewed/);
  await expectAccessible(page, 'emergency access form');

  await page.getByRole('button', { name: 'Open the record in an emergency' }).click();
  await new ErrorSummary(page).expectProblems({ reason: 'Select why you need emergency access', explanation: 'Explain why you need emergency access' });
  await expectAccessible(page, 'emergency access form, with errors');

  await page.getByLabel('Crisis out of hours, the usual team unavailable').check();
  await page.getByLabel(/What has happened/).fill('Yusuf called the out-of-hours line in crisis; his team is closed until 9am.');
  await page.getByRole('button', { name: 'Open the record in an emergency' }).click();
  await onPage(page, person.name);
  assert.match(await textOf(page.getByTestId('break-glass-banner')), /You are using emergency access to this record until 4 March 2026 at 2:00am/);
  await expectAccessible(page, 'a record opened with emergency access');

  await page.getByRole('link', { name: 'Who can see this' }).click();
  await page.getByTestId('categories').waitFor();
  assert.match(await textOf(page.getByTestId('my-access')), /Emergency access/);
  await expectAccessible(page, 'who can see this, with emergency access');

  const coordinator = await concord.newPage();
  await signIn(coordinator, EMAIL.tom);
  await coordinator.goto(recordPaths.access(person.id));
  await coordinator.getByTestId('viewers').waitFor();
  assert.match(await textOf(coordinator.getByTestId('viewers')), /Raj Patel .*Emergency access/);
  await expectAccessible(coordinator, 'who can see this, as the coordinator, with the viewers');

  const auditor = await concord.newPage();
  await signIn(auditor, EMAIL.helen);
  // The demo has alerts of its own waiting, so the count is whatever it is; the link says it.
  await auditor.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: /^Access alerts \(\d+ to review\)$/ }).click();
  await onPage(auditor, /Access alerts/);
  await expectAccessible(auditor, 'access alerts');
  await auditor.getByRole('link', { name: /Emergency access by Raj Patel/ }).click();
  await onPage(auditor, 'Emergency access: Raj Patel');
  await expectAccessible(auditor, 'an access alert, to review');
  await auditor.getByRole('button', { name: 'Record review' }).click();
  await new ErrorSummary(auditor).expectProblems({ outcome: 'Select the outcome of your review', notes: 'Enter what you found and what you decided' });
  await expectAccessible(auditor, 'an access alert, review with errors');
  await auditor.getByLabel('Justified', { exact: true }).check();
  await auditor.getByLabel('What you found and what you decided').fill('Confirmed with the crisis team: Yusuf called them that night.');
  await auditor.getByRole('button', { name: 'Record review' }).click();
  assert.match(await textOf(auditor.getByTestId('notice')), /Your review has been recorded/);
  await expectAccessible(auditor, 'an access alert, reviewed');

  await auditor.getByTestId('person-viewers-link').click();
  await onPage(auditor, 'Who opened Yusuf Karimi’s record');
  await expectAccessible(auditor, 'who opened a record, for auditors');
  await auditor.goBack();
  await auditor.getByTestId('user-access-link').click();
  await onPage(auditor, 'Records Raj Patel opened');
  await expectAccessible(auditor, 'records a user opened');
});
