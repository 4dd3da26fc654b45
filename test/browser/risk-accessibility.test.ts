import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserConcord } from './support/harness.js';
import { expectAccessible } from './support/accessibility.js';
import { onPage, signIn, textOf } from './support/pages.js';
import { riskPaths } from '../../src/modules/risk/paths.js';
import { riskWorld, TOM } from '../risk/world.js';

/**
 * A risk review as a care coordinator works through it, checked against WCAG 2.2 AA: the eight
 * considerations empty and with errors, the follow-up questions, the checklist with errors, the
 * completed review, the history chart beside its table, and the escalation ladder.
 */

const concord = await browserConcord({ now: '2026-03-06T10:00:00Z' });
const world = await riskWorld(concord.t);
const person = await world.person();

test('a risk review, considerations to checklist to history, and its escalation ladder', async () => {
  const page = await concord.newPage();
  await signIn(page, TOM);
  await page.goto(riskPaths.risk(person.id));
  await onPage(page, person.name);
  await expectAccessible(page, 'risk, no reviews yet');

  await page.getByRole('button', { name: 'Start a risk review' }).click();
  await onPage(page, 'Risk review');
  await expectAccessible(page, 'risk considerations');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('.govuk-error-summary').waitFor();
  await expectAccessible(page, 'risk considerations, with errors');

  const answer = async (heading: string, value: 'Yes' | 'No' | 'Don’t know') => page.getByRole('group', { name: heading }).getByLabel(value, { exact: true }).check();
  await answer('Risk of self-harm', 'No');
  await answer('Risk of harming other people (including sexual and domestic violence)', 'No');
  await answer('Risk to children', 'Yes');
  await answer('Risk of harm or abuse from other people', 'Don’t know');
  await answer('Refusal to maintain contact or accept interventions', 'No');
  await answer('Serious mental illness and the criminal justice system', 'No');
  await answer('Risk of wandering or falling', 'No');
  await answer('Risks associated with diminished capacity', 'Yes');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByTestId('follow-ups-form').waitFor();
  await expectAccessible(page, 'risk follow-up questions');
  await page.getByRole('group', { name: 'Are any children taking on a caring role for the parent(s)?' }).getByLabel('No', { exact: true }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByTestId('checklist-form').waitFor();
  await expectAccessible(page, 'risk checklist');
  await page.getByRole('button', { name: 'Complete the review' }).click();
  await page.locator('.govuk-error-summary').waitFor();
  await expectAccessible(page, 'risk checklist, with errors');

  for (const radio of await page.getByLabel('Done', { exact: true }).all()) await radio.check();
  await page.getByRole('group', { name: 'Follow the Child Protection Procedures.' }).getByLabel('Not done', { exact: true }).check();
  await page.getByLabel(/Note on: Follow the Child Protection Procedures/).fill('Referral to children’s services this afternoon.');
  await page.getByRole('group', { name: 'What is the level of risk now?' }).getByLabel('High', { exact: true }).check();
  await page.getByLabel('Evidence for this level').fill('Threats towards her son reported by the school.');
  await page.getByRole('group', { name: 'MAPPA level' }).getByLabel('Not managed under MAPPA').check();
  await page.getByRole('button', { name: 'Complete the review' }).click();
  await page.getByTestId('review-summary').waitFor();
  assert.match(await textOf(page.getByTestId('notice')), /The risk review has been completed/);
  assert.match(await textOf(page.getByTestId('deadlines')), /Follow the child protection procedures/);
  await expectAccessible(page, 'a completed risk review with its deadline');

  await page.getByRole('link', { name: /Escalating a concern about children/ }).click();
  await page.getByTestId('escalation-form').waitFor();
  await expectAccessible(page, 'escalation ladder');

  await page.goto(riskPaths.risk(person.id));
  await page.getByTestId('risk-chart').waitFor();
  await expectAccessible(page, 'risk over time, chart and table');
});
