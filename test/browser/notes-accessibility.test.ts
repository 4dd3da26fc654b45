import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserConcord } from './support/harness.js';
import { expectAccessible } from './support/accessibility.js';
import { ErrorSummary, onPage, signIn, textOf } from './support/pages.js';
import { notesPaths } from '../../src/modules/notes/paths.js';
import { KOFI, notesWorld, TOM } from '../notes/world.js';

/**
 * The notes section of a person's record, as the owning agency and a partner agency see it, checked
 * against WCAG 2.2 AA: the list with tags and a restriction, the filter, the forms empty and with errors.
 */

const concord = await browserConcord({ now: '2026-03-03T10:00:00Z' });
const world = await notesWorld(concord.t);
const person = await world.person();
const kept = await world.note(world.tom, person.id, 'mental_health', 'Disclosed past abuse');
await world.note(world.tom, person.id, 'basic_details', 'Moved to a new flat');
await world.restrictFromHousing(person.id, { entryId: kept.id });

test('writing, reading and correcting notes, as the owner and as a partner agency', async () => {
  const page = await concord.newPage();
  await signIn(page, TOM);
  await page.goto(notesPaths.notes(person.id));
  await onPage(page, person.name);
  assert.match(await textOf(page.getByTestId('notes')), /Moved to a new flat[\s\S]*Disclosed past abuse/);
  await expectAccessible(page, 'notes, as the owning agency, with a restricted note');

  await page.getByRole('button', { name: 'Add a note' }).click();
  await onPage(page, 'Add a note');
  await expectAccessible(page, 'add a note');
  await page.getByRole('button', { name: 'Add note' }).click();
  await new ErrorSummary(page).expectProblems({ category: /Select what kind/, title: 'Enter a title', text: 'Enter the note' });
  await expectAccessible(page, 'add a note, with errors');

  await page.getByLabel('Housing').check();
  await page.getByLabel('Title').fill('Rent arrears discussed');
  await page.getByLabel('Note', { exact: true }).fill('Agreed a repayment plan with the landlord.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await onPage(page, person.name);
  assert.match(await textOf(page.getByTestId('notice')), /Your note has been added/);

  await page.getByRole('link', { name: /Correct this note.*Rent arrears discussed/ }).click();
  await onPage(page, 'Correct a note');
  await expectAccessible(page, 'correct a note');
  await page.getByLabel('Title').fill('Rent arrears of £400 discussed');
  await page.getByRole('button', { name: 'Save correction' }).click();
  await onPage(page, person.name);
  assert.match(await textOf(page.getByTestId('corrected-by').first()), /Corrected on 3 March 2026 at .* by Tom Okafor/);
  await expectAccessible(page, 'notes, with a correction');

  await page.getByLabel('Kind of information').selectOption('housing');
  await page.getByRole('button', { name: 'Show notes' }).click();
  await page.waitForURL(/category=housing/);
  await expectAccessible(page, 'notes, filtered');

  const partner = await concord.newPage();
  await signIn(partner, KOFI);
  await partner.goto(notesPaths.notes(person.id));
  await onPage(partner, person.name);
  assert.match(await textOf(partner.getByTestId('withheld')), /not shared with Harbour Housing Options/);
  assert.doesNotMatch(await partner.content(), /Disclosed past abuse/);
  await expectAccessible(partner, 'notes, as a partner agency');
});
